import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { LanguageId, RunResult } from "@pairpad/api/execution/executor";
import { openTestPglite } from "@pairpad/db/testing";
import Docker from "dockerode";
import { haproxyBinary } from "../../e2e/cluster-support.ts";
import { LocalBus } from "../bus/local-bus.ts";
import { connect, createSession, retryableAssertion, startRoomNode, synced } from "../rooms/test-support.ts";
import { TerminalClient } from "../terminal/test-client.ts";
import { DockerExecutor } from "./docker.ts";
import type { LiveMode, LiveResult } from "./live-run.ts";
import { watchLive } from "./live-test-support.ts";

/**
 * Against a real Docker-API engine: podman's compatibility service, started here with its own storage
 * (runc, because crun rejects this machine's hybrid cgroups). Skipped only when podman is absent.
 */
const podman = Bun.which("podman");
const firstFive: LanguageId[] = ["javascript", "typescript", "python", "java", "cpp"];
if (!podman) console.warn("docker.test.ts: podman not found — DockerExecutor tests skipped");

const base = join(tmpdir(), `pairpad-podman-${process.pid}`);
const socket = join(base, "podman.sock");
const image = "localhost/pairpad-run-host-toolchains:test";
let service: ReturnType<typeof Bun.spawn> | undefined;
let executor: DockerExecutor;

/** The host's system directories, bound read-only into the empty image (merged-/usr symlinks resolved). */
function hostBinds(): string[] {
  const binds: string[] = [];
  for (const dir of ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64"]) {
    if (!existsSync(dir)) continue;
    const source = lstatSync(dir).isSymbolicLink() ? resolve("/", readlinkSync(dir)) : dir;
    binds.push(`${source}:${dir}:ro`);
  }
  return binds;
}

beforeAll(async () => {
  if (!podman) return;
  mkdirSync(base, { recursive: true });
  service = Bun.spawn(
    [
      podman,
      "--root",
      join(base, "root"),
      "--runroot",
      join(base, "runroot"),
      "--tmpdir",
      join(base, "tmp"),
      "--storage-driver",
      "vfs",
      "--runtime",
      "runc",
      "--cgroup-manager",
      "cgroupfs",
      "--events-backend",
      "file",
      "system",
      "service",
      "--time=0",
      `unix://${socket}`,
    ],
    // conmon writes an `oom` marker into its working directory when a container is OOM-killed:
    // that is the scratch dir, not the checkout the tests run from.
    { cwd: base, stdout: "ignore", stderr: "pipe" },
  );
  const docker = new Docker({ socketPath: socket });
  for (let i = 0; ; i++) {
    try {
      await docker.ping();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await Bun.sleep(100);
    }
  }
  const dockerfileDir = join(import.meta.dir, "../../../../docker");
  const build = await docker.buildImage(
    { context: dockerfileDir, src: ["host-toolchains.Dockerfile"] },
    { t: image, dockerfile: "host-toolchains.Dockerfile" },
  );
  await new Promise((done, fail) =>
    docker.modem.followProgress(build, (error) => (error ? fail(error) : done(null))),
  );
  executor = new DockerExecutor({
    docker,
    // The first five run from the host's toolchains; the others' images (docker/*.Dockerfile) are not
    // built here (no registry to pull their base from), and the sandbox tests cover their recipes.
    images: Object.fromEntries(firstFive.map((id) => [id, image])),
    binds: hostBinds(),
    // Generous wall time: on a busy machine a container's start-up alone can take seconds, and the memory
    // hog below must reach its limit before the clock runs out (CI once saw it time out at 4 s).
    runLimits: { wallTimeMs: 10_000, cpuTimeSeconds: 3 },
    liveLimits: { wallTimeMs: 120_000, idleMs: 120_000, outputBytes: 256 * 1024 },
  });
}, 60_000);

afterAll(async () => {
  // A failed test may leave a live run going: stop it, and remove whatever container is left (the
  // engine's containers outlive its API service).
  await executor?.close();
  if (service) {
    const docker = new Docker({ socketPath: socket });
    for (const info of await docker.listContainers({ all: true }).catch(() => []))
      await docker
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => {});
  }
  service?.kill("SIGTERM");
  await service?.exited;
  // A container interrupted mid-run leaves its /dev/shm mounted in our storage dir.
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const mountPoint = line.split(" ")[4];
    if (mountPoint?.startsWith(base)) Bun.spawnSync(["umount", "-l", mountPoint]);
  }
  rmSync(base, { recursive: true, force: true });
});

