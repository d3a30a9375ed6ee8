import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LanguageId, RunRequest, RunResult } from "@pairpad/api/execution/executor";
import { LanguageUnavailableError } from "./languages.ts";
import { SandboxExecutor } from "./sandbox.ts";

// Detecting every installed toolchain's version (languages()) took 23 s under load on 2 cores.
setDefaultTimeout(120_000);
// Short limits keep the suite quick; the defaults are longer.
const executor = new SandboxExecutor({ runLimits: { wallTimeMs: 4000, cpuTimeSeconds: 2 } });
afterAll(() => executor.close());

const run = (language: LanguageId, code: string, extra: Partial<RunRequest> = {}) =>
  executor.run({ language, code, ...extra });
const python = (code: string, stdin?: string) => run("python", code, { stdin });

/** After anything hostile, an ordinary run must still work. */
async function expectHealthy() {
  const result = await python("import sys\nprint('still fine', sys.stdin.read())", "ok");
  expect(result.status).toBe("ok");
  expect(result.stdout).toBe("still fine ok\n");
}

function show(result: RunResult) {
  return JSON.stringify({
    ...result,
    stdout: result.stdout.slice(0, 300),
    stderr: result.stderr.slice(0, 300),
  });
}

/** The first five languages; the others are tested in languages.test.ts. */
type FirstFive = "javascript" | "typescript" | "python" | "java" | "cpp";
const hello: Record<FirstFive, string> = {
  javascript: `const name = (await Bun.stdin.text()).trim();\nconsole.log("Hello, " + name + "!");`,
  typescript: `const name: string = (await Bun.stdin.text()).trim();\nconsole.log(\`Hello, \${name}!\`);`,
  python: `name = input().strip()\nprint(f"Hello, {name}!")`,
  java: `import java.util.Scanner;
public class Main {
  public static void main(String[] args) {
    String name = new Scanner(System.in).nextLine().trim();
    System.out.println("Hello, " + name + "!");
  }
}`,
  cpp: `#include <iostream>
#include <string>
int main() {
  std::string name;
  std::getline(std::cin, name);
  std::cout << "Hello, " << name << "!" << std::endl;
}`,
};

