import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleProxy } from "drizzle-orm/pg-proxy";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { PgliteThread } from "./pglite-thread.ts";
import * as schema from "./schema.ts";

export type { RestartEvent } from "./pglite-thread.ts";
export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** A cheap round trip, for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the thread that owns the database (migrations run there, dumps come from it). */
  thread?: PgliteThread;
  /**
   * PostgreSQL only: runs `work` holding a session-level advisory lock on a connection of its own,
   * apart from the pool (so `work` may use the whole pool, even a pool of one).
   */
  withAdvisoryLock?<T>(key: bigint, work: () => Promise<T>): Promise<T>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, an embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory; `undefined` with no `databaseUrl` means in memory. */
  dataDir?: string;
  /** PGlite only: start from a dumped data directory (a tarball from `dumpDataDir`). */
  loadDataDir?: Blob;
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
      withAdvisoryLock: async (key, work) => {
        const lock = postgres(options.databaseUrl as string, {
          max: 1,
          onnotice: () => {},
          connect_timeout: 10,
        });
        try {
          await lock`select pg_advisory_lock(${key.toString()}::bigint)`;
          // Ending the connection releases the lock too, should the unlock not get through.
          return await work();
        } finally {
          await lock`select pg_advisory_unlock(${key.toString()}::bigint)`.catch(() => {});
          await lock.end({ timeout: 5 });
        }
      },
    };
  }
  // PGlite runs on a worker thread: its queries execute synchronously in WebAssembly and would
  // otherwise stall the server's event loop (and every WebSocket on it) for tens of milliseconds.
  const thread = new PgliteThread({ dataDir: options.dataDir });
  try {
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    await thread.request(
      { type: "open", dataDir: options.dataDir, loadDataDir },
      loadDataDir ? [loadDataDir] : [],
    );
  } catch (error) {
    await thread.close().catch(() => {});
    throw error;
  }
  const db = drizzleProxy(
    (sql, params, method) =>
      thread.request<unknown[]>({ type: "query", sql, params, method }).then((rows) => ({ rows })),
    { schema },
  ) as unknown as Db;
  return {
    db,
    kind: "pglite",
    thread,
    ping: async () => {
      await thread.request({ type: "query", sql: "select 1", params: [], method: "execute" });
    },
    close: () => thread.close(),
  };
}
