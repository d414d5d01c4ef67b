// What the chair bot does at the console while the benchmark measures, as a
// chair does in the browser: turns the mosaic's pages now and then and puts
// the next site on the main stage every so often (the real `setStage` request,
// so the hub re-plans every site's receive set as it does for a real chair).
import type { PlanFollower } from './PlanFollower.ts';
import type { PionBotResult } from './types.ts';

export interface ConsoleRun {
  /** Seconds between two pages of the mosaic. */
  pageTurnSec: number;
  /** Seconds between two stage moves. */
  stageMoveSec: number;
}

export class ChairConsole {
  private timers: NodeJS.Timeout[] = [];
  private nextStage = 0;

  constructor(
    private readonly follower: PlanFollower,
    private readonly result: PionBotResult,
    private readonly setStage: (siteId: string) => Promise<unknown>,
  ) {}

  /** Starts the console with these intervals, or stops it (null). */
  run(run: ConsoleRun | null): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (!run) return;
    this.timers.push(
      setInterval(() => {
        this.result.pageTurns++;
        this.follower.turnPage();
      }, run.pageTurnSec * 1000),
      setInterval(() => this.moveStage(), run.stageMoveSec * 1000),
    );
    this.moveStage();
  }

  private moveStage(): void {
    const sites = this.follower.cameraSites();
    if (sites.length === 0) return;
    const site = sites[this.nextStage++ % sites.length] as string;
    this.result.stageMoves++;
    this.setStage(site).catch(() => {
      this.result.stageMoveErrors++;
    });
  }
}
