import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { type Database, type DatabaseOptions, openDatabase } from "./client.ts";
import { migrate, migrationsFolder } from "./migrate.ts";

/** A database a test suite runs against: embedded PGlite always, PostgreSQL when DATABASE_URL is set. */
export interface TestDatabaseTarget {
  name: "pglite" | "postgres";
  open(): Promise<Database>;
}

const cacheDir = join(migrationsFolder, "..", "..", "..", "node_modules", ".cache", "pairpad");

function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith(".sql")) hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

let template: Promise<Blob> | undefined;

/** A migrated PGlite data directory, made once per migration set: initdb is the slow part. */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = join(cacheDir, `pglite-template-${migrationsHash()}.tar.gz`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const database = await openDatabase({});
    await migrate(database);
    if (!database.thread) throw new Error("an embedded database has a thread");
    const dump = new Blob([await database.thread.request<Uint8Array<ArrayBuffer>>({ type: "dump" })]);
    await database.close();
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()));
    renameSync(tmp, file);
    return dump;
  })();
  return template;
}

/** A migrated PGlite database: in memory, or in `options.dataDir` (which survives a thread restart). */
export async function openTestPglite(
  options: Omit<DatabaseOptions, "loadDataDir" | "databaseUrl"> = {},
): Promise<Database> {
  const database = await openDatabase({ ...options, loadDataDir: await pgliteTemplate() });
  await migrate(database);
  return database;
}

/** A fresh PostgreSQL database per call, dropped again on close. */
export async function openTestPostgres(databaseUrl: string): Promise<Database> {
  const name = `pairpad_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 5 });
  await migrate(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export function testDatabaseTargets(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [{ name: "pglite", open: openTestPglite }];
  const url = process.env.DATABASE_URL;
  if (url) targets.push({ name: "postgres", open: () => openTestPostgres(url) });
  return targets;
}
