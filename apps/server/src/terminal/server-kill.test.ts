import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { SandboxExecutor } from "../executor/sandbox.ts";
import { connect, freePort, retryableAssertion, synced } from "../rooms/test-support.ts";
import { TerminalClient } from "./test-client.ts";

setDefaultTimeout(120_000);

/** Parent pid of every process, from /proc. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!pid) continue;
    try {
      // The command name may hold spaces and parentheses: the fields start after the last ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(pid, ppid);
    } catch {}
  }
  return map;
}

function descendants(root: number): number[] {
  const map = parents();
  const found: number[] = [];
  for (const pid of map.keys()) {
    for (let p = map.get(pid); p !== undefined && p > 1; p = map.get(p)) {
      if (p === root) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    // A zombie is dead: only its entry is left for its parent.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};

let server: Subprocess | undefined;
let dataDir: string | undefined;
let workRoot: string | undefined;
afterAll(async () => {
  server?.kill("SIGKILL");
  if (workRoot) {
    // What the killed server left (its cgroups, its workspace mount) goes when an executor starts there.
    const executor = new SandboxExecutor({ workRoot, prewarm: 0 });
    await executor.languages();
    await executor.close();
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("killing the server mid-run leaves no sandbox process behind", async () => {
  dataDir = await mkdtemp(join(tmpdir(), "pairpad-kill-"));
  // The sandbox's uids pass through it to their work dirs.
  chmodSync(dataDir, 0o711);
  workRoot = join(dataDir, "pairpad-runs");
  const port = freePort();
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
  server = Bun.spawn(["bun", join(import.meta.dir, "../main-cli.ts")], {
    env: {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      SANDBOX_PREWARM: "0",
      TMPDIR: dataDir,
    },
    stdout: "inherit",
    stderr: "inherit",
  });
  const base = `http://127.0.0.1:${port}`;
  let session: { id: string } | undefined;
  await retryableAssertion(async () => {
    const response = await fetch(`${base}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ language: "python" }),
    });
    expect(response.status).toBe(201);
    session = (await response.json()) as { id: string };
  }, 60_000);
  const id = session?.id as string;
  const editor = connect(`ws://127.0.0.1:${port}/ws/sessions`, id, { name: "Editor" });
  await synced(editor);
  editor.text.insert(0, 'import time\nprint("alive", flush=True)\nwhile True:\n    time.sleep(1)\n');
  const candidate = await TerminalClient.open(`ws://127.0.0.1:${port}/ws/sessions/${id}`);
  await retryableAssertion(async () => {
    const live = (await (await fetch(`${base}/api/sessions/${id}/code`)).json()) as { code: string };
    expect(live.code).toContain("alive");
  });
  candidate.start("run");
  await candidate.waitFor("alive", 60_000);

  const sandbox = descendants(server.pid);
  // bwrap (two), the launcher, the pty helper and python at least.
  expect(sandbox.length).toBeGreaterThanOrEqual(4);
  server.kill("SIGKILL");
  await server.exited;
  await retryableAssertion(() => expect(sandbox.filter(alive)).toEqual([]), 20_000);
  editor.destroy();
  candidate.close();
});
