import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { terminalEvents } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { TRPCError } from "@trpc/server";
import * as Y from "yjs";
import { DocumentStore } from "../documents/store.ts";
import { Replayer } from "../playback/replayer.ts";
import { decodeTimeline, type TimelinePage } from "../playback/timeline.ts";
import { callers, createTestDeps } from "../testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`playback and export (${target.name})`, () => {
    let database: Database;
    let t: ReturnType<typeof createTestDeps>;
    const anonymous = () => callers(t.deps).anonymous();
    const as = (token: string) => callers(t.deps).as(token);

    beforeAll(async () => {
      database = await target.open();
      t = createTestDeps(database);
    });
    afterAll(() => database.close());

    test("the timeline pages through every update with its author, and rebuilds each step exactly", async () => {
      const s = await anonymous().session.create({ language: "python" });
      const store = new DocumentStore(database.db);
      // Two writers typing into their own documents; every update is stored as the server would.
      const alice = new Y.Doc();
      const bob = new Y.Doc();
      const expected: string[] = [];
      const record = async (doc: Y.Doc, other: Y.Doc, actor: string, edit: (text: Y.Text) => void) => {
        const before = Y.encodeStateVector(doc);
        edit(doc.getText("code"));
        const update = Y.encodeStateAsUpdate(doc, before);
        Y.applyUpdate(other, update);
        await store.append([{ sessionId: s.id, update, actor, at: t.deps.clock() }]);
        expected.push(doc.getText("code").toString());
      };
      for (let i = 0; i < 30; i++) {
        await record(alice, bob, "Alice", (text) => text.insert(text.length, `a${i} `));
        if (i % 3 === 0) await record(bob, alice, "Bob", (text) => text.insert(0, "b"));
        if (i % 7 === 6) await record(bob, alice, "Bob", (text) => text.delete(0, 2));
      }

      const caller = as(s.interviewerToken);
      const updates = [];
      let cursor: number | undefined;
      let first: TimelinePage | undefined;
      do {
        const page: TimelinePage = await caller.playback.timeline({ id: s.id, cursor, limit: 7 });
        first ??= page;
        if (cursor !== undefined) expect(page.markers).toEqual([]);
        updates.push(...decodeTimeline(page));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(updates).toHaveLength(expected.length);
      expect(new Set(updates.map((u) => u.actor))).toEqual(new Set(["Alice", "Bob"]));

      const replayer = new Replayer(updates, 8);
      // Forward, backward across checkpoints, and by time.
      for (const position of [expected.length, 1, 17, 9, 40, 3, expected.length - 1]) {
        expect(replayer.seek(position).code).toBe(expected[position - 1] ?? "");
      }
      expect(replayer.at(updates[4]?.at ?? 0).code).toBe(expected[4] ?? "");
      replayer.seek(expected.length);
      const spans = replayer.authorship();
      expect(spans.map((x) => x.actor)).toContain("Alice");
      expect(spans.at(-1)?.to).toBe(expected.at(-1)?.length);
      expect(first?.markers.map((m) => m.kind)).toContain("session");
    });

    test("the terminal's live runs replay with their times, for the interviewer only", async () => {
      const s = await anonymous().session.create({ language: "python" });
      const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms));
      const bytes = (text: string) => new TextEncoder().encode(text);
      await database.db.insert(terminalEvents).values([
        {
          sessionId: s.id,
          runId: "r1",
          kind: "start",
          actor: "Ada",
          data: bytes('{"mode":"run"}'),
          createdAt: at(0),
        },
        {
          sessionId: s.id,
          runId: "r1",
          kind: "output",
          actor: null,
          data: bytes("name? "),
          createdAt: at(40),
        },
        {
          sessionId: s.id,
          runId: "r1",
          kind: "input",
          actor: "Ada",
          data: bytes("ada\r"),
          createdAt: at(900),
        },
        {
          sessionId: s.id,
          runId: "r1",
          kind: "end",
          actor: null,
          data: bytes('{"status":"ok"}'),
          createdAt: at(950),
        },
      ]);
      expect(
        await anonymous()
          .playback.terminal({ id: s.id })
          .catch((e: TRPCError) => e.code),
      ).toBe("UNAUTHORIZED");
      const caller = as(s.interviewerToken);
      const first = await caller.playback.terminal({ id: s.id, limit: 3 });
      expect(first.events.map((e) => e.kind)).toEqual(["start", "output", "input"]);
      expect(first.events.map((e) => e.at - (first.events[0]?.at ?? 0))).toEqual([0, 40, 900]);
      expect(Buffer.from(first.events[2]?.data ?? "", "base64").toString()).toBe("ada\r");
      expect(first.events[2]?.actor).toBe("Ada");
      const rest = await caller.playback.terminal({ id: s.id, cursor: first.nextCursor ?? undefined });
      expect(rest.events.map((e) => e.kind)).toEqual(["end"]);
      expect(rest.nextCursor).toBeNull();
    });

    test("playback and the full export are for the interviewer; the final code is a file for anyone", async () => {
      const s = await anonymous().session.create({ language: "java" });
      await t.deps.rooms.replaceCode(s.id, "public class Solution { }", "candidate");
      await anonymous().code.save({ id: s.id, label: "draft" });
      const denied = await anonymous()
        .playback.timeline({ id: s.id })
        .catch((e: TRPCError) => e.code);
      expect(denied).toBe("UNAUTHORIZED");
      expect(
        await anonymous()
          .export.session({ id: s.id })
          .catch((e: TRPCError) => e.code),
      ).toBe("UNAUTHORIZED");

      const exported = await as(s.interviewerToken).export.session({ id: s.id });
      expect(exported.session.id).toBe(s.id);
      expect(exported.code).toEqual({ code: "public class Solution { }", language: "java" });
      expect(exported.snapshots.map((x) => x.label)).toEqual(["draft"]);
      expect(exported.updateCount).toBe(1);
      expect(JSON.stringify(exported)).not.toContain(s.interviewerToken);

      expect(await anonymous().export.code({ id: s.id })).toEqual({
        filename: "Solution.java",
        language: "java",
        code: "public class Solution { }",
      });
    });
  });
}
