import { availableParallelism } from "node:os";
/** The queue is full; retry after `retryAfterSeconds` (answered 503 + Retry-After). */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("The run queue is full");
    this.name = "QueueFullError";
  }
}

export interface RunQueueOptions {
  /** Most runs at once. Default: the number of cores. */
  concurrency?: number;
  /** Most runs waiting behind them; one more is refused with `QueueFullError`. Default: 8 per slot. */
  maxWaiting?: number;
  /** Assumed length of a run until some have finished, for Retry-After. Default 1000 ms. */
  expectedRunMs?: number;
}

interface Waiter {
  start: () => void;
  cancel: (reason: unknown) => void;
}

/**
 * At most `concurrency` jobs at once, a bounded FIFO behind them, and a typed refusal when that is full,
 * carrying how long to wait before retrying (estimated from recent run durations) so the API can answer
 * 503 with Retry-After instead of letting requests hang.
 */
export class RunQueue {
  readonly concurrency: number;
  readonly maxWaiting: number;
  private active = 0;
  private readonly queue: Waiter[] = [];
  private readonly controllers = new Set<AbortController>();
  private averageRunMs: number;
  private closed = false;

  constructor(options: RunQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    this.maxWaiting = Math.max(0, options.maxWaiting ?? this.concurrency * 8);
    this.averageRunMs = options.expectedRunMs ?? 1000;
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Seconds until a slot is likely free for one more request, at least 1. */
  retryAfterSeconds(): number {
    const ahead = this.queue.length + 1;
    return Math.max(1, Math.ceil((this.averageRunMs * ahead) / this.concurrency / 1000));
  }

  /**
   * Runs `job` when a slot is free. `signal` (e.g. the client went away) takes a waiting job out of the
   * queue; the job's own signal fires on `close()`.
   */
  async submit<T>(job: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) throw new Error("The run queue is closed");
    signal?.throwIfAborted();
    if (this.active >= this.concurrency) {
      if (this.queue.length >= this.maxWaiting) throw new QueueFullError(this.retryAfterSeconds());
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          start: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
          cancel: reject,
        };
        const onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        this.queue.push(waiter);
      });
    } else {
      this.active++;
    }
    // The slot was handed over with `active` already counted (see `release`).
    const controller = new AbortController();
    this.controllers.add(controller);
    const started = performance.now();
    try {
      return await job(controller.signal);
    } finally {
      this.controllers.delete(controller);
      // A moving average is enough to tell a client roughly when to come back.
      this.averageRunMs = this.averageRunMs * 0.8 + (performance.now() - started) * 0.2;
      this.release();
    }
  }

  /** Refuses new jobs, fails the waiting ones and aborts the running ones. */
  close(): void {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.cancel(new Error("The run queue is closed"));
    for (const controller of this.controllers) controller.abort(new Error("The run queue is closed"));
  }

  private release() {
    const next = this.queue.shift();
    if (next) next.start();
    else this.active--;
  }
}
