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
