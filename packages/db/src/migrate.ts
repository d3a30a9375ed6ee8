import { fileURLToPath } from "node:url";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.ts";

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Applies the drizzle migrations not yet applied; a no-op when the database is current. */
export async function migrate(database: Database, folder = migrationsFolder): Promise<void> {
  if (database.thread) {
    // Embedded PGlite: drizzle's PGlite migrator runs next to the database, on its thread.
    await database.thread.request({ type: "migrate", migrationsFolder: folder });
  } else {
    // The migrator only reads `db.dialect` and `db.session`, which every drizzle database has.
    await migratePostgres(database.db as never, { migrationsFolder: folder });
  }
}
