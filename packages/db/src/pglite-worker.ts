/**
 * Runs the embedded PGlite database on its own thread.
 *
 * PGlite executes queries synchronously inside WebAssembly, so on the server's thread every
 * update-log flush and compaction stalled the event loop (measured up to 45 ms under 1,000
 * updates/s, see bench/RESULTS.md). Here it only blocks this worker; the server thread talks to
 * it through `drizzle-orm/pg-proxy` (see `client.ts`).
 */
import { mkdirSync } from "node:fs";
import { PGlite, types } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { WorkerReply, WorkerRequest } from "./pglite-protocol.ts";

declare const self: Worker;

// Dates and intervals come back as text, as drizzle's own PGlite driver asks: the column
// mappers on the other side turn them into what the schema declares.
const parsers = {
  [types.TIMESTAMP]: (value: string) => value,
  [types.TIMESTAMPTZ]: (value: string) => value,
  [types.INTERVAL]: (value: string) => value,
  [types.DATE]: (value: string) => value,
};

let client: PGlite | undefined;

/**
 * Opening PGlite leaves about 370 MiB of garbage on this thread's heap, which this thread's first
 * full collection would only free ten seconds or so later, and only while idle (measured by the
 * bench's memory scenario). Collecting now gives it back before the server takes traffic.
 */
function collectStartupGarbage(): void {
  Bun.gc(true);
}

function open(): PGlite {
  if (!client) throw new Error("PGlite is closed");
  return client;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case "open": {
      if (request.dataDir) mkdirSync(request.dataDir, { recursive: true });
      client = await PGlite.create({
        dataDir: request.dataDir,
        loadDataDir: request.loadDataDir ? new Blob([request.loadDataDir]) : undefined,
      });
      collectStartupGarbage();
      return null;
    }
    case "query": {
      const result = await open().query(request.sql, request.params, {
        rowMode: request.method === "all" ? "array" : "object",
        parsers,
      });
      return result.rows;
    }
    case "migrate":
      await migrate(drizzle(open()), { migrationsFolder: request.migrationsFolder });
      collectStartupGarbage();
      return null;
    case "dump": {
      const dump = await open().dumpDataDir("gzip");
      return new Uint8Array(await dump.arrayBuffer());
    }
    case "close":
      await client?.close();
      client = undefined;
      return null;
  }
}

/** Keeps what callers match on (the SQLSTATE code, the constraint) across the thread boundary. */
function describe(error: unknown): WorkerReply["error"] {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = error as Error & Record<string, unknown>;
  const pick = (key: string) => (typeof fields[key] === "string" ? (fields[key] as string) : undefined);
  return {
    message: error.message,
    code: pick("code"),
    detail: pick("detail"),
    constraint: pick("constraint"),
    table: pick("table"),
  };
}

// Requests run one at a time, in order: PGlite has a single connection anyway, and ordering keeps
// a write followed by a read consistent for the caller.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      const result = await handle(request);
      self.postMessage({ id: request.id, result } satisfies WorkerReply);
    } catch (error) {
      self.postMessage({ id: request.id, error: describe(error) } satisfies WorkerReply);
    }
  });
};
