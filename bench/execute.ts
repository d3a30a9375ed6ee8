/**
 * Hello-world latency per language: the bare toolchain (the executor's own compile/run commands, spawned
 * directly on the host) against the SandboxExecutor, median and ratio; then throughput with N parallel
 * runs (N = cores) through a RunQueue; then, when the server's executor is wired, through
 * `POST /api/execute` on a server started here.
 *
 * "back to back" starts each run as soon as the previous one returned (the executor's background work —
 * tearing down the last run's sandbox, preparing the next one — then competes with the run measured);
 * "spaced" leaves 100 ms between runs, as runs in an interview are, and times the same thing.
 *
 *   bun bench/execute.ts [iterations] [language ...]
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { type LanguageId, languageIds } from "@pairpad/api/execution/executor";
import { detectLanguages, recipes } from "../apps/server/src/executor/languages.ts";
import { defaultCompileLimits, defaultRunLimits } from "../apps/server/src/executor/outcome.ts";
import { samples } from "../apps/server/src/executor/samples.ts";
import { SandboxExecutor } from "../apps/server/src/executor/sandbox.ts";
import { RunQueue } from "../packages/api/src/execution/run-queue.ts";

const iterations = Number(process.argv[2] ?? 15);
const cores = availableParallelism();

const hello: Partial<Record<LanguageId, string>> = {
  javascript: 'console.log("Hello, " + (await Bun.stdin.text()).trim());',
  typescript: 'const s: string = (await Bun.stdin.text()).trim();\nconsole.log("Hello, " + s);',
  python: 'print("Hello, " + input())',
  java: 'public class Main { public static void main(String[] a) { System.out.println("Hello, " + new java.util.Scanner(System.in).nextLine()); } }',
  cpp: '#include <iostream>\n#include <string>\nint main() { std::string s; std::getline(std::cin, s); std::cout << "Hello, " << s << "\\n"; }',
  ...Object.fromEntries(Object.entries(samples).map(([id, sample]) => [id, sample.hello])),
  sql: "SELECT 'Hello, ' || 'bench' AS greeting;",
};
const helloOf = (language: LanguageId) => hello[language] ?? "";
const saysHello = (out: string) => out.includes("Hello, bench");

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);

async function spawnOk(
  argv: string[],
  cwd: string,
  stdin: string,
  env?: Record<string, string>,
): Promise<string> {
  const proc = Bun.spawn(argv, {
    cwd,
    stdin: new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, HOME: tmpdir(), TMPDIR: tmpdir(), ...env },
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${argv.join(" ")} failed: ${err}`);
  return out;
}

const toolPath = ["/usr/local/bin", "/usr/bin", "/bin"].join(":");
const detected = await detectLanguages(toolPath, async (argv) => {
  try {
    return await spawnOk(argv, tmpdir(), "");
  } catch {
    return null;
  }
});

/**
 * The same compile and run commands the sandbox uses, spawned straight on the host in a fresh dir: the
 * whole (compile + run) and the run alone (what a cached compile leaves to do).
 */
