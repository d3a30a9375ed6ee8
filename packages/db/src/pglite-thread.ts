import type { RequestBody, WorkerReply } from "./pglite-protocol.ts";

/** An error from the database thread, with the fields callers match on (SQLSTATE `code`, …). */
export class DatabaseError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;

  constructor(fields: NonNullable<WorkerReply["error"]>) {
    super(fields.message);
    this.name = "DatabaseError";
    Object.assign(this, fields);
  }
}

/**
 * The database thread is down or restarting. SQLSTATE 08006 (connection failure), like a dropped
 * PostgreSQL connection: callers treat it as an outage (503, retry later), not as a bad query.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = "08006";

  constructor(
    message: string,
    /** The request may have run before the thread died (a write may be committed): retry idempotently. */
    readonly mayHaveRun = false,
  ) {
    super(message);
    this.name = "DatabaseUnavailableError";
  }
}

/** What a restart reports, for the server's log and metrics. */
export interface RestartEvent {
  phase: "crashed" | "restarted" | "failed";
  reason: string;
  /** Restart attempts since the crash (1 for the first). */
  attempt: number;
  /** Milliseconds since the crash. */
  downMs: number;
}

export interface PgliteThreadOptions {
  /** Where the database lives. Without one it is in memory, and a crash loses it: no restart. */
  dataDir?: string;
}

/** Bun's Worker, which can stop holding the process open (the DOM typings in scope lack it). */
type BunWorker = Worker & { ref(): void; unref(): void };

type Waiter = { resolve(value: unknown): void; reject(error: Error): void };

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * The server thread's end of the PGlite worker: requests are numbered, answered in order, and the
 * worker only keeps the process alive while something waits on it.
 *
 * If the worker dies (a WebAssembly abort, an uncaught error, termination), a new one reopens the
 * same data directory — PostgreSQL's own crash recovery replays its WAL — and requests made
 * meanwhile fail at once with `DatabaseUnavailableError` (an outage, answered 503) instead of
 * waiting: callers that must not lose data (the update log) keep it and retry.
 */
export class PgliteThread {
  private worker: BunWorker;
  private readonly pending = new Map<number, Waiter>();
  private nextId = 1;
  /** Set while the thread is down (restarting) or for good (closed, or in memory and crashed). */
  private failure: Error | undefined;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The current outage: when the worker died, and which restart attempt is running. */
  private outage: { since: number; attempt: number } | undefined;
  private readonly listeners = new Set<(event: RestartEvent) => void>();
  /** Completed restarts since this thread started. */
  restarts = 0;

  constructor(private readonly options: PgliteThreadOptions = {}) {
    this.worker = this.spawn();
  }

  request<T>(body: RequestBody, transfer: Transferable[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return this.send<T>(this.worker, body, transfer);
  }

  /** Tells `listener` when the worker dies and when it is back; returns the unsubscribe. */
  onRestart(listener: (event: RestartEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the worker abruptly, as a crash would: for fault-injection tests. */
  crash(): void {
    this.worker.terminate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const open = !this.failure;
    this.closed = true;
    clearTimeout(this.retryTimer);
    try {
      if (open) await this.send(this.worker, { type: "close" });
    } finally {
      this.failure = new Error("PGlite is closed");
      this.rejectAll(() => this.failure as Error);
      this.worker.terminate();
    }
  }

  private spawn(): BunWorker {
    const worker = new Worker(new URL("./pglite-worker.ts", import.meta.url).href) as BunWorker;
    worker.unref();
    let reason = "the thread stopped";
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if (worker !== this.worker) return;
      const reply = event.data;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error) waiter.reject(new DatabaseError(reply.error));
      else waiter.resolve(reply.result);
    };
    worker.onerror = (event) => {
      reason = event.message;
    };
    // Bun reports every end of a worker (terminated, uncaught error, exit) as `close`.
    worker.addEventListener("close", () => {
      if (worker === this.worker && !this.closed) this.crashed(reason);
    });
    return worker;
  }

  private send<T>(worker: BunWorker, body: RequestBody, transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...body, id }, transfer);
    });
  }

  private rejectAll(error: (first: boolean) => Error): void {
    let first = true;
    // The worker runs requests one at a time in order: only the oldest one can have started.
    for (const waiter of this.pending.values()) {
      waiter.reject(error(first));
      first = false;
    }
    this.pending.clear();
  }

  private crashed(reason: string): void {
    const down = `PGlite is restarting: the database thread failed (${reason})`;
    this.rejectAll((first) => new DatabaseUnavailableError(down, first));
    if (this.options.dataDir === undefined) {
      // An in-memory database died with its thread: a new one would silently be empty.
      this.failure = new DatabaseUnavailableError(`PGlite is closed: the database thread failed (${reason})`);
      this.report({ phase: "failed", reason, attempt: 0, downMs: 0 });
      return;
    }
    this.failure = new DatabaseUnavailableError(down);
    if (this.outage) {
      // The new worker died too (while opening): try again later, not in a tight loop.
      this.retryLater(reason);
      return;
    }
    this.outage = { since: Date.now(), attempt: 1 };
    this.report({ phase: "crashed", reason, attempt: 0, downMs: 0 });
    this.restart(reason);
  }

  private restart(reason: string): void {
    const outage = this.outage;
    if (this.closed || !outage) return;
    this.worker.terminate();
    const worker = this.spawn();
    this.worker = worker;
    this.send(worker, { type: "open", dataDir: this.options.dataDir }).then(
      () => {
        if (this.closed || worker !== this.worker) return;
        this.failure = undefined;
        this.outage = undefined;
        this.restarts++;
        this.report({
          phase: "restarted",
          reason,
          attempt: outage.attempt,
          downMs: Date.now() - outage.since,
        });
      },
      (error: unknown) => {
        // The worker is alive but could not open the directory.
        if (!this.closed && worker === this.worker) this.retryLater(String(error));
      },
    );
  }

  private report(event: RestartEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Another attempt, less and less often. */
  private retryLater(reason: string): void {
    const outage = this.outage;
    if (!outage) return;
    this.report({
      phase: "failed",
      reason,
      attempt: outage.attempt,
      downMs: Date.now() - outage.since,
    });
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (outage.attempt - 1));
    outage.attempt++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.restart(reason), wait);
    this.retryTimer.unref?.();
  }
}
