import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { callers, createTestDeps, errorOf } from "../testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`code, snapshots and history (${target.name})`, () => {
    let database: Database;
    let t: ReturnType<typeof createTestDeps>;
    const anonymous = () => callers(t.deps).anonymous();
    const as = (token: string) => callers(t.deps).as(token);

    beforeAll(async () => {
      database = await target.open();
      t = createTestDeps(database);
    });
    afterAll(() => database.close());

    test("code reads the stored document; a new session has empty code in its language", async () => {
      const s = await anonymous().session.create({ language: "python" });
      expect(await anonymous().code.get({ id: s.id })).toEqual({ code: "", language: "python" });
      await t.deps.rooms.replaceCode(s.id, "print('hi')\n", "candidate");
      expect(await anonymous().code.get({ id: s.id })).toEqual({ code: "print('hi')\n", language: "python" });
    });

    test("saving without code snapshots the current code; with code, the given code", async () => {
      const s = await anonymous().session.create({ language: "javascript" });
      await t.deps.rooms.replaceCode(s.id, "console.log(1)", "candidate");
      const current = await anonymous().code.save({ id: s.id, label: "first try", author: "Ada" });
      expect(current).toMatchObject({
        code: "console.log(1)",
        language: "javascript",
        label: "first try",
        author: "Ada",
      });
      const given = await anonymous().code.save({ id: s.id, code: "def f(): pass", language: "python" });
      expect(given).toMatchObject({ code: "def f(): pass", language: "python", label: null });
      const { snapshots } = await anonymous().snapshot.list({ id: s.id });
      expect(snapshots.map((x) => x.id)).toEqual([given.id, current.id]);
      expect(t.events.of(s.id).filter((e) => e.type === "snapshot-saved")).toHaveLength(2);
    });

    test("restore replaces the live code for everyone, is interviewer only, and is recorded", async () => {
      const s = await anonymous().session.create({ language: "javascript" });
      await t.deps.rooms.replaceCode(s.id, "let a = 1;", "candidate");
      const snap = await anonymous().code.save({ id: s.id });
      await t.deps.rooms.replaceCode(s.id, "let a = 2; // changed", "candidate");

      expect((await errorOf(anonymous().snapshot.restore({ id: s.id, snapshotId: snap.id }))).code).toBe(
        "UNAUTHORIZED",
      );
      const restored = await as(s.interviewerToken).snapshot.restore({ id: s.id, snapshotId: snap.id });
      expect(restored).toEqual({ restored: true, code: "let a = 1;", language: "javascript" });
      expect((await anonymous().code.get({ id: s.id })).code).toBe("let a = 1;");
      const history = await anonymous().history.list({ id: s.id, kind: "restore" });
      expect(history.items[0]?.payload).toMatchObject({ snapshotId: snap.id });

      const missing = await errorOf(
        as(s.interviewerToken).snapshot.restore({ id: s.id, snapshotId: "nope" }),
      );
      expect(missing.code).toBe("NOT_FOUND");
    });

    test("a snapshot of another session cannot be restored", async () => {
      const a = await anonymous().session.create({});
      const b = await anonymous().session.create({});
      const snap = await anonymous().code.save({ id: a.id, code: "secret of a" });
      const error = await errorOf(as(b.interviewerToken).snapshot.restore({ id: b.id, snapshotId: snap.id }));
      expect(error.code).toBe("NOT_FOUND");
    });

    test("code over 256 KiB is refused with 413 naming the field", async () => {
      const s = await anonymous().session.create({});
      const error = await errorOf(anonymous().code.save({ id: s.id, code: "x".repeat(256 * 1024 + 1) }));
      expect(error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(error.message).toContain("code");
    });

    test("history is newest first and cursor-paginated without gaps or repeats", async () => {
      const s = await anonymous().session.create({});
      for (let i = 0; i < 7; i++) await anonymous().code.save({ id: s.id, code: `v${i}`, label: `v${i}` });
      const seen: number[] = [];
      let cursor: number | undefined;
      let pages = 0;
      do {
        const page = await anonymous().history.list({ id: s.id, limit: 3, cursor });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor !== undefined);
      expect(pages).toBe(3); // 7 snapshots + the creation entry = 8 entries
      expect(seen).toHaveLength(8);
      expect([...seen].sort((a, b) => b - a)).toEqual(seen);
      expect(new Set(seen).size).toBe(8);
      const labels = (await anonymous().history.list({ id: s.id, kind: "snapshot", limit: 2 })).items.map(
        (i) => i.payload.label,
      );
      expect(labels).toEqual(["v6", "v5"]);
    });

    test("execute: a language without a toolchain answers 503 with the reason", async () => {
      const error = await errorOf(anonymous().execute.run({ language: "python", code: "print(1)" }));
      expect(error.code).toBe("SERVICE_UNAVAILABLE");
      expect(error.message).toContain("python");
    });

    test("execute: oversized code and stdin are 413 naming the field", async () => {
      const code = await errorOf(
        anonymous().execute.run({ language: "python", code: "#".repeat(256 * 1024 + 1) }),
      );
      expect(code.code).toBe("PAYLOAD_TOO_LARGE");
      expect(code.message).toStartWith("code");
      const stdin = await errorOf(
        anonymous().execute.run({ language: "python", code: "", stdin: "x".repeat(1024 * 1024 + 1) }),
      );
      expect(stdin.code).toBe("PAYLOAD_TOO_LARGE");
      expect(stdin.message).toStartWith("stdin");
    });
  });
}
