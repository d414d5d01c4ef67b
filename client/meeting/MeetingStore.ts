// The meeting as the UI sees it: every invited site with its derived status
// (connection state, mic, camera, hand, link, roll-call mark), the meeting
// state and the producers. Fed by MeetingConnection's signaling events and by
// the scheduler (invitations, marks). Updates are batched: subscribers hear
// at most once per animation frame however many events arrive, and unchanged
// sites keep their object identity so memoised rows do not re-render.

import type { AttendanceMark } from '../../contract/enums.ts';
import type { LinkStats, MeetingState, PeerInfo, ProducerInfo, SiteAlarm } from '../../contract/signaling.ts';

export type SiteState = 'not_joined' | 'connecting' | 'online' | 'reconnecting' | 'left';

export interface InvitedSite {
  id: string;
  name: string;
  unitId: string;
}

export interface SiteStatus {
  id: string;
  name: string;
  unitId: string;
  state: SiteState;
  micOn: boolean;
  mutedByChair: boolean;
  canSpeak: boolean;
  cameraOn: boolean;
  handRaised: boolean;
  /** When the hand went up (the hub's clock): the speaking queue's order. */
  handRaisedAt: string | null;
  link: LinkStats | null;
  /** What the hub found wrong with the site now (the alarm list). */
  alarms: readonly SiteAlarm[];
  /** The hub's view of this site's receive quality (lower layers, audio only). */
  linkState: PeerInfo['linkState'] | null;
  mark: AttendanceMark;
  markReason: string | null;
  onStage: boolean;
  hasFloor: boolean;
  /** Since when the site has held the floor (the hub's clock); null without it. */
  floorSince: string | null;
  isChair: boolean;
  /** Heard right now (its microphone is above the speaking level). */
  speaking: boolean;
  /** The meeting's active speaker (the hub's pick: loudest for a moment). */
  activeSpeaker: boolean;
}

const NO_ALARMS: readonly SiteAlarm[] = [];

/** Audio level (dBov) from which a site counts as speaking on the board; quieter is room noise. */
export const SPEAKING_LEVEL_DB = -50;

export interface MeetingSnapshot {
  version: number;
  meeting: MeetingState | null;
  /** Invited sites (and any connected site not in the invitation list), in invitation order. */
  sites: SiteStatus[];
  byId: ReadonlyMap<string, SiteStatus>;
  producers: ReadonlyMap<string, ProducerInfo>;
}

type Schedule = (flush: () => void) => void;

const defaultSchedule: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
    requestAnimationFrame(() => flush());
  } else {
    setTimeout(flush, 50);
  }
};

interface PeerRecord {
  info: PeerInfo;
  present: boolean;
}

export class MeetingStore {
  private invited: InvitedSite[] = [];
  private peers = new Map<string, PeerRecord>();
  private producers = new Map<string, ProducerInfo>();
  private marks = new Map<string, { mark: AttendanceMark; reason: string | null }>();
  private speaking = new Set<string>();
  private activeSpeaker: string | null = null;
  private meeting: MeetingState | null = null;
  private listeners = new Set<() => void>();
  private pending = false;
  private snapshot: MeetingSnapshot;
  private prevSites = new Map<string, SiteStatus>();
  private version = 0;

  constructor(private readonly opts: { schedule?: Schedule } = {}) {
    this.snapshot = this.build();
  }

  // Inputs ---------------------------------------------------------------------
  setInvited(sites: InvitedSite[]): void {
    this.invited = sites;
    this.changed();
  }

  reset(meeting: MeetingState, peers: PeerInfo[], producers: ProducerInfo[], self?: PeerInfo): void {
    this.meeting = meeting;
    for (const rec of this.peers.values()) rec.present = false;
    for (const p of self ? [self, ...peers] : peers) this.peers.set(p.id, { info: p, present: true });
    this.producers = new Map(producers.map((p) => [p.producerId, p]));
    this.changed();
  }

  setMeeting(meeting: MeetingState): void {
    this.meeting = meeting;
    this.changed();
  }

