import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type Database, openDatabase } from "./client.ts";
import { migrate, migrationsFolder } from "./migrate.ts";
import { openTestPostgres } from "./testing.ts";

const targets: Array<[string, () => Promise<Database>]> = [["pglite", () => openDatabase({})]];
const url = process.env.DATABASE_URL;
if (url) targets.push(["postgres", () => openTestPostgres(url)]);

/** `execute` returns the rows as an array on both drivers (PGlite's goes through pg-proxy). */
function rowsOf<T>(result: unknown): T[] {
  return result as T[];
}

for (const [name, open] of targets) {
  describe(`migrations (${name})`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(() => database.close());

    test("a fresh database migrates, and a second run is a no-op", async () => {
      await migrate(database);
      const tables = async () => {
        const result = await database.db.execute<{ table_name: string }>(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        );
        return rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
      };
      const applied = async () => {
        const result = await database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        return rowsOf<{ n: number }>(result)[0]?.n;
      };
      expect(await tables()).toEqual([
        "api_keys",
        "auth_accounts",
        "auth_sessions",
        "auth_users",
        "auth_verifications",
        "code_snapshots",
        "document_states",
        "document_updates",
        "history_entries",
        "instance_secrets",
        "interviewer_notes",
        "invitations",
        "members",
        "organizations",
        "questions",
        "scorecard_revisions",
        "scorecards",
        "session_questions",
        "sessions",
        "terminal_events",
        "test_runs",
      ]);
      const first = await applied();
      expect(first).toBeGreaterThan(0);
      await migrate(database);
      expect(await applied()).toBe(first);
      expect(await tables()).toHaveLength(21);
    });
  });
}

/** A migrations folder holding those before `tag`, as the release before it shipped them. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-migrations-"));
  mkdirSync(join(dir, "meta"));
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8"));
  journal.entries = journal.entries.slice(
    0,
    journal.entries.findIndex((e: { tag: string }) => e.tag === tag),
  );
  writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) {
    copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  }
  return dir;
}

describe("upgrading an existing data directory", () => {
  test("the workspace migration keeps every session, snapshot and update of the first schema", async () => {
    // A data directory of the first schema, carried over as PGlite's dump of it (on disk the
    // same bytes, only slower to initialise).
    const before = await openDatabase({});
    await migrate(before, migrationsBefore("0004_workspace"));
    await before.db.execute(
      sql`insert into sessions (id, title, language, interviewer_token_hash, expires_at)
          values ('AAAAAAAAAAAAAAAAAAAAAA', 'Old loop', 'python', ${"a".repeat(64)}, now() + interval '1 day')`,
    );
    await before.db.execute(
      sql`insert into code_snapshots (id, session_id, code, language) values ('s1', 'AAAAAAAAAAAAAAAAAAAAAA', 'print(1)', 'python')`,
    );
    if (!before.thread) throw new Error("an embedded database has a thread");
    const dump = await before.thread.request<Uint8Array<ArrayBuffer>>({ type: "dump" });
    await before.close();

    const after = await openDatabase({ loadDataDir: new Blob([dump]) });
    await migrate(after);
    const rows = rowsOf<{ title: string; organization_id: string | null; ended_at: unknown }>(
      await after.db.execute(sql`select title, organization_id, ended_at from sessions`),
    );
    expect(rows).toEqual([{ title: "Old loop", organization_id: null, ended_at: null }]);
    const snapshots = rowsOf<{ code: string }>(await after.db.execute(sql`select code from code_snapshots`));
    expect(snapshots).toEqual([{ code: "print(1)" }]);
    await after.close();
  }, 240_000); // two PGlite start-ups, one of them initdb: slow on a busy machine
});

describe.skipIf(!url)("migrations on PostgreSQL from several nodes at once", () => {
  test("nodes starting together on an empty database all migrate it, once", async () => {
    const name = `pairpad_race_${Date.now().toString(36)}`;
    const admin = postgres(url as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url as string);
    target.pathname = `/${name}`;
    // Separate pools, as separate processes would have.
    const nodes = await Promise.all(
      // Pools of one: the lock must not need a connection of the pool the migrator uses.
      Array.from({ length: 4 }, () => openDatabase({ databaseUrl: target.toString(), maxConnections: 1 })),
    );
    try {
      const results = await Promise.allSettled(nodes.map((node) => migrate(node)));
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(
        nodes.map(() => "ok"),
      );
      const [first] = nodes;
      const applied = rowsOf<{ n: number }>(
        await first?.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      )[0]?.n;
      const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
        entries: unknown[];
      };
      expect(applied).toBe(journal.entries.length);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