async function bareTimes(language: LanguageId): Promise<{ total: number; run: number }> {
  const recipe = recipes[language];
  const dir = mkdtempSync(join(tmpdir(), "pairpad-bare-"));
  try {
    const started = performance.now();
    const code = helloOf(language);
    const sourceFile = recipe.sourceFile(code);
    writeFileSync(join(dir, sourceFile), code);
    if (recipe.seed) writeFileSync(join(dir, recipe.seed.file), recipe.seed.fallback);
    const tools = detected[language].tools;
    const ctx = (memoryBytes: number) => ({
      tools,
      workDir: dir,
      sourceFile,
      memoryBytes,
      runMemoryBytes: defaultRunLimits.memoryBytes,
      args: [],
    });
    const env = recipe.env;
    if (recipe.compile) await spawnOk(recipe.compile(ctx(defaultCompileLimits.memoryBytes)), dir, "", env);
    const runStarted = performance.now();
    const out = await spawnOk(recipe.run(ctx(defaultRunLimits.memoryBytes)), dir, "bench\n", env);
    const ended = performance.now();
    if (!saysHello(out)) throw new Error(`bare ${language}: unexpected output ${JSON.stringify(out)}`);
    return { total: ended - started, run: ended - runStarted };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const bare = async (language: LanguageId) => (await bareTimes(language)).total;
const bareRun = async (language: LanguageId) => (await bareTimes(language)).run;

const executor = new SandboxExecutor();
let fresh = 0;
/** One run through the sandbox; `uncached` changes the source (trailing newlines) so it is compiled again. */
async function sandboxed(language: LanguageId, uncached = false): Promise<number> {
  const code = uncached ? `${helloOf(language)}${"\n".repeat((++fresh % 500) + 1)}` : helloOf(language);
  const started = performance.now();
  const result = await executor.run({ language, code, stdin: "bench\n" });
  const elapsed = performance.now() - started;
  if (result.status !== "ok" || !saysHello(result.stdout)) {
    throw new Error(`sandbox ${language}: ${JSON.stringify(result)}`);
  }
  return elapsed;
}

const SPACING_MS = 100;
async function sample(
  fn: (language: LanguageId) => Promise<number>,
  language: LanguageId,
  n: number,
  spacingMs = 0,
) {
  await fn(language); // warm the page cache (and, for compiled languages, the compile cache)
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    if (spacingMs) await Bun.sleep(spacingMs);
    times.push(await fn(language));
  }
  return median(times);
}
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`.padStart(8);
const header = (label: string) =>
  console.log(
    `${"language".padEnd(12)}${"bare".padStart(10)}${label.padStart(10)}${"ratio".padStart(8)}` +
      `${"spaced".padStart(10)}${"ratio".padStart(8)}`,
  );

const only = process.argv.slice(3) as LanguageId[];
const available = languageIds.filter(
  (id) => detected[id].info.available && hello[id] && (only.length === 0 || only.includes(id)),
);
const interpreted = available.filter((id) => !recipes[id].compile);
const compiled = available.filter((id) => recipes[id].compile);
console.log(
  `hello world, interpreted languages, ${iterations} runs each back to back, then spaced ${SPACING_MS} ms apart, ${cores} cores`,
);
header("sandbox");
for (const language of interpreted) {
  const b = await sample(bare, language, iterations);
  const s = await sample(sandboxed, language, iterations);
  const spaced = await sample(sandboxed, language, iterations, SPACING_MS);
  console.log(`${language.padEnd(12)}${ms(b)}${ms(s)}${ratio(s, b)}${ms(spaced)}${ratio(spaced, b)}`);
}

const n = Math.max(3, Math.ceil(iterations / 3));
console.log(
  `\nhello world, compiled languages, ${n} runs each: "compile+run" bare against the sandbox compiling afresh;` +
    `\n"run" the bare program alone against the sandbox with the compile cached (the same code again)`,
);
console.log(
  `${"language".padEnd(12)}${"bare c+r".padStart(10)}${"sandbox".padStart(10)}${"ratio".padStart(8)}` +
    `${"bare run".padStart(10)}${"cached".padStart(10)}${"ratio".padStart(8)}${"vs c+r".padStart(8)}`,
);
for (const language of compiled) {
  const b = await sample(bare, language, n);
  const s = await sample((id) => sandboxed(id, true), language, n);
  const br = await sample(bareRun, language, n);
  const cached = await sample(sandboxed, language, n);
  console.log(
    `${language.padEnd(12)}${ms(b)}${ms(s)}${ratio(s, b)}${ms(br)}${ms(cached)}${ratio(cached, br)}${ratio(cached, b)}`,
  );
}

console.log(
  `\nthroughput: ${cores} parallel runs (RunQueue concurrency ${cores}), ${4 * cores} runs per language`,
);
const queue = new RunQueue({ concurrency: cores, maxWaiting: 64 * cores });
for (const language of available) {
  const total = 4 * cores;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: total }, () =>
      queue.submit((signal) => executor.run({ language, code: helloOf(language), stdin: "x" }, signal)),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`${language.padEnd(12)}${(total / seconds).toFixed(1).padStart(8)} runs/s`);
}

// Through REST, when the server wires a working executor.
try {
  const { startServer } = await import("../apps/server/src/main.ts");
  const dataDir = mkdtempSync(join(tmpdir(), "pairpad-bench-"));
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o700);
  const server = await startServer({
    PORT: 0,
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    RUNS_PER_MINUTE_PER_CLIENT: 10_000,
    RUNS_PER_MINUTE_PER_SESSION: 10_000,
    LOG_LEVEL: "warn",
  } as never);
  try {
    const listed = (await (await fetch(`${server.url}/api/languages`)).json()) as {
      languages?: { id: LanguageId; available: boolean }[];
    };
    const wired = (listed.languages ?? [])
      .filter((l) => l.available && available.includes(l.id))
      .map((l) => l.id);
    if (wired.length === 0) {
      console.log(
        "\nREST: the server's executor is not wired yet (GET /api/languages lists nothing available);",
      );
      console.log("      the figures above measure the executor directly.");
    } else {
      console.log(`\nREST: POST /api/execute, ${iterations} runs each`);
      header("REST");
      for (const language of wired) {
        const viaRest = async (id: LanguageId) => {
          const started = performance.now();
          const response = await fetch(`${server.url}/api/execute`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ language: id, code: helloOf(id), stdin: "bench\n" }),
          });
          const body = (await response.json()) as { status?: string; stdout?: string };
          if (body.status !== "ok") throw new Error(`REST ${id}: ${JSON.stringify(body)}`);
          return performance.now() - started;
        };
        const n = recipes[language].compile ? Math.max(5, Math.ceil(iterations / 3)) : iterations;
        const b = await sample(bare, language, n);
        const r = await sample(viaRest, language, n);
        const spaced = await sample(viaRest, language, n, SPACING_MS);
        console.log(`${language.padEnd(12)}${ms(b)}${ms(r)}${ratio(r, b)}${ms(spaced)}${ratio(spaced, b)}`);
      }
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
} catch (error) {
  console.log(
    `\nREST: not measured (${(error as Error).message}); the figures above measure the executor directly.`,
  );
}
await executor.close();