  peerJoined(peer: PeerInfo): void {
    this.peers.set(peer.id, { info: peer, present: true });
    this.changed();
  }

  peerUpdated(peer: PeerInfo): void {
    const rec = this.peers.get(peer.id);
    this.peers.set(peer.id, { info: peer, present: rec?.present ?? true });
    this.changed();
  }

  peerLeft(peerId: string, reason: 'left' | 'disconnected' | 'removed' | 'replaced'): void {
    const rec = this.peers.get(peerId);
    if (!rec) return;
    if (reason === 'replaced') return; // the newer connection's peerJoined follows
    rec.present = false;
    for (const [id, p] of this.producers) if (p.peerId === peerId) this.producers.delete(id);
    this.changed();
  }

  producerAdded(p: ProducerInfo): void {
    this.producers.set(p.producerId, p);
    this.changed();
  }

  producerPaused(producerId: string, paused: boolean): void {
    const p = this.producers.get(producerId);
    if (!p) return;
    this.producers.set(producerId, { ...p, paused });
    this.changed();
  }

  producerClosed(producerId: string): void {
    if (this.producers.delete(producerId)) this.changed();
  }

  /** The hub's audio levels (all audible sites): who is speaking right now. */
  setLevels(levels: { peerId: string; volume: number }[]): void {
    const next = new Set(levels.filter((l) => l.volume >= SPEAKING_LEVEL_DB).map((l) => l.peerId));
    if (next.size === this.speaking.size && [...next].every((id) => this.speaking.has(id))) return;
    this.speaking = next;
    this.changed();
  }

  setActiveSpeaker(peerId: string | null): void {
    if (peerId === this.activeSpeaker) return;
    this.activeSpeaker = peerId;
    this.changed();
  }

  setMark(siteId: string, mark: AttendanceMark, reason: string | null = null): void {
    this.marks.set(siteId, { mark, reason });
    this.changed();
  }

  setMarks(rows: { roomId: string; mark: AttendanceMark; markReason?: string | null }[]): void {
    for (const r of rows) this.marks.set(r.roomId, { mark: r.mark, reason: r.markReason ?? null });
    this.changed();
  }

  dispose(): void {
    this.listeners.clear();
  }

  // Outputs --------------------------------------------------------------------
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): MeetingSnapshot => this.snapshot;

  /** Applies pending changes now (tests, or before reading in an event handler). */
  flush = (): void => {
    this.pending = false;
    this.snapshot = this.build();
    for (const fn of [...this.listeners]) fn();
  };

  peer(id: string): PeerInfo | undefined {
    return this.peers.get(id)?.info;
  }

  // Internals ------------------------------------------------------------------

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    (this.opts.schedule ?? defaultSchedule)(this.flush);
  }

  private stateOf(id: string): SiteState {
    const rec = this.peers.get(id);
    if (!rec) return 'not_joined';
    // The hub keeps a site whose connection dropped (PeerInfo.connection) until
    // its resume grace period ends; a site it lets go has left.
    if (!rec.present) return 'left';
    if (rec.info.connection === 'reconnecting') return 'reconnecting';
    if (rec.info.link) return 'online';
    for (const p of this.producers.values()) if (p.peerId === id) return 'online';
    return 'connecting';
  }

  private build(): MeetingSnapshot {
    this.version++;
    const list: InvitedSite[] = [...this.invited];
    const known = new Set(list.map((s) => s.id));
    for (const rec of this.peers.values()) {
      if (!known.has(rec.info.id)) {
        list.push({ id: rec.info.id, name: rec.info.displayName, unitId: '' });
        known.add(rec.info.id);
      }
    }
    const micProducer = new Map<string, ProducerInfo>();
    const camProducer = new Map<string, ProducerInfo>();
    for (const p of this.producers.values()) {
      if (p.source === 'mic') micProducer.set(p.peerId, p);
      else if (p.source === 'camera') camProducer.set(p.peerId, p);
    }
    const m = this.meeting;
    const sites: SiteStatus[] = [];
    const byId = new Map<string, SiteStatus>();
    for (const s of list) {
      const rec = this.peers.get(s.id);
      const info = rec?.present ? rec.info : undefined;
      const mark = this.marks.get(s.id);
      const mic = micProducer.get(s.id);
      const cam = camProducer.get(s.id);
      const next: SiteStatus = {
        id: s.id,
        name: s.name,
        unitId: s.unitId,
        state: this.stateOf(s.id),
        micOn: info ? info.micOn && !mic?.paused : false,
        mutedByChair: info?.mutedByChair ?? false,
        canSpeak: info?.canSpeak ?? false,
        cameraOn: info ? info.cameraOn && !cam?.paused : false,
        handRaised: info?.handRaised ?? false,
        handRaisedAt: info?.handRaisedAt ?? null,
        link: info?.link ?? null,
        linkState: info?.linkState ?? null,
        alarms: info?.alarms ?? NO_ALARMS,
        mark: mark?.mark ?? 'unmarked',
        markReason: mark?.reason ?? null,
        onStage: m?.stageSiteId === s.id,
        hasFloor: m?.floor.includes(s.id) ?? false,
        floorSince: m?.floorSince[s.id] ?? null,
        isChair: m?.chairSiteId === s.id || info?.role === 'chair',
        speaking: info !== undefined && this.speaking.has(s.id),
        activeSpeaker: info !== undefined && this.activeSpeaker === s.id,
      };
      const prev = this.prevSites.get(s.id);
      const keep = prev && shallowEqual(prev, next) ? prev : next;
      sites.push(keep);
      byId.set(s.id, keep);
    }
    this.prevSites = byId;
    return { version: this.version, meeting: m, sites, byId, producers: new Map(this.producers) };
  }
}

