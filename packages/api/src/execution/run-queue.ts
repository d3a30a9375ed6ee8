import { availableParallelism } from "node:os";
import { Tally } from "../tally.ts";

/** The queue is full; retry after `retryAfterSeconds` (answered 503 + Retry-After). */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("The run queue is full");
    this.name = "QueueFullError";
  }
}

/** One owner (a client, a session) already holds its share of the queue (answered 429 + Retry-After). */
export class OwnerShareError extends Error {
  constructor(
    readonly owner: string,
    readonly share: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`${owner} already has ${share} runs running or waiting`);
    this.name = "OwnerShareError";
  }
}

/** The queue was closed (the server is shutting down): a waiting job never starts, a running one is aborted. */
export class RunQueueClosedError extends Error {
  constructor() {
    super("The run queue is closed: the server is shutting down");
    this.name = "RunQueueClosedError";
  }
}

export interface RunQueueOptions {
  /** Most runs at once. Default: the number of cores. */
  concurrency?: number;
  /** Most runs waiting behind them; one more is refused with `QueueFullError`. Default: 8 per slot. */
  maxWaiting?: number;
  /**
   * Most runs (running + waiting) one owner may hold; one more is refused with `OwnerShareError`, so one
   * client flooding the queue leaves room for the others. Default: a quarter of all slots, at least 2.
   */
  maxPerOwner?: number;
  /** Assumed length of a run until some have finished, for Retry-After. Default 1000 ms. */
  expectedRunMs?: number;
}

export interface SubmitOptions {
  /** The caller went away: a waiting job leaves the queue and never starts; a running one is aborted. */
  signal?: AbortSignal;
  /** Who the job is for (e.g. `client:<ip>`, `session:<id>`); each may hold at most `maxPerOwner` jobs. */
  owners?: string[];
}

interface Waiter {
  owners: string[];
  start: () => void;
  cancel: (reason: unknown) => void;
}

/**
 * At most `concurrency` jobs at once, a bounded queue behind them, and typed refusals: when the queue is
 * full (`QueueFullError`) or when one owner already holds its share of running + waiting jobs
 * (`OwnerShareError`), each carrying how long to wait before retrying (estimated from recent run
 * durations) so the API answers at once instead of letting requests hang. A freed slot goes to the
 * waiting job whose owners run the fewest jobs (oldest first among equals), so a client with one run
 * waiting is not served after another client's whole backlog.
 */
export class RunQueue {
  readonly concurrency: number;
  readonly maxWaiting: number;
  readonly maxPerOwner: number;
  private active = 0;
  private readonly queue: Waiter[] = [];
  /** Jobs held (running or waiting) per owner. */
  private readonly held = new Tally();
  /** Jobs running per owner, for choosing who goes next. */
  private readonly runningBy = new Tally();
  private readonly controllers = new Set<AbortController>();
  private averageRunMs: number;
  private closed = false;

  constructor(options: RunQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    this.maxWaiting = Math.max(0, options.maxWaiting ?? this.concurrency * 8);
    this.maxPerOwner = Math.max(
      1,
      options.maxPerOwner ?? Math.max(2, Math.ceil((this.concurrency + this.maxWaiting) / 4)),
    );
    this.averageRunMs = options.expectedRunMs ?? 1000;
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Jobs one owner holds now (running + waiting). */
  heldBy(owner: string): number {
    return this.held.get(owner);
  }

  /** Seconds until a slot is likely free for one more request, at least 1. */
  retryAfterSeconds(ahead = this.queue.length + 1): number {
    return Math.max(1, Math.ceil((this.averageRunMs * ahead) / this.concurrency / 1000));
  }

  /**
   * Runs `job` when a slot is free. The job's own signal fires when the caller's `signal` aborts (the
   * client went away) and on `close()`.
   */
  async submit<T>(
    job: (signal: AbortSignal) => Promise<T>,
    options: SubmitOptions | AbortSignal = {},
  ): Promise<T> {
    const { signal, owners = [] } = options instanceof AbortSignal ? { signal: options } : options;
    if (this.closed) throw new RunQueueClosedError();
    signal?.throwIfAborted();
    const unique = [...new Set(owners)];
    if (this.active >= this.concurrency && this.queue.length >= this.maxWaiting) {
      throw new QueueFullError(this.retryAfterSeconds());
    }
    for (const owner of unique) {
      if (this.heldBy(owner) >= this.maxPerOwner) {
        throw new OwnerShareError(owner, this.maxPerOwner, this.retryAfterSeconds(this.maxPerOwner));
      }
    }
    for (const owner of unique) this.held.add(owner);
    try {
      if (this.active >= this.concurrency) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            const index = this.queue.indexOf(waiter);
            if (index >= 0) this.queue.splice(index, 1);
            reject(signal?.reason);
          };
          const waiter: Waiter = {
            owners: unique,
            start: () => {
              signal?.removeEventListener("abort", onAbort);
              resolve();
            },
            cancel: reject,
          };
          signal?.addEventListener("abort", onAbort, { once: true });
          this.queue.push(waiter);
        });
      } else {
        this.active++;
      }
      // The slot was handed over with `active` already counted (see `release`).
      return await this.runJob(job, unique, signal);
    } finally {
      for (const owner of unique) this.held.remove(owner);
    }
  }

  /** Refuses new jobs, fails the waiting ones and aborts the running ones. */
  close(): void {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.cancel(new RunQueueClosedError());
    for (const controller of this.controllers) controller.abort(new RunQueueClosedError());
  }

  private async runJob<T>(
    job: (signal: AbortSignal) => Promise<T>,
    owners: string[],
    signal?: AbortSignal,
  ): Promise<T> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.controllers.add(controller);
    for (const owner of owners) this.runningBy.add(owner);
    const started = performance.now();
    try {
      if (signal?.aborted) onAbort();
      return await job(controller.signal);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.controllers.delete(controller);
      for (const owner of owners) this.runningBy.remove(owner);
      // A moving average is enough to tell a client roughly when to come back.
      this.averageRunMs = this.averageRunMs * 0.8 + (performance.now() - started) * 0.2;
      this.release();
    }
  }

  /** Hands the freed slot to the waiter whose owners run the fewest jobs now, the oldest among equals. */
  private release() {
    let best = -1;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.queue.length; i++) {
      const owners = this.queue[i]?.owners ?? [];
      const load = owners.reduce((sum, owner) => sum + this.runningBy.get(owner), 0);
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
        if (load === 0) break;
      }
    }
    const [next] = best >= 0 ? this.queue.splice(best, 1) : [];
    if (next) next.start();
    else this.active--;
  }
}
