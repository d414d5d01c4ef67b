// The chair's alarm list, measured by the hub on what each site sends: packet
// loss or jitter over a threshold, a watched video under the bitrate floor;
// and, for a site holding the floor, no sound heard or no camera. Sampled from
// the producers' receive statistics every few seconds; an alarm keeps the time
// it started while it lasts and is cleared at the first sample without it. The
// chair is told only when a site's alarms start or end.
import type { types } from 'mediasoup';
import type { AlarmKind, SiteAlarm } from '../contract/signaling.ts';
import type { Audience } from './Audience.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { Peer, ProducerAppData } from './Peer.ts';

export interface AlarmThresholds {
  /** Loss of what a site sends, in % of the packets of one sample. */
  lossPct: number;
  /** Interarrival jitter of what a site sends, ms. */
  jitterMs: number;
  /** A watched, unpaused camera sending less than this, kbps. */
  minVideoKbps: number;
  /** A floor holder not heard for this long, ms. */
  floorSilentMs: number;
  /** How often the producers are sampled, ms. */
  sampleMs: number;
}

/** Loss is measured over at least this many packets (a slow stream's window spans several samples). */
const MIN_PACKETS = 40;

interface Counts {
  packets: number;
  lost: number;
}

/** A producer's counts at the start of its current loss window, and the loss of the window before. */
interface LossWindow {
  start: Counts;
  lossPct: number;
}

interface Figures {
  lossPct: number;
  jitterMs: number;
  videoKbps: number | null;
}

export class SiteAlarms {
  private readonly windows = new Map<string, LossWindow>();

  constructor(
    private readonly thresholds: AlarmThresholds,
    private readonly audience: Audience,
    private readonly decisions: ChairDecisions,
  ) {}

  /** Samples every connected site and tells the chair of the sites whose alarms changed. */
  async sample(now = Date.now()): Promise<void> {
    // A site of another hub is sampled there, where its transports are (sfu/span/): its alarms come with its status.
    const sites = [...this.audience.sites.values()].filter((site) => !site.isChair && !site.away && !site.remote);
    await Promise.all(sites.map((site) => this.sampleSite(site, now)));
    // Producers closed since: their counts go.
    const live = new Set(sites.flatMap((site) => [...site.producers.keys()]));
    for (const id of this.windows.keys()) if (!live.has(id)) this.windows.delete(id);
  }

  private async sampleSite(site: Peer, now: number): Promise<void> {
    const figures = await this.figures(site);
    if (!this.audience.isPresent(site)) return;
    const raised = this.raised(site, figures, now);
    const next: SiteAlarm[] = raised.map(({ kind, value }) => {
      const before = site.alarms.find((a) => a.kind === kind);
      return before ?? { kind, value, since: new Date(now).toISOString() };
    });
    const same = next.length === site.alarms.length && next.every((a, i) => a === site.alarms[i]);
    if (same) return;
    site.alarms = next;
    this.audience.toChair('peerUpdated', { peer: this.audience.info(site) });
    this.audience.span?.siteChanged(site);
  }

  private raised(site: Peer, f: Figures, now: number): { kind: AlarmKind; value: number | null }[] {
    const t = this.thresholds;
    const out: { kind: AlarmKind; value: number | null }[] = [];
    if (f.lossPct >= t.lossPct) out.push({ kind: 'loss', value: round1(f.lossPct) });
    if (f.jitterMs >= t.jitterMs) out.push({ kind: 'jitter', value: Math.round(f.jitterMs) });
    if (f.videoKbps !== null && f.videoKbps < t.minVideoKbps)
      out.push({ kind: 'bitrate', value: Math.round(f.videoKbps) });
    if (this.decisions.floor.has(site.id)) {
      const heldSince = this.decisions.floorSince.get(site.id)?.getTime() ?? now;
      const quietSince = Math.max(heldSince, site.heardAt);
      if (!site.isSending('mic') || now - quietSince >= t.floorSilentMs) out.push({ kind: 'floorSilent', value: null });
      if (!site.isSending('camera')) out.push({ kind: 'floorNoVideo', value: null });
    }
    return out;
  }

  /**
   * Loss, jitter and video bitrate of what the site sends. A microphone the
   * hub holds paused still arrives (it is not forwarded): it counts too.
   */
  private async figures(site: Peer): Promise<Figures> {
    const f: Figures = { lossPct: 0, jitterMs: 0, videoKbps: null };
    for (const producer of [...site.producers.values()]) {
      if (producer.closed) continue;
      const stats = await producer.getStats().catch(() => []);
      const clockRate = producer.rtpParameters.codecs[0]?.clockRate ?? 90_000;
      let counts: Counts = { packets: 0, lost: 0 };
      let bitrate = 0;
      for (const s of stats) {
        counts = { packets: counts.packets + s.packetCount, lost: counts.lost + Math.max(0, s.packetsLost) };
        bitrate += s.bitrate;
        f.jitterMs = Math.max(f.jitterMs, (s.jitter / clockRate) * 1000);
      }
      f.lossPct = Math.max(f.lossPct, this.lossSince(producer, counts));
      if (isWatchedCamera(producer) && !producer.paused) f.videoKbps = bitrate / 1000;
    }
    return f;
  }

  /** The loss of the producer's last complete window; a window closes once it spans MIN_PACKETS packets. */
  private lossSince(producer: types.Producer<ProducerAppData>, counts: Counts): number {
    const window = this.windows.get(producer.id);
    if (!window) {
      this.windows.set(producer.id, { start: counts, lossPct: 0 });
      return 0;
    }
    const received = counts.packets - window.start.packets;
    const lost = Math.max(0, counts.lost - window.start.lost);
    if (received + lost < MIN_PACKETS) return window.lossPct;
    const lossPct = (100 * lost) / (received + lost);
    this.windows.set(producer.id, { start: counts, lossPct });
    return lossPct;
  }
}

function isWatchedCamera(producer: types.Producer<ProducerAppData>): boolean {
  return producer.kind === 'video' && producer.appData.wanted;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
