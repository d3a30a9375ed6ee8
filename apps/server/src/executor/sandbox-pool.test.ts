import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResult } from "@pairpad/api/execution/executor";
import { SandboxExecutor, type SandboxExecutorOptions } from "./sandbox.ts";

// Sandboxes prepared ahead of runs (the pool): bounded, used once, gone after close().

// Each test detects every installed toolchain's version first (languages()): 41 s for the first test
// here under load on 2 cores, against the suite's 60 s per test.
setDefaultTimeout(180_000);

function show(result: RunResult) {
  return JSON.stringify({
    ...result,
    stdout: result.stdout.slice(0, 300),
    stderr: result.stderr.slice(0, 300),
  });
}

/** An executor with its own work root and uid range, so what it leaves behind can be told apart. */
function isolated(uidBase: number, options: SandboxExecutorOptions = {}) {
  const workRoot = mkdtempSync(join(tmpdir(), "pairpad-pool-test-"));
  const executor = new SandboxExecutor({
    workRoot,
    uidBase,
    uidCount: 16,
    runLimits: { wallTimeMs: 4000, cpuTimeSeconds: 2 },
    ...options,
  });
  return {
    executor,
    workRoot,
    workDirs: () => readdirSync(workRoot),
    /** Host processes running as one of the executor's uids. */
    processes: () => processesWithUids(uidBase, uidBase + 16),
    async dispose() {
      await executor.close();
      rmSync(workRoot, { recursive: true, force: true });
    },
  };
}

/**
 * Every process of those uids, zombies included: a run must not leave even an unreaped entry behind
 * (bwrap's own init, re-parented to the host's PID 1, used to; see `--as-pid-1` in box.ts).
 */
function processesWithUids(from: number, to: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (uid >= from && uid < to) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** The host directories of the pairpad cgroups a process belongs to (v1 controllers and v2 alike). */
function cgroupDirsOf(pid: number): string[] {
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .flatMap((line) => {
      const [left, right] = line.split(" - ");
      const fields = left?.split(" ") ?? [];
      const [fsType, , options] = right?.split(" ") ?? [];
      if (!fsType?.startsWith("cgroup")) return [];
      return [{ root: fields[3] ?? "/", mountPoint: fields[4] ?? "", fsType, options: options ?? "" }];
    });
  const dirs: string[] = [];
  for (const line of readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match?.[2]?.includes("/pairpad/")) continue;
    const controllers = (match[1] ?? "").split(",");
    const mount = mounts.find((m) =>
      controllers[0]
        ? m.fsType === "cgroup" && m.options.split(",").includes(controllers[0])
        : m.fsType === "cgroup2",
    );
    if (!mount) continue;
    const path =
      mount.root !== "/" && match[2].startsWith(mount.root) ? match[2].slice(mount.root.length) : match[2];
    dirs.push(join(mount.mountPoint, path));
  }
  return dirs;
}

/** Waits for a condition of the background work (never a timing assertion: only a deadline). */
async function until(what: string, condition: () => boolean, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await Bun.sleep(20);
  }
}

