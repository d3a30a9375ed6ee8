import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Executor } from "@pairpad/api/execution/executor";
import { callers, createTestDeps, errorOf } from "@pairpad/api/testing";
import type { Database } from "@pairpad/db/client";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { createLogger } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const logger = createLogger("debug", {}, { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test("secrets, code and stdin never reach a log line, whoever passes them", () => {
  const { logger, lines, entries } = capture();
  logger.error("something failed", {
    code: "print('TOP-SECRET-CODE')",
    stdin: "TOP-SECRET-STDIN",
    authorization: "Bearer TOP-SECRET-TOKEN",
    request: { headers: { cookie: "session=TOP-SECRET-COOKIE" }, token: "TOP-SECRET-TOKEN-2" },
    error: new Error('insert failed\nparams: TOP-SECRET-PARAM,"x"'),
  });
  logger.warn("refused", { code: "PAYLOAD_TOO_LARGE", sessionId: "abc" });
  expect(lines.join("")).not.toContain("TOP-SECRET");
  expect(entries()[1]).toMatchObject({ level: "warn", code: "PAYLOAD_TOO_LARGE", sessionId: "abc" });
  expect(entries()[0]).toMatchObject({ level: "error", error: "Error: insert failed" });
});

test("debug lines are written at LOG_LEVEL=debug only", () => {
  const { logger, lines } = capture();
  logger.debug("shown");
  const quiet: string[] = [];
  createLogger("info", {}, { stdout: (l) => quiet.push(l), stderr: (l) => quiet.push(l) }).debug("hidden");
  expect(lines).toHaveLength(1);
  expect(quiet).toHaveLength(0);
});

const [pglite] = testDatabaseTargets();

describe("an unexpected failure of a run", () => {
  let database: Database;
  beforeAll(async () => {
    database = await (pglite as NonNullable<typeof pglite>).open();
  });
  afterAll(() => database.close());

  test("is logged once with its request, session and run id, and without the code or stdin", async () => {
    const { logger, lines, entries } = capture();
    // The toolchain is there; the executor itself breaks (a bug, a lost engine).
    const broken: Executor = {
      kind: "sandbox",
      languages: async () => [{ id: "python", name: "Python", version: "3", available: true }] as never,
      run: async () => {
        throw new Error("the engine went away");
      },
    };
    const { deps } = createTestDeps(database, { executor: broken, logger });
    const session = await callers(deps).anonymous().session.create({ language: "python" });
    const error = await errorOf(
      callers(deps).anonymous().execute.run({
        sessionId: session.id,
        language: "python",
        code: "print('TOP-SECRET-CODE')",
        stdin: "TOP-SECRET-STDIN",
      }),
    );
    expect(error.code).toBe("INTERNAL_SERVER_ERROR");
    const failures = entries().filter((e) => e.level === "error");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      message: "procedure failed",
      path: "execute.run",
      sessionId: session.id,
    });
    expect(String(failures[0]?.runId)).toMatch(/^\S{8,}$/);
    expect(lines.join("")).not.toContain("TOP-SECRET");
    expect(lines.join("")).not.toContain(session.interviewerToken);
  });
});
