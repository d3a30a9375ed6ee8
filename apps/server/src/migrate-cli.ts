import { resolve } from "node:path";
import { openDatabase } from "@pairpad/db/client";
import { migrate } from "@pairpad/db/migrate";
import { EnvError, loadEnv } from "./env.ts";

/**
 * Applies the migrations and exits: run once before several replicas start (a Compose service, a
 * Kubernetes Job), so they never migrate the same database at the same time.
 */
try {
  const env = loadEnv();
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : resolve(env.DATA_DIR, "pglite"),
  });
  await migrate(database);
  await database.close();
  console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", message: "migrated" }));
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `migration failed: ${String(error)}`);
  process.exit(1);
}