const show = (r: RunResult | LiveResult) =>
  JSON.stringify({ ...r, stdout: r.stdout.slice(0, 300), stderr: r.stderr.slice(0, 300) });
const run = (language: LanguageId, code: string, stdin?: string) => executor.run({ language, code, stdin });

/** A live run with what its terminal showed so far, and a way to wait for text to appear there. */
function live(language: LanguageId, code: string, mode: LiveMode = "run", on: DockerExecutor = executor) {
  return watchLive(on, { language, code, mode, cols: 100, rows: 30 }, 45_000);
}

describe.skipIf(!podman)("DockerExecutor (podman's Docker API)", () => {
  test("reports the languages its images provide, with versions", async () => {
    const languages = await executor.languages();
    for (const language of languages) {
      if (!firstFive.includes(language.id)) {
        // No image: unavailable, and saying which image to build.
        expect(language.available).toBe(false);
        expect(language.reason).toContain(`docker/${language.id}.Dockerfile`);
        continue;
      }
      expect(language.available, `${language.id}: ${language.reason}`).toBe(true);
      expect(language.version).toMatch(/^\d+\.\d+/);
    }
  });

  test("hello world reading stdin in Python, TypeScript and C++; a compile error shows the message", async () => {
    const [py, ts, cpp, broken] = await Promise.all([
      run("python", "print('Hello, ' + input() + '!')", "Grace\n"),
      run(
        "typescript",
        'const n: string = (await Bun.stdin.text()).trim();\nconsole.log("Hello, " + n + "!");',
        "Grace",
      ),
      run(
        "cpp",
        '#include <iostream>\n#include <string>\nint main(){std::string s; std::cin >> s; std::cout << "Hello, " << s << "!\\n";}',
        "Grace",
      ),
      run("cpp", "int main() { return nope; }"),
    ]);
    for (const result of [py, ts, cpp]) {
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).toBe("Hello, Grace!\n");
    }
    expect(broken.status).toBe("compile_error");
    expect(broken.compileOutput).toContain("nope");
  });

  test("Java compiles and runs under the memory limit", async () => {
    const result = await run(
      "java",
      'public class Main { public static void main(String[] a) { System.out.println("Hello, " + new java.util.Scanner(System.in).next() + "!"); } }',
      "Grace",
    );
    expect(result.status, show(result)).toBe("ok");
    expect(result.stdout).toBe("Hello, Grace!\n");
  });

  test("the same C++ source is compiled once: a rerun starts from the cached program", async () => {
    const code =
      '#include <iostream>\n#include <string>\nint main() { std::string s; std::cin >> s; std::cout << "Hi " << s << "\\n"; }';
    const { hits, misses } = executor.compileCache;
    const first = await run("cpp", code, "one");
    const second = await run("cpp", code, "two");
    expect(first.stdout, show(first)).toBe("Hi one\n");
    expect(second.stdout, show(second)).toBe("Hi two\n");
    expect(executor.compileCache.misses).toBe(misses + 1);
    expect(executor.compileCache.hits).toBe(hits + 1);
    // Another source is compiled afresh, and a compile error is never cached.
    const other = await run("cpp", `${code}\n// changed`, "three");
    expect(other.stdout).toBe("Hi three\n");
    expect(executor.compileCache.misses).toBe(misses + 2);
  });

  test("limits: timeout, memory_limit, output_limit, no network, read-only root", async () => {
    const [loop, hog, flood, net] = await Promise.all([
      run("python", "while True: pass"),
      run("python", "keep = []\nwhile True:\n    keep.append('x' * 10_000_000)"),
      run("python", "while True:\n    print('flood' * 1000)"),
      run(
        "python",
        `import socket
for host in ["127.0.0.1", "example.com"]:
    try:
        socket.create_connection((host, 80), timeout=2)
        print(host, "CONNECTED")
    except OSError:
        print(host, "blocked")
try:
    open("/etc/pairpad", "w")
    print("WROTE")
except OSError:
    print("read-only")`,
      ),
    ]);
    expect(loop.status, show(loop)).toBe("timeout");
    expect(hog.status, show(hog)).toBe("memory_limit");
    expect(flood.status, show(flood)).toBe("output_limit");
    expect(flood.truncated).toBe(true);
    expect(net.stdout).toBe("127.0.0.1 blocked\nexample.com blocked\nread-only\n");
    const after = await run("python", "print('fine')");
    expect(after.stdout).toBe("fine\n");
  }, 60_000);

  test("a run writes to its own size- and file-limited space: past the cap a clear note, then healthy", async () => {
    // One after the other: each container's start-up is slow on a busy machine.
    const bytes = await run(
      "python",
      `import os
st = os.statvfs("/box")
print("box", st.f_blocks * st.f_frsize // 2**20, "MiB", st.f_files, "files", flush=True)
chunk = b"x" * 2**20
for i in range(1000):
    with open(f"/tmp/fill-{i}" if i % 2 else f"/box/fill-{i}", "wb") as f:
        for _ in range(8):
            f.write(chunk)`,
    );
    const files = await run("python", `for i in range(240_000):\n    open(f"/box/f{i}", "w").close()`);
    expect(bytes.stdout).toBe("box 64 MiB 8192 files\n");
    for (const result of [bytes, files]) {
      // Ended by the failed write, not by a limit of ours.
      expect(result.exitCode, show(result)).toBe(1);
      expect(result.stderr).toContain("No space left on device");
      expect(result.stderr).toContain("[no space left: a run may write 64 MiB in at most 8192 files");
    }
    expect((await run("python", "print('fine')")).stdout).toBe("fine\n");
  }, 60_000);

  test("live: a Python program prompts twice and reads each answer typed at its terminal", async () => {
    const t = live(
      "python",
      'import os, sys\nprint("tty:", sys.stdin.isatty(), os.get_terminal_size().columns)\nfor q in ["name", "city"]:\n    a = input(q + "? ")\n    print(q, "=", a.upper())\n',
    );
    await t.waitFor("tty: True");
    await t.waitFor("name? ");
    t.type("ada\r");
    await t.waitFor("name = ADA");
    await t.waitFor("city? ");
    t.type("london\r");
    const result = await t.run.done;
    expect(result.status, show(result)).toBe("ok");
    expect(result.exitCode).toBe(0);
    // The window size given at the start, and the tty's echo of what was typed.
    expect(t.screen()).toContain("tty: True 100");
    expect(t.screen()).toContain("city? london");
    expect(t.screen()).toContain("city = LONDON");
  }, 90_000);

  test("live: Ctrl-C ends `while True: pass` as interrupted; a typed ^C too", async () => {
    const loop = live("python", 'print("looping", flush=True)\nwhile True:\n    pass\n');
    const sleeper = live("python", 'import time\nprint("waiting", flush=True)\ntime.sleep(600)\n');
    await loop.waitFor("looping");
    loop.run.interrupt();
    await sleeper.waitFor("waiting");
    sleeper.type("\x03");
    const [looped, slept] = await Promise.all([loop.run.done, sleeper.run.done]);
    expect(looped.status, show(looped)).toBe("interrupted");
    expect(looped.signal).toBe("SIGINT");
    expect(loop.screen()).toContain("KeyboardInterrupt");
    expect(slept.status, show(slept)).toBe("interrupted");
    expect(slept.signal).toBe("SIGINT");
  }, 90_000);

  test("live: the stop button ends a run as interrupted", async () => {
    const t = live("python", 'import time\nprint("waiting", flush=True)\ntime.sleep(600)\n');
    await t.waitFor("waiting");
    t.run.stop();
    const result = await t.run.done;
    expect(result.status, show(result)).toBe("interrupted");
    expect(result.stderr).toBe("[stopped]");
  }, 90_000);

  test("live: the Python REPL has the code loaded and keeps state between lines", async () => {
    const t = live("python", "def double(x):\n    return 2 * x\n", "repl");
    await t.waitFor(">>> ");
    t.type("n = double(21)\r");
    t.type("print('n is', n + 0)\r");
    await t.waitFor("n is 42");
    t.type("n += 1\r");
    t.type("print('now', n)\r");
    await t.waitFor("now 43");
    t.type("exit()\r");
    const result = await t.run.done;
    expect(result.status, show(result)).toBe("ok");
  }, 90_000);

  test("live: the JavaScript REPL (node, found on the container's PATH) has the code's declarations", async () => {
    const t = live("javascript", "const greet = (n) => 'hi ' + n;\nlet count = 1;\n", "repl");
    await t.waitFor("> ");
    t.type("count += 41\r");
    t.type("greet(count)\r");
    await t.waitFor("'hi 42'");
    t.type(".exit\r");
    const result = await t.run.done;
    expect(result.status, show(result)).toBe("ok");
  }, 90_000);

  test("live: C++ is compiled first, then runs at the terminal", async () => {
    const t = live(
      "cpp",
      '#include <iostream>\n#include <string>\nint main(){std::string s; std::cout << "word? " << std::flush; std::cin >> s; std::cout << "got " << s << "\\n";}',
    );
    await t.waitFor("word? ");
    t.type("hello\r");
    const result = await t.run.done;
    expect(result.status, show(result)).toBe("ok");
    expect(t.screen()).toContain("got hello");
    expect(result.compileOutput).toBeDefined();
  }, 90_000);

  test("live: output past the cap is cut at the cap and the run ends cleanly", async () => {
    let bytes = 0;
    const flood = executor.startLive(
      {
        language: "python",
        code: 'import sys\nline = "x" * 1023 + "\\n"\nfor _ in range(20 * 1024):\n    sys.stdout.write(line)\n',
        mode: "run",
        cols: 80,
        rows: 24,
      },
      (chunk) => {
        bytes += chunk.byteLength;
      },
    );
    const result = await flood.done;
    expect(result.status, show(result)).toBe("output_limit");
    expect(result.truncated).toBe(true);
    expect(bytes).toBe(256 * 1024);
    expect(result.stderr).toContain("[output stopped: more than 256 KiB]");
  }, 90_000);

  test("live: idle ends a REPL with a timeout; close() ends the runs in progress", async () => {
    const docker = new Docker({ socketPath: socket });
    const other = new DockerExecutor({
      docker,
      images: Object.fromEntries(firstFive.map((id) => [id, image])),
      binds: hostBinds(),
      liveLimits: { idleMs: 3000 },
    });
    const idle = live("python", "", "repl", other);
    const busy = live("python", 'import time\nprint("waiting", flush=True)\ntime.sleep(600)\n', "run", other);
    const idled = await idle.run.done;
    expect(idle.screen()).toContain(">>>");
    expect(idled.status, show(idled)).toBe("timeout");
    expect(idled.stderr).toContain("idle");
    await busy.waitFor("waiting");
    await other.close();
    const closed = await busy.run.done;
    expect(closed.status).not.toBe("ok");
    expect(await docker.listContainers({ all: true })).toEqual([]);
  }, 90_000);

  test("live: the wall clock and the memory limit hold", async () => {
    const limited = new DockerExecutor({
      docker: new Docker({ socketPath: socket }),
      images: Object.fromEntries(firstFive.map((id) => [id, image])),
      binds: hostBinds(),
      runLimits: { cpuTimeSeconds: 30 },
      liveLimits: { wallTimeMs: 8000 },
    });
    try {
      const sleeper = live(
        "python",
        'import time\nprint("waiting", flush=True)\ntime.sleep(600)\n',
        "run",
        limited,
      );
      const hog = live(
        "python",
        'keep = []\nprint("eating", flush=True)\nwhile True:\n    keep.append("x" * 10_000_000)\n',
        "run",
        limited,
      );
      const [slept, ate] = await Promise.all([sleeper.run.done, hog.run.done]);
      expect(sleeper.screen()).toContain("waiting");
      expect(slept.status, show(slept)).toBe("timeout");
      expect(hog.screen()).toContain("eating");
      expect(ate.status, show(ate)).toBe("memory_limit");
    } finally {
      await limited.close();
    }
  }, 90_000);

  test("live: the room's shared terminal runs a program in a container (no refusal)", async () => {
    const database = await openTestPglite();
    const bus = new LocalBus();
    const node = await startRoomNode(database.db, bus, { unloadGraceMs: 100 }, { liveExecutor: executor });
    const code = 'name = input("name? ")\nprint("HELLO", name.upper())\n';
    try {
      const { id } = await createSession(database.db, { language: "python" });
      const writer = connect(node.url, id, { name: "Editor" });
      await synced(writer);
      writer.text.insert(0, code);
      await retryableAssertion(async () => {
        expect((await node.rooms.directory.readCode(id)).code).toBe(code);
      });
      const candidate = await TerminalClient.open(`${node.url}/${id}`);
      try {
        candidate.start("run");
        await candidate.waitFor("name? ", 45_000);
        candidate.type("ada\r");
        await candidate.waitFor("HELLO ADA", 45_000);
        const end = await candidate.waitForEnd(undefined, 45_000);
        expect(candidate.refusals).toEqual([]);
        expect(end.result?.status).toBe("ok");
      } finally {
        candidate.close();
        writer.destroy();
      }
    } finally {
      await node.stop();
      await bus.close();
      await database.close();
    }
  }, 90_000);

  test.skipIf(!haproxyBinary)(
    "live through the compose socket proxy (HAProxy, over TCP): typing, resize and Ctrl-C pass",
    async () => {
      const dir = join(base, "proxy");
      const workRoot = join(dir, "runs");
      mkdirSync(dir, { recursive: true });
      const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
      const port = probe.port;
      probe.stop(true);
      const config = readFileSync(
        join(import.meta.dir, "../../../../deploy/compose/docker-socket-proxy.cfg"),
        "utf8",
      )
        .replace("bind :2375", `bind 127.0.0.1:${port}`)
        .replace("/var/run/docker.sock", socket)
        // The runs' dirs are this test's; its image is empty, with the host's toolchains bound in
        // read-only, which Compose's runner images never need: only here may those binds pass too.
        .replace("/var/lib/pairpad/runs/", `(?:${workRoot}/|/(?=(?:usr|etc|bin|sbin|lib|lib64)[/:]))`);
      writeFileSync(join(dir, "proxy.cfg"), config);
      const proxy = Bun.spawn([haproxyBinary as string, "-f", join(dir, "proxy.cfg"), "-db"], {
        stdout: "ignore",
        stderr: "ignore",
      });
      const proxied = new DockerExecutor({
        docker: { host: "127.0.0.1", port, protocol: "http" },
        images: Object.fromEntries(firstFive.map((id) => [id, image])),
        binds: hostBinds(),
        workRoot,
      });
      try {
        const docker = new Docker({ host: "127.0.0.1", port, protocol: "http" });
        for (let i = 0; ; i++) {
          try {
            await docker.ping();
            break;
          } catch (error) {
            if (i > 100) throw error;
            await Bun.sleep(100);
          }
        }
        const t = live(
          "python",
          `import os, signal
signal.signal(signal.SIGWINCH, lambda *_: print("size", tuple(os.get_terminal_size()), flush=True))
print("name?", flush=True)
print("hello", input().upper(), flush=True)
while True:
    pass
`,
          "run",
          proxied,
        );
        await t.waitFor("name?");
        t.run.resize(120, 40);
        await t.waitFor("size (120, 40)");
        t.type("ada\r");
        await t.waitFor("hello ADA");
        t.run.interrupt();
        const result = await t.run.done;
        expect(result.status, show(result)).toBe("interrupted");
      } finally {
        await proxied.close();
        proxy.kill();
        await proxy.exited;
      }
    },
    90_000,
  );

  test("live: a server killed mid-run leaves no program running (the container's own backstop ends it)", async () => {
    const dir = join(base, "killed");
    mkdirSync(dir, { recursive: true });
    const script = join(dir, "server.ts");
    writeFileSync(
      script,
      `import Docker from "dockerode";
import { DockerExecutor } from ${JSON.stringify(join(import.meta.dir, "docker.ts"))};
const executor = new DockerExecutor({
  docker: new Docker({ socketPath: ${JSON.stringify(socket)} }),
  images: { python: ${JSON.stringify(image)} },
  binds: ${JSON.stringify(hostBinds())},
  workRoot: ${JSON.stringify(join(dir, "runs"))},
  liveLimits: { wallTimeMs: 2000 },
});
executor.startLive(
  { language: "python", code: 'import time\\nprint("looping", flush=True)\\ntime.sleep(600)\\n', mode: "run", cols: 80, rows: 24 },
  (chunk) => process.stdout.write(chunk),
);
`,
    );
    const docker = new Docker({ socketPath: socket });
    const server = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "inherit" });
    let seen = "";
    const reader = server.stdout.getReader();
    while (!seen.includes("looping")) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the server ended before its run started: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    server.kill("SIGKILL");
    await server.exited;
    expect((await docker.listContainers()).length).toBe(1);
    // Nobody is left to stop it: the container ends itself a few seconds past the live wall clock.
    for (let i = 0; (await docker.listContainers()).length > 0; i++) {
      if (i > 120) throw new Error("the orphaned live run is still running");
      await Bun.sleep(500);
    }
    // What is left is a stopped container, removed here (the server would have).
    for (const info of await docker.listContainers({ all: true })) {
      expect(info.State).not.toBe("running");
      await docker.getContainer(info.Id).remove({ force: true });
    }
  }, 90_000);

  test("containers are removed after their runs", async () => {
    await run("python", "print(1)");
    const docker = new Docker({ socketPath: socket });
    expect(await docker.listContainers({ all: true })).toEqual([]);
  });
});
