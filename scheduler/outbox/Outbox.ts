// The outbox: deliveries (invitation e-mails, webhook events) written in the
// transaction of the change they tell about, then worked here. Nothing waits
// for them: a booking commits its rows and returns. The rows are the queue, so
// a restart picks up whatever was pending. Deliveries with the same ordering key
// (the meeting) to the same target go out one after the other: a later one waits
// until the earlier one is sent or has failed for good. A failed attempt is
// retried after retryBaseMs, doubling up to retryMaxMs, at most maxAttempts times.
import type { Logger } from 'pino';
import type { OutboxConfig } from '../config.ts';
import type { Db, Tx } from '../db.ts';
import type { OutboxDelivery } from '../generated/prisma/client.ts';

export const OUTBOX_KINDS = ['mail', 'webhook'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** A delivery that did not go through; `statusCode` is the webhook receiver's answer, when there was one. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** Sends one delivery; throws (a DeliveryError, or anything) when it did not go through. */
export type Deliver = (row: OutboxDelivery) => Promise<{ statusCode?: number }>;

export interface NewDelivery {
  kind: OutboxKind;
  target: string;
  orderingKey: string;
  meetingId: string | null;
  event: string;
  payload: unknown;
}

/** Queues deliveries inside the caller's transaction: they exist exactly when the change does. */
export async function enqueue(tx: Tx | Db, rows: NewDelivery[]): Promise<void> {
  if (!rows.length) return;
  await tx.outboxDelivery.createMany({ data: rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload) })) });
}

/** Lane heads read per query. */
const BATCH = 500;
/** Deliveries in flight at once (each to a different target or meeting). */
const PARALLEL = 8;
const ERROR_CHARS = 1000;

export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly config: OutboxConfig,
    private readonly deliverers: Record<OutboxKind, Deliver>,
  ) {}

  /** Starts working: whatever was left pending (before a restart too) goes out now. */
  start(): void {
    this.kick();
  }

  /** Something was queued: work now rather than at the next poll. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.work().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Stops the loop and waits for the deliveries in flight. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async work(): Promise<void> {
    let wait = this.config.pollMs;
    try {
      for (;;) {
        const { due, nextAt } = await this.dueHeads(new Date());
        if (nextAt) wait = Math.min(this.config.pollMs, Math.max(0, nextAt.getTime() - Date.now()));
        if (!due.length || this.closed) break;
        await inParallel(due, PARALLEL, (row) => this.attempt(row));
      }
    } catch (err) {
      this.log.warn({ err }, 'outbox: pass failed');
    }
    if (this.closed) return;
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** The first pending delivery of each lane (kind, target, ordering key), those due now, and when the next one is. */
  private async dueHeads(now: Date): Promise<{ due: OutboxDelivery[]; nextAt: Date | null }> {
    // Every lane's head, however long another lane's backlog (a receiver down for days) has grown.
    const lanes = await this.db.outboxDelivery.groupBy({
      by: ['kind', 'target', 'orderingKey'],
      where: { status: 'pending' },
      _min: { id: true },
    });
    const ids = lanes.map((l) => l._min.id).filter((id): id is number => id !== null);
    const due: OutboxDelivery[] = [];
    let nextAt: Date | null = null;
    for (let i = 0; i < ids.length; i += BATCH) {
      const heads = await this.db.outboxDelivery.findMany({
        where: { id: { in: ids.slice(i, i + BATCH) } },
        orderBy: { id: 'asc' },
      });
      for (const row of heads) {
        if (row.nextAttemptAt <= now) due.push(row);
        else if (!nextAt || row.nextAttemptAt < nextAt) nextAt = row.nextAttemptAt;
      }
    }
    return { due, nextAt };
  }

  private async attempt(row: OutboxDelivery): Promise<void> {
    const attempts = row.attempts + 1;
    const deliver = this.deliverers[row.kind as OutboxKind];
    try {
      if (!deliver) throw new DeliveryError(`unknown delivery kind ${row.kind}`);
      const { statusCode } = await deliver(row);
      await this.db.outboxDelivery.update({
        where: { id: row.id },
        data: { status: 'sent', attempts, sentAt: new Date(), lastError: null, lastStatusCode: statusCode ?? null },
      });
    } catch (err) {
      const lastError = (err instanceof Error ? err.message : String(err)).slice(0, ERROR_CHARS);
      const statusCode = err instanceof DeliveryError ? (err.statusCode ?? null) : null;
      const gaveUp = attempts >= this.config.maxAttempts;
      const delay = Math.min(this.config.retryMaxMs, this.config.retryBaseMs * 2 ** (attempts - 1));
      await this.db.outboxDelivery.update({
        where: { id: row.id },
        data: {
          status: gaveUp ? 'failed' : 'pending',
          attempts,
          lastError,
          lastStatusCode: statusCode,
          nextAttemptAt: new Date(Date.now() + delay),
        },
      });
      const level = gaveUp ? 'error' : 'info';
      this.log[level](
        { id: row.id, kind: row.kind, event: row.event, attempts, err: lastError },
        'outbox: not delivered',
      );
    }
  }
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++] as T);
  });
  await Promise.all(lanes);
}
