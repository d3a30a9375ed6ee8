import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RestartEvent } from "@pairpad/db/client";
import { documentUpdates } from "@pairpad/db/schema";
import { openTestPglite } from "@pairpad/db/testing";
import { asc, eq } from "drizzle-orm";
import * as Y from "yjs";
import { type RunningServer, startServer } from "./main.ts";
import { connectProvider, eventually } from "./testing.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Edits as a user types: one character at a time at the end of their own line. */
function typist(client: ReturnType<typeof connectProvider>, mark: string) {
  const sent: Uint8Array[] = [];
  client.doc.on("update", (update: Uint8Array, origin: unknown) => {
    // Local changes have no origin; what the provider applies from the server has the provider.
    if (origin !== client.provider) sent.push(update);
  });
  let typed = 0;
  return {
    sent,
    type(count: number) {
      for (let i = 0; i < count; i++) {
        client.text.insert(client.text.length, `${mark}${typed++ % 10}`);
      }
    },
    get typed() {
      return typed;
    },
  };
}

test("the PGlite thread dies while two standard clients edit: it restarts, nothing the server received is lost or logged twice, editing goes on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-db-restart-"));
  dirs.push(dir);
  const database = await openTestPglite({ dataDir: join(dir, "pglite") });
  const thread = database.thread;
  if (!thread) throw new Error("an embedded database has a thread");
  const events: RestartEvent[] = [];
  thread.onRestart((event) => events.push(event));
  let server: RunningServer | undefined;
  const clients: Array<ReturnType<typeof connectProvider>> = [];
  try {
    server = await startServer(
      { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: dir },
      {},
      { database },
    );
    const api = (path: string, init?: RequestInit) => fetch(`${server?.url}/api${path}`, init);
    const created = await api("/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Outage", language: "python" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const a = connectProvider(server, id, "Ada");
    const b = connectProvider(server, id, "Bo");
    clients.push(a, b);
    await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true), 60_000);
    const ada = typist(a, "a");
    const bo = typist(b, "b");
    let reconnects = 0;
    for (const c of clients)
      c.provider.on("status", ({ status }) => status === "disconnected" && reconnects++);

    for (let round = 0; round < 2; round++) {
      // Typing keeps update-log writes in flight when the thread dies.
      const typing = setInterval(() => {
        ada.type(2);
        bo.type(2);
      }, 5);
      await eventually(() => expect(ada.typed).toBeGreaterThan(40 * (round + 1)), 60_000);
      const crashed = events.length;
      thread.crash();
      await eventually(() => expect(events.length).toBeGreaterThan(crashed), 60_000);
      // Meanwhile the database is unavailable: requests that need it answer 503, at once.
      const during = await api(`/sessions/${id}`);
      if (thread.restarts === round) expect(during.status).toBe(503);
      await eventually(() => expect(thread.restarts).toBe(round + 1), 120_000);
      clearInterval(typing);
      expect((await api(`/sessions/${id}`)).status).toBe(200);
    }

    // Editing continues after the restart, both ways.
    ada.type(3);
    bo.type(3);
    await eventually(() => {
      expect(a.text.toString()).toBe(b.text.toString());
      expect(a.text.toString().length).toBe(2 * (ada.typed + bo.typed));
    }, 60_000);
    const expected = a.text.toString();

    // Every update is in the update log once, and the log alone rebuilds the document.
    const logged = await eventually(async () => {
      const rows = await database.db
        .select()
        .from(documentUpdates)
        .where(eq(documentUpdates.sessionId, id))
        .orderBy(asc(documentUpdates.id));
      const doc = new Y.Doc();
      for (const row of rows) Y.applyUpdate(doc, row.update);
      expect(doc.getText("code").toString()).toBe(expected);
      return rows;
    }, 60_000);
    const keys = logged.map((row) => Buffer.from(row.update).toString("base64"));
    expect(new Set(keys).size).toBe(keys.length);
    if (reconnects === 0) {
      // No reconnect: each change a client sent reached the server as itself, and is logged as itself.
      const stored = new Set(keys);
      for (const update of [...ada.sent, ...bo.sent])
        expect(stored.has(Buffer.from(update).toString("base64"))).toBe(true);
    }
    // And the stored document (what a new room loads) has it all.
    const code = await api(`/sessions/${id}/code`);
    expect(((await code.json()) as { code: string }).code).toBe(expected);
    expect(events.map((e) => e.phase)).toEqual(
      expect.arrayContaining(["crashed", "restarted", "crashed", "restarted"]),
    );
  } finally {
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
    await server?.stop();
  }
}, 600_000);