describe("SandboxExecutor", () => {
  test("reports the first five languages with detected versions", async () => {
    const languages = (await executor.languages()).filter((l) => l.id in hello);
    expect(languages.map((l) => l.id).sort()).toEqual(["cpp", "java", "javascript", "python", "typescript"]);
    for (const language of languages) {
      expect(language.available, `${language.id}: ${language.reason}`).toBe(true);
      expect(language.version).toMatch(/^\d+\.\d+/);
    }
  });

  for (const language of Object.keys(hello) as FirstFive[]) {
    test(`hello world reading stdin in ${language}`, async () => {
      const result = await run(language, hello[language], { stdin: "Ada Lovelace\n" });
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).toBe("Hello, Ada Lovelace!\n");
      expect(result.exitCode).toBe(0);
      expect(result.truncated).toBe(false);
    });
  }

  test("program arguments reach the program", async () => {
    const result = await python("import sys\nprint(sys.argv[1:])", undefined);
    expect(result.stdout).toBe("[]\n");
    const withArgs = await run("python", "import sys\nprint(sys.argv[1:])", { args: ["a b", "--c"] });
    expect(withArgs.stdout).toBe("['a b', '--c']\n");
  });

  test("a C++ compile error shows the compiler's message", async () => {
    const result = await run("cpp", "int main() { return undeclared_thing; }");
    expect(result.status).toBe("compile_error");
    expect(result.compileOutput).toContain("undeclared_thing");
    expect(result.compileOutput).toContain("error");
    expect(result.stdout).toBe("");
  });

  test("a Java compile error shows the compiler's message", async () => {
    const result = await run(
      "java",
      'public class Main { public static void main(String[] a) { int x = "no"; } }',
    );
    expect(result.status).toBe("compile_error");
    expect(result.compileOutput).toContain("incompatible types");
  });

  test("Java names the file after the public class", async () => {
    const result = await run(
      "java",
      'public class Solution { public static void main(String[] a) { System.out.println("ok"); } }',
    );
    expect(result.status, show(result)).toBe("ok");
    expect(result.stdout).toBe("ok\n");
  });

  test("a runtime error is runtime_error with the exit code and stderr", async () => {
    const result = await python("import sys\nprint('before')\nraise ValueError('boom')");
    expect(result.status).toBe("runtime_error");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("before\n");
    expect(result.stderr).toContain("ValueError: boom");
  });

  test("an infinite loop times out", async () => {
    const result = await run("javascript", "while (true) {}");
    expect(result.status).toBe("timeout");
    expect(result.exitCode).toBeNull();
    await expectHealthy();
  });

  test("a sleeping program hits the wall-clock limit", async () => {
    const result = await python("import time\nprint('start', flush=True)\ntime.sleep(60)");
    expect(result.status).toBe("timeout");
    expect(result.stdout).toBe("start\n");
    await expectHealthy();
  });

  test("a fork bomb is contained by the pids limit", async () => {
    const result = await run(
      "cpp",
      '#include <unistd.h>\n#include <cstdio>\nint main() { std::puts("forking"); std::fflush(stdout); for (;;) fork(); }',
    );
    expect(["timeout", "runtime_error"]).toContain(result.status);
    expect(result.stdout.startsWith("forking\n")).toBe(true);
    await expectHealthy();
  });

  test("a memory hog gets memory_limit (Python, C++, JavaScript)", async () => {
    const results = await Promise.all([
      python("chunks = []\nwhile True:\n    chunks.append('x' * 10_000_000)"),
      run(
        "cpp",
        "#include <cstdlib>\n#include <cstring>\nint main() { for (;;) { char* p = (char*)std::malloc(1 << 24); std::memset(p, 1, 1 << 24); } }",
      ),
      run("javascript", "const keep = [];\nfor (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));"),
    ]);
    for (const result of results) expect(result.status, show(result)).toBe("memory_limit");
    await expectHealthy();
  });

  test("Java runs under the memory limit and reports its own heap exhaustion as memory_limit", async () => {
    const result = await run(
      "java",
      `import java.util.*;
public class Main {
  public static void main(String[] a) {
    System.out.println("allocating");
    List<long[]> keep = new ArrayList<>();
    for (;;) keep.add(new long[1 << 20]);
  }
}`,
    );
    expect(result.status, show(result)).toBe("memory_limit");
    expect(result.stdout.startsWith("allocating\n")).toBe(true);
    await expectHealthy();
  });

  test("an output flood is cut at the cap with output_limit", async () => {
    const result = await python("while True:\n    print('flood' * 1000)");
    expect(result.status).toBe("output_limit");
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBe(executor.runLimits.outputBytes);
    const stderrFlood = await run(
      "cpp",
      '#include <cstdio>\nint main() { for (;;) std::fputs("err\\n", stderr); }',
    );
    expect(stderrFlood.status).toBe("output_limit");
    expect(Buffer.byteLength(stderrFlood.stderr)).toBeGreaterThanOrEqual(executor.runLimits.outputBytes);
    await expectHealthy();
  });

  test("no network: not the server's own port, no loopback address, no DNS", async () => {
    let requests = 0;
    const server = Bun.serve({
      port: 0,
      hostname: "0.0.0.0",
      fetch: () => {
        requests++;
        return new Response("reached");
      },
    });
    try {
      const result = await python(`import socket
for host in ["127.0.0.1", "127.0.0.2", "::1", "localhost"]:
    try:
        socket.create_connection((host, ${server.port}), timeout=2).close()
        print(host, "CONNECTED")
    except OSError as error:
        print(host, "blocked", type(error).__name__)
try:
    print("dns", socket.getaddrinfo("example.com", 80))
except OSError as error:
    print("dns blocked", type(error).__name__)
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("8.8.8.8", 53))
    print("udp SENT")
except OSError as error:
    print("udp blocked", type(error).__name__)`);
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).not.toContain("CONNECTED");
      expect(result.stdout).not.toContain("SENT");
      expect(result.stdout).toContain("dns blocked");
      expect(result.stdout.match(/blocked/g)?.length).toBe(6);
      expect(requests).toBe(0);
    } finally {
      server.stop(true);
    }
  });

  test("no writes outside the work dir; the work dir itself is writable", async () => {
    // Host paths outside the system directories are not even visible.
    const canary = join(process.cwd(), `pairpad-canary-${process.pid}`);
    const result = await python(`import os
for path in ["/etc/pairpad", "/usr/pairpad", "/pairpad", "/box/../pairpad", "/proc/pairpad", "/sys/pairpad",
             "/var/tmp/pairpad", "/root/pairpad", "${canary}"]:
    try:
        with open(path, "w") as f:
            f.write("x")
        print(path, "WRITTEN")
    except OSError as error:
        print(path, "refused", error.errno)
with open("/box/ok.txt", "w") as f:
    f.write("fine")
print("box", open("/box/ok.txt").read())`);
    expect(result.status, show(result)).toBe("ok");
    expect(result.stdout).not.toContain("WRITTEN");
    expect(result.stdout).toContain("box fine");
    expect(existsSync(canary)).toBe(false);
    expect(existsSync("/etc/pairpad")).toBe(false);
  });

  test("the server's environment and other processes' /proc entries are out of reach", async () => {
    process.env.PAIRPAD_TEST_SECRET = "s3cr3t-canary";
    try {
      const result = await python(`import os
print(sorted(os.environ))
print("pids", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            print(open(f"/proc/{pid}/environ").read())
        except OSError:
            pass
try:
    print(open("/proc/${process.pid}/environ").read())
except OSError as error:
    print("server proc", type(error).__name__)
print("uid", os.getuid())`);
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).not.toContain("s3cr3t-canary");
      expect(result.stdout).toContain("server proc FileNotFoundError");
      // Only the sandbox's own pid namespace: bwrap's init and the program.
      const pids = JSON.parse(/pids (\[.*\])/.exec(result.stdout)?.[1] ?? "[]") as number[];
      expect(pids.length).toBeLessThanOrEqual(3);
      expect(result.stdout).not.toContain("uid 0");
    } finally {
      delete process.env.PAIRPAD_TEST_SECRET;
    }
  });

  test("a background process cannot outlive its run", async () => {
    const token = `outlive-${process.pid}-${Date.now()}`;
    const result = await python(`import os, subprocess, sys
subprocess.Popen(["/bin/sh", "-c", "sleep 30; echo ${token}"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    os.execv("/bin/sleep", ["sleep", "31"])
print("parent done")`);
    expect(result.status, show(result)).toBe("ok");
    expect(result.stdout).toBe("parent done\n");
    const survivors = readdirSync("/proc").filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return cmdline.includes(token) || cmdline.includes("sleep\u000031");
      } catch {
        return false;
      }
    });
    expect(survivors).toEqual([]);
    await expectHealthy();
  });

  test("symlink tricks in the work dir reach nothing and survive cleanup harmlessly", async () => {
    const outside = join(tmpdir(), `pairpad-outside-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "keep.txt"), "precious");
    symlinkSync("/etc", join(outside, "etc-link"));
    try {
      const result = await python(`import os
os.symlink("/etc/shadow", "/box/shadow")
os.symlink("${outside}", "/box/outside")
os.symlink("/", "/box/root")
os.symlink("/proc/1/root", "/box/init-root")
for path in ["/box/shadow", "/box/outside/keep.txt", "/box/root/root/.bashrc", "/box/init-root/etc/shadow"]:
    try:
        print(path, "READ", open(path).read()[:20])
    except OSError as error:
        print(path, "refused", type(error).__name__)
try:
    open("/box/root/etc/pairpad", "w")
    print("WROTE through symlink")
except OSError as error:
    print("write refused", type(error).__name__)`);
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).not.toContain("READ");
      expect(result.stdout).not.toContain("WROTE");
      // Cleaning the work dir removed the links, not what they point at.
      expect(readFileSync(join(outside, "keep.txt"), "utf8")).toBe("precious");
      expect(existsSync("/etc/shadow")).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("files left in /tmp, /dev/shm or the work dir are gone for the next run", async () => {
    const first = await python(`for path in ["/tmp/left", "/dev/shm/left", "/box/left"]:
    open(path, "w").write("secret")
print("written")`);
    expect(first.stdout).toBe("written\n");
    const second = await python(`import os
print(sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")), sorted(os.listdir("/box")))`);
    expect(second.status, show(second)).toBe("ok");
    expect(second.stdout).not.toContain("left");
  });

  test("a run writes only to its own tmpfs: past the cap its writes fail with a clear note", async () => {
    const result = await python(`import os
st = os.statvfs("/box")
print("box", st.f_blocks * st.f_frsize // 2**20, "MiB", st.f_files, "files")
print(sorted(line.split()[1] for line in open("/proc/self/mounts") if line.split()[2] == "tmpfs"))
written = 0
chunk = b"x" * 2**20
try:
    for i in range(1000):
        with open(f"/tmp/fill-{i}" if i % 2 else f"/box/fill-{i}", "wb") as f:
            for _ in range(8):
                f.write(chunk)
                f.flush()
                written += 1
finally:
    print("written", written, "MiB", flush=True)`);
    expect(result.status, show(result)).toBe("runtime_error");
    const limits = executor.workspaceLimits;
    expect(result.stdout).toContain(`box ${limits.bytes / 2 ** 20} MiB ${limits.files} files`);
    // /box, /tmp and /dev/shm are tmpfs mounts, not the host's disk.
    const tmpfs = /\[.*\]/.exec(result.stdout)?.[0] ?? "";
    for (const path of ["'/box'", "'/tmp'", "'/dev/shm'"]) expect(tmpfs).toContain(path);
    const written = Number(/written (\d+) MiB/.exec(result.stdout)?.[1]);
    expect(written).toBeLessThanOrEqual(limits.bytes / 2 ** 20);
    expect(result.stderr).toContain("No space left on device");
    expect(result.stderr).toContain("[no space left: a run may write 64 MiB in at most 8192 files");
    await expectHealthy();
  });

  test("240k files fail cleanly at the file cap", async () => {
    const result = await python(`import os
made = 0
try:
    for i in range(240_000):
        open(f"/box/f{i}" if i % 2 else f"/tmp/f{i}", "w").close()
        made += 1
finally:
    print("made", made, flush=True)`);
    expect(result.status, show(result)).toBe("runtime_error");
    expect(Number(/made (\d+)/.exec(result.stdout)?.[1])).toBeLessThan(executor.workspaceLimits.files);
    expect(result.stderr).toContain("No space left on device");
    expect(result.stderr).toContain("[no space left");
    await expectHealthy();
  });

  test("a compile that never ends is stopped as a compile_error", async () => {
    const quick = new SandboxExecutor({ compileLimits: { wallTimeMs: 3000, cpuTimeSeconds: 3 } });
    try {
      const result = await quick.run({
        language: "cpp",
        code: `constexpr long spin() {
  long s = 0;
  for (long i = 0; i < 100000; ++i)
    for (long j = 0; j < 100000; ++j) s += i ^ j;
  return s;
}
constexpr long value = spin();
int main() { return value == 0; }`,
      });
      expect(result.status, show(result)).toBe("compile_error");
      expect(result.compileOutput).toContain("Compilation stopped");
      const after = await quick.run({ language: "cpp", code: hello.cpp, stdin: "again" });
      expect(after.stdout, show(after)).toBe("Hello, again!\n");
    } finally {
      await quick.close();
    }
  });

  test("8 runs in parallel are all correct", async () => {
    const languages: FirstFive[] = [
      "python",
      "javascript",
      "typescript",
      "cpp",
      "python",
      "javascript",
      "java",
      "cpp",
    ];
    const results = await Promise.all(
      languages.map((language, i) => run(language, hello[language], { stdin: `runner ${i}` })),
    );
    results.forEach((result, i) => {
      expect(result.status, show(result)).toBe("ok");
      expect(result.stdout).toBe(`Hello, runner ${i}!\n`);
    });
  });

  test("a missing toolchain is reported and its runs refused with LanguageUnavailableError", async () => {
    // A tool path holding only the sandbox's own tools and Python: no Java, no g++, no Bun.
    const toolDir = join(tmpdir(), `pairpad-tools-${process.pid}`);
    mkdirSync(toolDir, { recursive: true });
    for (const tool of ["bwrap", "prlimit", "setpriv", "python3"]) {
      const found = Bun.which(tool, { PATH: "/usr/bin:/bin" });
      if (found && !existsSync(join(toolDir, tool))) symlinkSync(found, join(toolDir, tool));
    }
    const partial = new SandboxExecutor({ toolPath: toolDir });
    try {
      const languages = await partial.languages();
      const java = languages.find((l) => l.id === "java");
      expect(java?.available).toBe(false);
      expect(java?.reason).toContain("javac");
      expect(languages.find((l) => l.id === "python")?.available).toBe(true);
      expect(partial.run({ language: "java", code: hello.java })).rejects.toBeInstanceOf(
        LanguageUnavailableError,
      );
      const py = await partial.run({ language: "python", code: hello.python, stdin: "partial" });
      expect(py.stdout).toBe("Hello, partial!\n");
    } finally {
      await partial.close();
      rmSync(toolDir, { recursive: true, force: true });
    }
  });

  test("an aborted run is stopped and reported, not left running", async () => {
    const controller = new AbortController();
    const pending = executor.run(
      { language: "python", code: "import time\ntime.sleep(30)" },
      controller.signal,
    );
    setTimeout(() => controller.abort(), 300);
    const result = await pending;
    expect(result.status).toBe("internal_error");
    expect(result.stderr).toContain("cancelled");
    await expectHealthy();
  });
});
