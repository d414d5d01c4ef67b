// The chime a room hears when a chat message arrives, and whether it wants it:
// a choice of that room's browser, kept in localStorage (rooms are shared
// machines; the choice belongs to the room, not to an account).
const STORAGE_KEY = 'diemcau.chatSound';

export function chatSoundOn(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true; // storage unavailable (private mode): the default, on
  }
}

export function setChatSoundOn(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // not kept; the choice holds for this page
  }
}

let context: AudioContext | null = null;

/** Two short soft tones, made here: no sound file to load or cache. */
export function playChime(): void {
  try {
    context ??= new AudioContext();
    const now = context.currentTime;
    for (const [i, hz] of [880, 1320].entries()) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = hz;
      gain.gain.setValueAtTime(0.08, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.12 + 0.25);
      tone.connect(gain).connect(context.destination);
      tone.start(now + i * 0.12);
      tone.stop(now + i * 0.12 + 0.25);
    }
  } catch {
    // no audio output (a page without a sound device): the badge still says it
  }
}
