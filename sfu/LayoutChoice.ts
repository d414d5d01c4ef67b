// The chair's choice of what every site shows (contract/layout.ts), stored
// with the meeting (ChairDecisions) and announced with the meeting's state;
// the sites follow it live unless they pinned a view of their own.
import type { Logger } from 'pino';
import type { LayoutKind } from '../contract/layout.ts';
import type { Audience } from './Audience.ts';
import type { ChairDecisions } from './ChairDecisions.ts';

export class LayoutChoice {
  constructor(
    private readonly meetingId: string,
    private readonly decisions: ChairDecisions,
    private readonly audience: Audience,
    private readonly log: Logger,
  ) {}

  /** `grid` names the grid's sites (kept as they were when absent); the chair is in the grid anyway. */
  set(kind: LayoutKind, grid?: string[]): void {
    const chairId = this.audience.planMeeting().chairSiteId;
    const sites = grid ? [...new Set(grid)].filter((id) => id !== chairId) : this.decisions.layout.grid;
    const added = sites.filter((id) => !this.decisions.layout.grid.includes(id));
    this.decisions.layout = { kind, grid: sites };
    this.decisions.save();
    // The sites hear of the grid's sites from now on (contract/receivePlan.ts): their pictures.
    for (const id of added) {
      const site = this.audience.sites.get(id);
      if (site && !site.isChair) this.audience.introduce(site);
    }
    this.audience.announceMeeting();
    this.log.info({ meetingId: this.meetingId, layout: kind, grid: sites.length }, 'layout changed');
  }
}
