import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { ZodError } from "zod";
import type { QuestionInput } from "../questions/question.ts";
import { callers, createTestDeps, errorOf } from "../testing.ts";
import { FieldError } from "../trpc.ts";

/** The fields a refused call names, as the REST body and the tRPC error shape carry them. */
async function refusedFields(call: Promise<unknown>): Promise<string[]> {
  const error = await errorOf(call);
  expect(error.code).toBe("BAD_REQUEST");
  if (error.cause instanceof ZodError) return error.cause.issues.map((i) => i.path.join("."));
  if (error.cause instanceof FieldError) return [error.cause.field];
  return [];
}

const twoSum: QuestionInput = {
  title: "Two sum",
  prompt: "Read `n` numbers and a target; print the **indices** of two that add up to it.",
  difficulty: "easy",
  tags: ["Arrays", "hashing"],
  starterCode: { python: "import sys\n", cpp: "#include <iostream>\nint main() {}\n" },
  tests: [
    { stdin: "4 9\n2 7 11 15\n", expected: "0 1\n", visibility: "public" },
    { id: "big", stdin: "2 3\n1 2\n", expected: "0 1\n", visibility: "hidden", comparison: "tokens" },
  ],
  referenceSolution: { language: "python", code: "print('0 1')" },
  rubric: [{ title: "Complexity" }, { id: "comm", title: "Communication", description: "Explains choices" }],
};

