/**
 * What the server image would hold, assembled here without Docker (no registry is reachable, so the
 * image itself cannot be built): the production install exactly as the Dockerfile runs it, and the
 * runtime stage's sources minus what `.dockerignore` leaves out. The server must start from that
 * tree alone, and the web client's packages and the tests must not be in it.
 */
import { afterAll, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dir, "../../..");
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const image = mkdtempSync(join(tmpdir(), "pairpad-image-"));
afterAll(() => rmSync(image, { recursive: true, force: true }));

/** The instructions of one stage of the Dockerfile, continuation lines joined. */
function stage(name: string): string[] {
  const lines = dockerfile.replace(/\\\n\s*/g, "").split("\n");
  const start = lines.findIndex((line) => new RegExp(`^FROM .* AS ${name}$`).test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.startsWith("FROM "));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line && !line.startsWith("#"));
}

const ignored = readFileSync(join(root, ".dockerignore"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"))
  .map((pattern) => new Bun.Glob(pattern));

/** Whether the build context leaves a path out: the path itself or a folder above it matches. */
function isIgnored(path: string): boolean {
  for (let p = path; p !== "."; p = dirname(p)) if (ignored.some((glob) => glob.match(p))) return true;
  return false;
}

/**
 * Copies what `COPY <sources…> <target>` copies from the build context (files under version control):
 * a file to the target path, or into it when the target is a folder; a folder's contents into the target.
 */
async function copy(sources: string[], target: string): Promise<void> {
  const intoFolder = target.endsWith("/") || target === "." || sources.length > 1;
  for (const source of sources) {
    const listed = await Bun.$`git ls-files -- ${source}`.cwd(root).text();
    for (const file of listed.split("\n").filter(Boolean)) {
      if (isIgnored(file)) continue;
      const destination =
        file === source
          ? intoFolder
            ? join(image, target, basename(file))
            : join(image, target)
          : join(image, target, file.slice(source.length + 1));
      mkdirSync(dirname(destination), { recursive: true });
      cpSync(join(root, file), destination);
    }
  }
}

/** The `COPY` lines of a stage that copy from the build context, as sources and target. */
const copies = (name: string) =>
  stage(name).flatMap((line) => {
    const words = line.match(/^COPY (?!--from)(.+)$/)?.[1]?.split(/\s+/) ?? [];
    return words.length >= 2 ? [{ sources: words.slice(0, -1), target: words.at(-1) as string }] : [];
  });

test("the image's production install and sources start the server, without the client's packages or tests", async () => {
  // The prod-deps stage: its manifests, then its install command as written.
  for (const { sources, target } of copies("prod-deps")) await copy(sources, target);
  for (const file of ["package.json", "bun.lock", "bunfig.toml"]) cpSync(join(root, file), join(image, file));
  const install = stage("prod-deps")
    .find((line) => line.startsWith("RUN bun install"))
    ?.slice("RUN ".length);
  expect(install).toContain("--production");
  const installed = Bun.spawnSync(["sh", "-c", install ?? "false"], { cwd: image, stderr: "pipe" });
  expect({ exit: installed.exitCode, stderr: installed.stderr.toString() }).toMatchObject({ exit: 0 });

  // The runtime stage's sources from the build context.
  for (const { sources, target } of copies("runtime")) await copy(sources, target);

  for (const left of ["@codemirror/state", "@xterm/xterm", "vite", "playwright-core"]) {
    expect({ left, present: existsSync(join(image, "node_modules", left)) }).toEqual({
      left,
      present: false,
    });
  }
  for (const needed of ["yjs", "prom-client", "dockerode", "@electric-sql/pglite", "better-auth"]) {
    expect({ needed, present: existsSync(join(image, "node_modules", needed)) }).toEqual({
      needed,
      present: true,
    });
  }
  const tests = await Array.fromAsync(new Bun.Glob("**/*.test.ts").scan({ cwd: join(image, "apps") }));
  expect(tests).toEqual([]);
  expect(existsSync(join(image, "apps/server/e2e"))).toBe(false);

  // The image's command, on an embedded database and the local sandbox (no Docker daemon here).
  const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? "[]") as string[];
  const server = Bun.spawn(cmd, {
    cwd: image,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: join(image, "data"),
      EXECUTOR: "sandbox",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const reader = server.stdout.getReader();
    let output = "";
    let url: string | undefined;
    while (!url) {
      const { value, done } = await reader.read();
      if (done)
        throw new Error(`exited before listening:\n${output}${await new Response(server.stderr).text()}`);
      output += new TextDecoder().decode(value);
      url = output.match(/"message":"listening","url":"([^"]+)"/)?.[1];
    }
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ready" });
    const created = await fetch(`${url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "From the image", language: "python" }),
    });
    expect(created.status).toBe(201);
  } finally {
    server.kill("SIGTERM");
    await server.exited;
  }
}, 120_000);
