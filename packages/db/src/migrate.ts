import { fileURLToPath } from "node:url";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.ts";

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** The advisory lock Pairpad's migrations hold on PostgreSQL (an arbitrary constant: "pairpad1"). */
const MIGRATION_LOCK = 0x7061697270616431n;

/**
 * Applies the drizzle migrations not yet applied; a no-op when the database is current. On
 * PostgreSQL several nodes may start at once on the same database (replicas rolling out, pods
 * scaled up): each takes an advisory lock first, so one migrates and the others then find it done
 * (drizzle's migrator has no lock of its own; without one, concurrent first runs fail).
 */
export async function migrate(database: Database, folder = migrationsFolder): Promise<void> {
  if (database.thread) {
    // Embedded PGlite: drizzle's PGlite migrator runs next to the database, on its thread.
    await database.thread.request({ type: "migrate", migrationsFolder: folder });
    return;
  }
  // The migrator only reads `db.dialect` and `db.session`, which every drizzle database has.
  const run = () => migratePostgres(database.db as never, { migrationsFolder: folder });
  await (database.withAdvisoryLock ? database.withAdvisoryLock(MIGRATION_LOCK, run) : run());
}
