import { afterEach, describe, expect, it } from 'vitest';
import { chatSoundOn, setChatSoundOn } from './chatSound.ts';

afterEach(() => localStorage.clear());

describe('the room’s chat sound choice', () => {
  it('is on until the room turns it off, and the choice outlives the page', () => {
    expect(chatSoundOn()).toBe(true);
    setChatSoundOn(false);
    expect(localStorage.getItem('diemcau.chatSound')).toBe('off');
    expect(chatSoundOn()).toBe(false);
    setChatSoundOn(true);
    expect(chatSoundOn()).toBe(true);
  });
});