describe("SandboxExecutor with sandboxes prepared ahead", () => {
  test("the pool fills up to its bound, stays there across runs, and close() leaves no process, cgroup or work dir", async () => {
    const pool = isolated(61000, { prewarm: 3 });
    try {
      await pool.executor.languages();
      await until("three slots wait", () => pool.workDirs().length === 3);
      // Each waiting slot is a live sandbox, already in its cgroups, under an unprivileged uid of the range.
      await until("the sandboxes are up", () => pool.processes().length >= 3);
      const cgroupDirs = [...new Set(pool.processes().flatMap(cgroupDirsOf))];
      expect(cgroupDirs.length).toBeGreaterThanOrEqual(3);
      for (const dir of cgroupDirs) expect(existsSync(dir)).toBe(true);

      for (let i = 0; i < 5; i++) {
        const result = await pool.executor.run({ language: "python", code: `print(${i})` });
        expect(result.status, show(result)).toBe("ok");
        expect(result.stdout).toBe(`${i}\n`);
        // Bounded: the waiting slots, plus the one just used while it is being released.
        expect(pool.workDirs().length).toBeLessThanOrEqual(4);
      }
      await until("the pool is full again", () => pool.workDirs().length === 3);
      cgroupDirs.push(...pool.processes().flatMap(cgroupDirsOf));

      await pool.executor.close();
      expect(pool.processes()).toEqual([]);
      expect(pool.workDirs()).toEqual([]);
      for (const dir of new Set(cgroupDirs)) expect(existsSync(dir), dir).toBe(false);
    } finally {
      await pool.dispose();
    }
  });

  test("close() stops a run in progress and waits until it is gone", async () => {
    const pool = isolated(61100, { prewarm: 1 });
    try {
      const pending = pool.executor.run({
        language: "python",
        code: "import time\nprint('started', flush=True)\ntime.sleep(60)",
      });
      await until("the run started", () => pool.processes().length >= 3);
      await Bun.sleep(300);
      await pool.executor.close();
      const result = await pending;
      expect(result.status).toBe("internal_error");
      expect(result.stderr).toContain("cancelled");
      expect(pool.processes()).toEqual([]);
      expect(pool.workDirs()).toEqual([]);
      // A closed executor still runs code, with a sandbox started on demand, and keeps none waiting.
      const after = await pool.executor.run({ language: "python", code: "print('after')" });
      expect(after.stdout).toBe("after\n");
      await pool.executor.close();
      expect(pool.processes()).toEqual([]);
      expect(pool.workDirs()).toEqual([]);
    } finally {
      await pool.dispose();
    }
  });

  test("consecutive runs on prepared sandboxes never see each other's files or processes", async () => {
    const pool = isolated(61200, { prewarm: 2 });
    try {
      await pool.executor.languages();
      await until("two slots wait", () => pool.workDirs().length === 2);
      const leave = `import os, subprocess
for path in ["/tmp/left", "/dev/shm/left", "/box/left", "/box/main.py.bak"]:
    open(path, "w").write("secret")
subprocess.Popen(["/bin/sleep", "30"], start_new_session=True)
print(sorted(os.listdir("/box")))`;
      const look = `import os
print(sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")), sorted(os.listdir("/box")))
print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))`;
      for (let i = 0; i < 3; i++) {
        const first = await pool.executor.run({ language: "python", code: leave });
        expect(first.status, show(first)).toBe("ok");
        expect(first.stdout).toContain("left");
        const second = await pool.executor.run({ language: "python", code: look });
        expect(second.status, show(second)).toBe("ok");
        expect(second.stdout).not.toContain("left");
        expect(second.stdout).not.toContain("secret");
        expect(second.stdout.split("\n")[0]).toBe("[] [] ['main.py']");
        // Its own pid namespace only: the launcher (its PID 1) and the program.
        expect(JSON.parse(second.stdout.split("\n")[1] ?? "[]").length).toBeLessThanOrEqual(2);
      }
    } finally {
      await pool.dispose();
    }
  });

  test("a prepared sandbox's wall-clock limit starts when the code arrives, not when it was prepared", async () => {
    const pool = isolated(61300, { prewarm: 1, runLimits: { wallTimeMs: 1500, cpuTimeSeconds: 2 } });
    try {
      await pool.executor.languages();
      await until("a slot waits", () => pool.workDirs().length === 1);
      await Bun.sleep(2000);
      const result = await pool.executor.run({
        language: "python",
        code: "import time\ntime.sleep(0.5)\nprint('in time')",
      });
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).toBe("in time\n");
      const late = await pool.executor.run({ language: "python", code: "import time\ntime.sleep(5)" });
      expect(late.status).toBe("timeout");
    } finally {
      await pool.dispose();
    }
  });

  test("arguments, environment and stdin reach the program exactly as sent", async () => {
    const pool = isolated(61400, { prewarm: 1 });
    try {
      const args = [
        "a b",
        "",
        "back\\slash",
        "line\nbreak",
        "\\c",
        "\\0134",
        "%b",
        "-n",
        "$HOME",
        "*",
        " x ",
        "ünï",
      ];
      // Lines that look like the launcher's own protocol, and more than a pipe holds.
      const stdin = `0 0\n1 1\nA=B\n${"x".repeat(300_000)}\nend`;
      const code = `import json, os, sys
data = sys.stdin.read()
print(json.dumps({"args": sys.argv[1:], "env": sorted(os.environ), "stdin": [len(data), data[:16], data[-4:]]}))`;
      await pool.executor.languages();
      await until("a slot waits", () => pool.workDirs().length === 1);
      for (const prewarmed of [true, false]) {
        if (!prewarmed) await pool.executor.close(); // from now on: sandboxes started on demand
        const result = await pool.executor.run({ language: "python", code, args, stdin });
        expect(result.status, show(result)).toBe("ok");
        const seen = JSON.parse(result.stdout);
        expect(seen.args).toEqual(args);
        expect(seen.env).toEqual(["HOME", "LANG", "LC_ALL", "PATH", "PYTHONIOENCODING", "TMPDIR"]);
        expect(seen.stdin).toEqual([stdin.length, stdin.slice(0, 16), stdin.slice(-4)]);
      }
    } finally {
      await pool.dispose();
    }
  });

  test("without a pool every run starts its own sandbox and still gets the right status", async () => {
    const pool = isolated(61500, { prewarm: 0, runLimits: { wallTimeMs: 1500, cpuTimeSeconds: 1 } });
    try {
      await pool.executor.languages();
      expect(pool.workDirs()).toEqual([]);
      const [ok, failed, loop, hog, compiled] = await Promise.all([
        pool.executor.run({ language: "javascript", code: "console.log('ok')" }),
        pool.executor.run({ language: "python", code: "raise SystemExit(3)" }),
        pool.executor.run({ language: "python", code: "while True: pass" }),
        pool.executor.run({ language: "python", code: "x = []\nwhile True: x.append(' ' * 10_000_000)" }),
        pool.executor.run({ language: "cpp", code: "int main() { return 0 }" }),
      ]);
      expect(ok?.status, ok && show(ok)).toBe("ok");
      expect(ok?.stdout).toBe("ok\n");
      expect(failed?.status).toBe("runtime_error");
      expect(failed?.exitCode).toBe(3);
      expect(loop?.status).toBe("timeout");
      expect(hog?.status).toBe("memory_limit");
      expect(compiled?.status).toBe("compile_error");
      await until("the work dirs are removed", () => pool.workDirs().length === 0);
    } finally {
      await pool.dispose();
    }
  });
});