for (const target of testDatabaseTargets()) {
  describe(`question bank (${target.name})`, () => {
    let database: Database;
    let t: ReturnType<typeof createTestDeps>;
    let token: string;
    const bank = () => callers(t.deps).as(token).question;

    beforeAll(async () => {
      database = await target.open();
      t = createTestDeps(database);
      token = (await callers(t.deps).anonymous().session.create({})).interviewerToken;
    });
    afterAll(() => database.close());

    test("create, read, replace, delete; ids given to tests and rubric items", async () => {
      const created = await bank().create(twoSum);
      expect(created.tags).toEqual(["arrays", "hashing"]);
      expect(created.tests.map((x) => x.id)).toEqual(["t1", "big"]);
      expect(created.tests[0]).toMatchObject({ comparison: "trimmed", timeLimitMs: 2000, tolerance: 1e-6 });
      expect(created.rubric.map((r) => r.id)).toEqual(["r1", "comm"]);
      expect(await bank().get({ id: created.id })).toEqual(created);

      t.advance(1000);
      const replaced = await bank().update({ ...twoSum, id: created.id, title: "Two sum II", tests: [] });
      expect(replaced.title).toBe("Two sum II");
      expect(replaced.tests).toEqual([]);
      expect(replaced.createdAt).toBe(created.createdAt);
      expect(Date.parse(replaced.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));

      expect(await bank().delete({ id: created.id })).toEqual({ deleted: true, id: created.id });
      expect((await errorOf(bank().get({ id: created.id }))).code).toBe("NOT_FOUND");
      expect((await errorOf(bank().delete({ id: created.id }))).code).toBe("NOT_FOUND");
    });

    test("candidates, observers and strangers are refused: no token 401, any other token 403", async () => {
      const created = await bank().create(twoSum);
      const anonymous = callers(t.deps).anonymous().question;
      expect((await errorOf(anonymous.list({}))).code).toBe("UNAUTHORIZED");
      expect((await errorOf(anonymous.get({ id: created.id }))).code).toBe("UNAUTHORIZED");
      expect((await errorOf(anonymous.export())).code).toBe("UNAUTHORIZED");
      const stranger = callers(t.deps).as("not-a-token").question;
      expect((await errorOf(stranger.get({ id: created.id }))).code).toBe("FORBIDDEN");
      expect((await errorOf(stranger.create(twoSum))).code).toBe("FORBIDDEN");
      // The token of an expired session no longer opens the bank.
      const short = await callers(t.deps).anonymous().session.create({ ttlHours: 1 });
      t.advance(2 * 3_600_000);
      expect((await errorOf(callers(t.deps).as(short.interviewerToken).question.list({}))).code).toBe(
        "FORBIDDEN",
      );
      token = (await callers(t.deps).anonymous().session.create({})).interviewerToken;
    });

    test("bad input names the field and stores nothing", async () => {
      const before = (await bank().export()).questions.length;
      expect(await refusedFields(bank().create({ ...twoSum, title: " " }))).toEqual(["title"]);
      expect(
        await refusedFields(
          bank().create({ ...twoSum, tests: [{ expected: "1", comparison: "fuzzy" as never }] }),
        ),
      ).toEqual(["tests.0.comparison"]);
      expect(
        await refusedFields(
          bank().create({
            ...twoSum,
            tests: [
              { id: "a", expected: "1" },
              { id: "a", expected: "2" },
            ],
          }),
        ),
      ).toEqual(["tests.1.id"]);
      const language = await refusedFields(
        bank().create({ ...twoSum, starterCode: { cobol: "x" } as never }),
      );
      expect(language.join()).toContain("starterCode");
      expect((await bank().export()).questions.length).toBe(before);
    });

    test("list: keyset pages cover every question once; search by words, tags and difficulty", async () => {
      for (let i = 0; i < 23; i++) {
        await bank().create({
          ...twoSum,
          title: `Paged ${i} ${i % 2 ? "graph" : "string"}`,
          tags: i % 3 === 0 ? ["paging", "dp"] : ["paging"],
          difficulty: i % 2 ? "hard" : "medium",
        });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await bank().list({ tags: "paging", limit: 5, cursor });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((q) => q.title));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.length).toBe(23);
      expect(new Set(seen).size).toBe(23);
      expect(seen[0]).toBe("Paged 22 string"); // newest first

      const graphs = await bank().list({ q: "GRAPH pag", tags: "paging", limit: 100 });
      expect(graphs.items.length).toBe(11); // words match whole or as a prefix, in any case
      expect((await bank().list({ tags: "paging, DP", limit: 100 })).items.length).toBe(8);
      expect((await bank().list({ tags: "paging", difficulty: "hard", limit: 100 })).items.length).toBe(11);
      // A summary counts the tests but carries none of their content.
      const [first] = graphs.items;
      expect(first).toMatchObject({ publicTests: 1, hiddenTests: 1, languages: ["cpp", "python"] });
      expect(JSON.stringify(graphs)).not.toContain("0 1");
      // Search syntax is not passed through: operators are just ignored.
      expect((await bank().list({ q: "graph & ( :* \\", tags: "paging", limit: 100 })).items.length).toBe(11);
      expect((await bank().list({ q: "%", tags: "paging", limit: 100 })).items.length).toBe(23);
      expect(await refusedFields(bank().list({ cursor: "garbage" }))).toEqual(["cursor"]);
    });

    test("export, then import: the same questions come back; a bad record does not block the others", async () => {
      const exported = await bank().export();
      expect(exported.format).toBe("pairpad.questions");
      const sample = exported.questions.filter((q) => q.title === "Two sum").slice(0, 1);
      expect(sample.length).toBe(1);
      const result = await bank().import({
        questions: [...sample, { title: "", prompt: "x" }, { ...sample[0], title: "Imported copy" }],
      });
      expect(result.imported).toBe(2);
      expect(result.results[1]).toMatchObject({ index: 1, fields: ["title"] });
      const copyId = result.results[2]?.id ?? "";
      const copy = await bank().get({ id: copyId });
      const { id: _a, createdAt: _b, updatedAt: _c, ...original } = sample[0] ?? ({} as never);
      const { id: _d, createdAt: _e, updatedAt: _f, ...imported } = copy;
      expect(imported).toEqual({ ...original, title: "Imported copy" });
    });
  });
}
