import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import type { LanguageId, RunRequest, RunResult } from "@pairpad/api/execution/executor";
import { recipes } from "./languages.ts";
import { escapePaths, samples } from "./samples.ts";
import { SandboxExecutor } from "./sandbox.ts";

/**
 * The languages added after the first five, each through the real sandbox: hello world with stdin, a
 * compile (or syntax) error with the toolchain's message, a runtime error with its exit code, the time and
 * memory limits, and an escape attempt. A language whose toolchain is not installed here is skipped with
 * the reason (CI installs them all: see .ci/run).
 */
// Compilers on the JVM start slowly on a busy machine: a generous compile limit keeps this about the code.
const executor = new SandboxExecutor({
  runLimits: { wallTimeMs: 10_000, cpuTimeSeconds: 10 },
  compileLimits: { wallTimeMs: 120_000, cpuTimeSeconds: 120 },
});
const quick = new SandboxExecutor({
  prewarm: 0,
  runLimits: { wallTimeMs: 2500, cpuTimeSeconds: 2 },
  compileLimits: { wallTimeMs: 120_000, cpuTimeSeconds: 120 },
});
afterAll(() => Promise.all([executor.close(), quick.close()]));
// Past the compile limit: a test must not time out before the compile it waits for may (Scala took
// 21 s here on a lightly loaded machine, against the suite's 60 s per test).
setDefaultTimeout(180_000);

const languages = await executor.languages();
const show = (r: RunResult) =>
  JSON.stringify({
    ...r,
    stdout: r.stdout.slice(0, 400),
    stderr: r.stderr.slice(0, 400),
    compileOutput: r.compileOutput?.slice(0, 400),
  });

test("every language is listed, with a version or the reason it cannot run", () => {
  expect(languages.map((l) => l.id as string).sort()).toEqual(Object.keys(recipes).sort());
  for (const language of languages) {
    if (language.available) expect(language.version, language.id).toMatch(/^\d+\.\d+/);
    else expect(language.reason, language.id).toBeTruthy();
  }
});

for (const [id, sample] of Object.entries(samples) as Array<
  [LanguageId, NonNullable<(typeof samples)["go"]>]
>) {
  const info = languages.find((l) => l.id === id);
  if (!info?.available) console.warn(`languages.test.ts: ${id} skipped — ${info?.reason ?? "not listed"}`);
  const compiled = recipes[id].compile !== undefined;
  const run = (code: string, extra: Partial<RunRequest> = {}, on = executor) =>
    on.run({ language: id, code, ...extra });

  describe.skipIf(!info?.available)(`${id} (${info?.version ?? "missing"})`, () => {
    test("hello world reading stdin", async () => {
      const result =
        id === "sql"
          ? await run(sample.hello, {
              seed: "CREATE TABLE people (name TEXT);\nINSERT INTO people VALUES ('Ada Lovelace');",
            })
          : await run(sample.hello, { stdin: "Ada Lovelace\n" });
      expect(result.status, show(result)).toBe("ok");
      if (id === "sql") expect(result.stdout).toContain("Hello, Ada Lovelace!");
      else expect(result.stdout).toBe("Hello, Ada Lovelace!\n");
      expect(result.exitCode).toBe(0);
    });

    test(
      compiled ? "a compile error shows the compiler's message" : "a syntax error shows the message",
      async () => {
        const result = await run(sample.broken);
        if (compiled) {
          expect(result.status, show(result)).toBe("compile_error");
          expect(result.compileOutput).toContain("undefined_thing");
          expect(result.stdout).toBe("");
        } else {
          expect(result.status, show(result)).toBe("runtime_error");
          expect(result.stderr).toMatch(/undefined_thing|syntax error|unexpected/i);
        }
      },
    );

    test("a runtime error is runtime_error with the exit code and stderr", async () => {
      const result = await run(sample.fail);
      expect(result.status, show(result)).toBe("runtime_error");
      expect(result.stdout).toContain("before");
      if (id === "sql") {
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain("no such table: boom");
      } else {
        expect(result.exitCode).toBe(3);
        expect(result.stderr).toContain("boom");
      }
    });

    test("an endless loop times out", async () => {
      const result = await run(sample.loop, {}, quick);
      expect(result.status, show(result)).toBe("timeout");
    });

    test("a memory hog gets memory_limit", async () => {
      const result = await run(sample.hog);
      expect(result.status, show(result)).toBe("memory_limit");
    });

    test("an escape attempt writes nothing outside /box and sees none of the server's environment", async () => {
      process.env.PAIRPAD_TEST_SECRET = "s3cr3t-canary";
      try {
        const result = await run(sample.escape);
        expect(result.stdout).not.toContain("WRITTEN");
        expect(result.stdout).not.toContain("s3cr3t-canary");
        expect(result.stderr).not.toContain("s3cr3t-canary");
        if (id === "sql") expect(result.status).toBe("runtime_error");
        else expect(result.stdout.match(/refused/g)?.length, show(result)).toBe(escapePaths.length);
        for (const path of escapePaths) expect(existsSync(path)).toBe(false);
      } finally {
        delete process.env.PAIRPAD_TEST_SECRET;
      }
    });
  });
}

test("a rerun of the same code is not compiled again", async () => {
  const id = (["rust", "go", "csharp"] as LanguageId[]).find(
    (l) => languages.find((i) => i.id === l)?.available,
  );
  if (!id) return;
  const code = samples[id]?.hello ?? "";
  const hits = executor.compileCache.hits;
  const first = await executor.run({ language: id, code, stdin: "one" });
  const second = await executor.run({ language: id, code, stdin: "two" });
  expect(first.stdout).toBe("Hello, one!\n");
  expect(second.stdout).toBe("Hello, two!\n");
  expect(executor.compileCache.hits).toBeGreaterThan(hits);
  // A different source is compiled afresh.
  const changed = await executor.run({ language: id, code: `${code}\n`, stdin: "three" });
  expect(changed.stdout).toBe("Hello, three!\n");
});
