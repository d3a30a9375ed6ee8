import { afterAll, describe, expect, test } from "bun:test";
import type { LanguageId } from "@pairpad/api/execution/executor";
import type { LiveMode } from "./live-run.ts";
import { watchLive } from "./live-test-support.ts";
import { SandboxExecutor } from "./sandbox.ts";

const executor = new SandboxExecutor({
  prewarm: 1,
  liveLimits: { wallTimeMs: 60_000, idleMs: 60_000, outputBytes: 256 * 1024 },
});
afterAll(() => executor.close());

/** A live run at an 80×24 terminal, watched (see live-test-support.ts). */
function start(language: LanguageId, code: string, mode: LiveMode = "run") {
  return watchLive(executor, { language, code, mode, cols: 80, rows: 24 });
}

describe("live runs in the sandbox", () => {
  test("a Python program that prompts reads each answer typed at its terminal", async () => {
    const t = start(
      "python",
      'import sys\nprint("tty:", sys.stdin.isatty())\nfor q in ["name", "age", "city"]:\n    a = input(q + "? ")\n    print(q, "=", a.upper())\n',
    );
    await t.waitFor("tty: True");
    await t.waitFor("name? ");
    t.type("ada\r");
    await t.waitFor("name = ADA");
    // Each answer is typed at its prompt: typed earlier, the tty would echo it before the prompt.
    await t.waitFor("age? ");
    t.type("36\r");
    await t.waitFor("age = 36");
    await t.waitFor("city? ");
    t.type("london\r");
    const result = await t.run.done;
    expect(result.status).toBe("ok");
    expect(result.exitCode).toBe(0);
    // The terminal echoes what was typed, as a real one does.
    expect(t.screen()).toContain("city? london");
    expect(t.screen()).toContain("city = LONDON");
  });

  test("Ctrl-C ends an infinite loop with status interrupted", async () => {
    const t = start("python", 'print("looping", flush=True)\nwhile True:\n    pass\n');
    await t.waitFor("looping");
    t.run.interrupt();
    const result = await t.run.done;
    expect(result.status).toBe("interrupted");
    expect(result.signal).toBe("SIGINT");
    expect(t.screen()).toContain("KeyboardInterrupt");
  });

  test("a typed ^C reaches the program through the terminal's line discipline", async () => {
    const t = start("python", 'import time\nprint("waiting", flush=True)\ntime.sleep(60)\n');
    await t.waitFor("waiting");
    t.type("\x03");
    const result = await t.run.done;
    expect(result.signal).toBe("SIGINT");
    expect(result.status).toBe("interrupted");
  });

  test("100 MB of output is cut at the cap", async () => {
    let bytes = 0;
    const run = executor.startLive(
      {
        language: "python",
        code: 'import sys\nline = "x" * 1023 + "\\n"\nfor _ in range(100 * 1024):\n    sys.stdout.write(line)\n',
        mode: "run",
        cols: 80,
        rows: 24,
      },
      (chunk) => {
        bytes += chunk.byteLength;
      },
    );
    const result = await run.done;
    expect(result.status).toBe("output_limit");
    expect(result.truncated).toBe(true);
    expect(bytes).toBe(256 * 1024);
    expect(result.stderr).toContain("[output stopped: more than 256 KiB]");
  });

  test("the Python REPL has the code loaded and keeps state between lines", async () => {
    const t = start("python", "def double(x):\n    return 2 * x\n", "repl");
    await t.waitFor(">>> ");
    t.type("n = double(21)\r");
    t.type("print('n is', n + 0)\r");
    await t.waitFor("n is 42");
    t.type("exit()\r");
    const result = await t.run.done;
    expect(result.status).toBe("ok");
  });

  test("the JavaScript REPL (node) has the code's declarations", async () => {
    const t = start("javascript", "const greet = (n) => 'hi ' + n;\nlet count = 1;\n", "repl");
    await t.waitFor("> ");
    t.type("count += 41\r");
    t.type("greet(count)\r");
    await t.waitFor("'hi 42'");
    t.type(".exit\r");
    expect((await t.run.done).status).toBe("ok");
  });

  test("an idle REPL ends with a timeout", async () => {
    const idle = new SandboxExecutor({ prewarm: 0, liveLimits: { idleMs: 1500 } });
    try {
      let screen = "";
      const run = idle.startLive({ language: "python", code: "", mode: "repl", cols: 80, rows: 24 }, (c) => {
        screen += new TextDecoder().decode(c);
      });
      const result = await run.done;
      expect(screen).toContain(">>>");
      expect(result.status).toBe("timeout");
      expect(result.stderr).toContain("idle");
    } finally {
      await idle.close();
    }
  });

  test("batch runs still work beside live ones", async () => {
    const result = await executor.run({ language: "python", code: "print(input()[::-1])", stdin: "abc" });
    expect(result.status).toBe("ok");
    expect(result.stdout).toBe("cba\n");
  });
});