function shallowEqual(a: SiteStatus, b: SiteStatus): boolean {
  for (const k of Object.keys(a) as (keyof SiteStatus)[]) {
    if (k === 'alarms') {
      if (!sameAlarms(a.alarms, b.alarms)) return false;
      continue;
    }
    if (k === 'link') {
      const x = a.link;
      const y = b.link;
      if (x === y) continue;
      if (!x || !y) return false;
      if (x.rttMs !== y.rttMs || x.lossPct !== y.lossPct || x.sendKbps !== y.sendKbps || x.recvKbps !== y.recvKbps)
        return false;
      continue;
    }
    if (a[k] !== b[k]) return false;
  }
  return true;
}

function sameAlarms(a: readonly SiteAlarm[], b: readonly SiteAlarm[]): boolean {
  return a.length === b.length && a.every((x, i) => x.kind === b[i]?.kind && x.since === b[i]?.since);
}

/**
 * The board's counts. Connection (online, not joined, left) and roll-call
 * (present, absent, not marked) are two different things: a site not yet
 * joined is not "absent" until the chair marks it so.
 */
export interface SiteCounts {
  invited: number;
  online: number;
  reconnecting: number;
  notJoined: number;
  left: number;
  present: number;
  absent: number;
  unmarked: number;
  hands: number;
}

export function countSites(sites: Iterable<SiteStatus>): SiteCounts {
  const c: SiteCounts = {
    invited: 0,
    online: 0,
    reconnecting: 0,
    notJoined: 0,
    left: 0,
    present: 0,
    absent: 0,
    unmarked: 0,
    hands: 0,
  };
  for (const s of sites) {
    if (s.isChair) continue;
    c.invited++;
    if (s.state === 'online' || s.state === 'connecting') c.online++;
    else if (s.state === 'reconnecting') c.reconnecting++;
    else if (s.state === 'not_joined') c.notJoined++;
    else c.left++;
    if (s.mark === 'absent') c.absent++;
    else if (s.mark === 'unmarked') c.unmarked++;
    else c.present++;
    if (s.handRaised) c.hands++;
  }
  return c;
}

export type LinkGrade = 'good' | 'fair' | 'poor';

export function gradeLink(l: LinkStats): LinkGrade {
  if (l.rttMs < 150 && l.lossPct < 2) return 'good';
  if (l.rttMs < 400 && l.lossPct < 8) return 'fair';
  return 'poor';
}
