/** Runs at most `concurrency` jobs at once, with a bounded queue behind them. */
export interface RunQueue {
  /** Resolves with the job's result; rejects with `QueueFullError` when the queue is full. */
  submit<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("The run queue is full");
    this.name = "QueueFullError";
  }
}

/** In-process queue: `concurrency` runs at once, at most `capacity` waiting behind them. */
export class BoundedRunQueue implements RunQueue {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** Rough mean run time, for the Retry-After hint. */
  private meanMs = 1000;

  constructor(
    private readonly concurrency: number,
    private readonly capacity: number,
  ) {}

  get running() {
    return this.active;
  }
  get waiting() {
    return this.queue.length;
  }

  async submit<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.queue.length >= this.capacity) {
        const waves = Math.ceil((this.queue.length + 1) / this.concurrency);
        throw new QueueFullError(Math.max(1, Math.ceil((waves * this.meanMs) / 1000)));
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    const started = performance.now();
    const controller = new AbortController();
    try {
      return await job(controller.signal);
    } finally {
      this.meanMs = this.meanMs * 0.8 + (performance.now() - started) * 0.2;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so `active` stays counted.
      if (next) next();
      else this.active--;
    }
  }
}
