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

/** Bun's Worker, which can stop holding the process open (the DOM typings in scope lack it). */
type BunWorker = Worker & { ref(): void; unref(): void };

/**
 * The server thread's end of the PGlite worker: requests are numbered, answered in order, and the
 * worker only keeps the process alive while something waits on it.
 */
export class PgliteThread {
  private readonly worker: BunWorker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor() {
    this.worker = new Worker(new URL("./pglite-worker.ts", import.meta.url).href) as BunWorker;
    this.worker.unref();
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error) waiter.reject(new DatabaseError(reply.error));
      else waiter.resolve(reply.result);
    };
    this.worker.onerror = (event) =>
      this.fail(new Error(`PGlite is closed: the database thread failed (${event.message})`));
  }

  request<T>(body: RequestBody, transfer: Transferable[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    try {
      await this.request({ type: "close" });
    } finally {
      this.fail(new Error("PGlite is closed"));
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.worker.terminate();
  }
}
