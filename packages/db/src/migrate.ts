import { fileURLToPath } from "node:url";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.ts";

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Applies the drizzle migrations not yet applied; a no-op when the database is current. */
export async function migrate(database: Database): Promise<void> {
  // Both migrators only read `db.dialect` and `db.session`, which every drizzle database has.
  if (database.kind === "postgres") {
    await migratePostgres(database.db as never, { migrationsFolder });
  } else if (database.thread) {
    // The PGlite migrator runs next to the database, on its thread.
    await database.thread.request({ type: "migrate", migrationsFolder });
  } else {
    throw new Error(`cannot migrate a ${database.kind} database without its thread`);
  }
}
