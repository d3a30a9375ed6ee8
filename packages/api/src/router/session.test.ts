import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { codeSnapshots, documentUpdates, historyEntries, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq } from "drizzle-orm";
import { sweepExpiredSessions } from "../session/sessions.ts";
import { callers, createTestDeps, errorOf } from "../testing.ts";

const HOUR = 3_600_000;

for (const target of testDatabaseTargets()) {
  describe(`session lifecycle (${target.name})`, () => {
    let database: Database;
    let t: ReturnType<typeof createTestDeps>;
    const anonymous = () => callers(t.deps).anonymous();
    const as = (token: string) => callers(t.deps).as(token);

    beforeAll(async () => {
      database = await target.open();
      t = createTestDeps(database);
    });
    afterAll(() => database.close());

    test("create returns an unguessable id, the token once, and both links", async () => {
      const created = await anonymous().session.create({ title: "Backend loop", language: "python" });
      expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/); // 16 random bytes
      expect(created.interviewerToken.length).toBeGreaterThanOrEqual(43);
      expect(created.candidateUrl).toBe(`http://pairpad.test/sessions/${created.id}`);
      expect(created.interviewerUrl).toBe(`${created.candidateUrl}#token=${created.interviewerToken}`);
      expect(created.status).toBe("active");
      expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(24 * HOUR);

      const [row] = await database.db.select().from(sessions).where(eq(sessions.id, created.id));
      expect(row?.interviewerTokenHash).not.toContain(created.interviewerToken);
      expect(row?.interviewerTokenHash).toMatch(/^[0-9a-f]{64}$/);

      const fetched = await anonymous().session.get({ id: created.id });
      expect(JSON.stringify(fetched)).not.toContain(created.interviewerToken);
      expect(fetched.isInterviewer).toBe(false);
      expect((await as(created.interviewerToken).session.get({ id: created.id })).isInterviewer).toBe(true);
    });

    test("defaults: untitled, javascript; ttl is settable from 1 h to 7 d", async () => {
      const created = await anonymous().session.create({});
      expect(created.title).toBe("Untitled interview");
      expect(created.language).toBe("javascript");
      const short = await anonymous().session.create({ ttlHours: 1 });
      expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBe(HOUR);
      expect((await errorOf(anonymous().session.create({ ttlHours: 0.5 }))).code).toBe("BAD_REQUEST");
      expect((await errorOf(anonymous().session.create({ ttlHours: 24 * 8 }))).code).toBe("BAD_REQUEST");
    });

    test("update needs the interviewer token: 401 without, 403 with a wrong one", async () => {
      const created = await anonymous().session.create({ title: "A" });
      expect((await errorOf(anonymous().session.update({ id: created.id, title: "B" }))).code).toBe(
        "UNAUTHORIZED",
      );
      expect((await errorOf(as("wrong-token").session.update({ id: created.id, title: "B" }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await errorOf(as("wrong-token").session.delete({ id: created.id }))).code).toBe("FORBIDDEN");
      expect((await anonymous().session.get({ id: created.id })).title).toBe("A");
    });

    test("update changes title, language, status and expiry, and tells the session", async () => {
      const created = await anonymous().session.create({ title: "A" });
      const caller = as(created.interviewerToken);
      const updated = await caller.session.update({
        id: created.id,
        title: "B",
        language: "cpp",
        ttlHours: 48,
      });
      expect(updated.title).toBe("B");
      expect(updated.language).toBe("cpp");
      expect(Date.parse(updated.expiresAt) - Date.now()).toBeGreaterThan(47 * HOUR);
      // The shared document follows the session's language.
      expect((await anonymous().code.get({ id: created.id })).language).toBe("cpp");

      const ended = await caller.session.update({ id: created.id, status: "ended" });
      expect(ended.status).toBe("ended");
      const types = t.events.of(created.id).map((e) => e.type);
      expect(types).toContain("session-updated");
      expect(types).toContain("session-ended");

      const at = new Date(Date.now() + 3 * HOUR).toISOString();
      expect((await caller.session.update({ id: created.id, expiresAt: at })).expiresAt).toBe(at);
      const tooFar = new Date(Date.now() + 8 * 24 * HOUR).toISOString();
      const error = await errorOf(caller.session.update({ id: created.id, expiresAt: tooFar }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain("expiresAt");
    });

    test("delete removes the session and all its data", async () => {
      const created = await anonymous().session.create({ title: "A" });
      await anonymous().code.save({ id: created.id, code: "x = 1", label: "first" });
      await t.deps.rooms.replaceCode(created.id, "y = 2", "candidate");
      const result = await as(created.interviewerToken).session.delete({ id: created.id });
      expect(result).toEqual({ deleted: true, id: created.id });
      expect((await errorOf(anonymous().session.get({ id: created.id }))).code).toBe("NOT_FOUND");
      for (const table of [codeSnapshots, historyEntries, documentUpdates]) {
        const rows = await database.db.select().from(table).where(eq(table.sessionId, created.id));
        expect(rows).toHaveLength(0);
      }
      expect(t.events.of(created.id)).toContainEqual({ type: "session-ended", reason: "deleted" });
    });

    test("unknown ids are 404, malformed ids 400 before any query", async () => {
      const missing = await errorOf(anonymous().session.get({ id: "AAAAAAAAAAAAAAAAAAAAAA" }));
      expect(missing.code).toBe("NOT_FOUND");
      const malformed = await errorOf(anonymous().session.get({ id: "x'; drop table sessions; --" }));
      expect(malformed.code).toBe("BAD_REQUEST");
    });

    test("an expired session answers 404 everywhere and the sweeper removes it", async () => {
      const created = await anonymous().session.create({ ttlHours: 1 });
      await anonymous().code.save({ id: created.id, code: "kept until expiry" });
      t.advance(HOUR + 1000);
      try {
        for (const call of [
          () => anonymous().session.get({ id: created.id }),
          () => anonymous().code.get({ id: created.id }),
          () => anonymous().history.list({ id: created.id }),
          () => anonymous().participants.list({ id: created.id }),
          () => anonymous().snapshot.list({ id: created.id }),
          () => as(created.interviewerToken).session.update({ id: created.id, title: "late" }),
        ]) {
          expect((await errorOf(call())).code).toBe("NOT_FOUND");
        }
        expect(await sweepExpiredSessions(t.deps)).toBeGreaterThanOrEqual(1);
        const rows = await database.db.select().from(sessions).where(eq(sessions.id, created.id));
        expect(rows).toHaveLength(0);
        const snapshots = await database.db
          .select()
          .from(codeSnapshots)
          .where(eq(codeSnapshots.sessionId, created.id));
        expect(snapshots).toHaveLength(0);
        expect(t.events.of(created.id)).toContainEqual({ type: "session-ended", reason: "expired" });
      } finally {
        t.advance(-(HOUR + 1000));
      }
    });
  });
}
