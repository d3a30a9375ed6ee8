/**
 * The shared terminal on a real server (PGlite, local sandbox), over real sockets:
 *
 * 1. keystroke to echo: the runner types one character at a time into a program waiting on `input()`;
 *    the terminal's echo is timed as the runner sees it and as a second participant sees it (p50/p99).
 * 2. output throughput: a program prints `MIB` MiB as fast as it can; the time until each of 3 watchers
 *    (and the runner) has every byte.
 * 3. the room socket under a terminal flood: a document edit's propagation to a socket that also
 *    watches the terminal, idle and while the terminal streams output (head-of-line blocking).
 *
 *   bun bench/terminal.ts [keystrokes=300] [MiB=32]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../apps/server/src/main.ts";
import { connect, retryableAssertion, synced } from "../apps/server/src/rooms/test-support.ts";
import { TerminalClient } from "../apps/server/src/terminal/test-client.ts";

const keystrokes = Number(process.argv[2] ?? 300);
const mib = Number(process.argv[3] ?? 32);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

const dataDir = mkdtempSync(join(tmpdir(), "pairpad-bench-terminal-"));
const server = await startServer(
  {
    PORT: 0,
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    DATA_DIR: dataDir,
    LIVE_OUTPUT_BYTES: 64 * 1024 * 1024,
  },
  {},
);
const wsBase = server.url.replace("http", "ws");

async function sessionWith(code: string) {
  const created = (await (
    await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ language: "python" }),
    })
  ).json()) as { id: string; interviewerToken: string };
  const editor = connect(`${wsBase}/ws/sessions`, created.id, { name: "Editor" });
  await synced(editor);
  editor.text.insert(0, code);
  await retryableAssertion(async () => {
    const live = (await (await fetch(`${server.url}/api/sessions/${created.id}/code`)).json()) as {
      code: string;
    };
    if (live.code !== code) throw new Error("not yet");
  });
  return { ...created, editor };
}

const lines: string[] = [];
try {
  // 1. keystroke to echo
  {
    const { id, interviewerToken, editor } = await sessionWith("while True:\n    input()\n");
    const runner = await TerminalClient.open(`${wsBase}/ws/sessions/${id}`);
    const watcher = await TerminalClient.open(`${wsBase}/ws/sessions/${id}?token=${interviewerToken}`);
    runner.start("run");
    await runner.until(() => runner.state?.status === "running");
    // The program is reading once a first keystroke comes back.
    runner.type("x");
    await watcher.waitFor("x");
    const byRunner: number[] = [];
    const byWatcher: number[] = [];
    const alphabet = "abcdefghijklmnopqrstuvwyz";
    for (let i = 0; i < keystrokes; i++) {
      const key = alphabet[i % alphabet.length] as string;
      let runnerAt = 0;
      let watcherAt = 0;
      const seen = new Promise<void>((resolve) => {
        const check = () => {
          if (runnerAt && watcherAt) resolve();
        };
        runner.onOutput = (text, at) => {
          if (!runnerAt && text.includes(key)) runnerAt = at;
          check();
        };
        watcher.onOutput = (text, at) => {
          if (!watcherAt && text.includes(key)) watcherAt = at;
          check();
        };
      });
      const sent = performance.now();
      runner.type(i % 40 === 39 ? `${key}\r` : key);
      await seen;
      byRunner.push(runnerAt - sent);
      byWatcher.push(watcherAt - sent);
      await Bun.sleep(10);
    }
    runner.send(5);
    await runner.waitForEnd();
    lines.push(
      `keystroke → echo, ${keystrokes} keys:   runner p50 ${ms(quantile(byRunner, 0.5))} p99 ${ms(quantile(byRunner, 0.99))}   ` +
        `second participant p50 ${ms(quantile(byWatcher, 0.5))} p99 ${ms(quantile(byWatcher, 0.99))} max ${ms(Math.max(...byWatcher))}`,
    );
    runner.close();
    watcher.close();
    editor.destroy();
  }

  // 2. output throughput to 3 watchers (and 3. an edit's propagation meanwhile)
  {
    const code = `import sys\nline = "z" * 1023 + "\\n"\nfor _ in range(${mib} * 1024):\n    sys.stdout.write(line)\nsys.stdout.flush()\n`;
    const { id, editor } = await sessionWith(code);
    const runner = await TerminalClient.open(`${wsBase}/ws/sessions/${id}`);
    const watchers = await Promise.all(
      [1, 2, 3].map(() => TerminalClient.open(`${wsBase}/ws/sessions/${id}?role=observer`)),
    );
    // Edits as seen by a watcher's socket (document updates: y-protocols sync, type 0 sub 2), and by a
    // socket that does not watch the terminal (what a separate terminal socket would leave the
    // document's socket): the difference is head-of-line blocking behind terminal output.
    const plain = connect(`${wsBase}/ws/sessions`, id, { name: "Plain" });
    await synced(plain);
    let sentAt = 0;
    let probeSeen = true;
    let plainSeen = true;
    const atProbe: number[] = [];
    const atPlain: number[] = [];
    const probe = watchers[0] as TerminalClient;
    probe.ws.addEventListener("message", (event) => {
      const frame = new Uint8Array(event.data as ArrayBuffer);
      if (frame[0] === 0 && frame[1] === 2 && !probeSeen) {
        atProbe.push(performance.now() - sentAt);
        probeSeen = true;
      }
    });
    plain.text.observe(() => {
      if (plainSeen) return;
      atPlain.push(performance.now() - sentAt);
      plainSeen = true;
    });
    const editOnce = async () => {
      sentAt = performance.now();
      probeSeen = false;
      plainSeen = false;
      editor.text.insert(editor.text.length, "#");
      await retryableAssertion(() => {
        if (!probeSeen || !plainSeen) throw new Error("not yet");
      }, 60_000);
    };
    for (let i = 0; i < 20; i++) {
      await editOnce();
      await Bun.sleep(10);
    }
    const idleProbe = atProbe.splice(0);
    const idlePlain = atPlain.splice(0);
    // The flood's own code is what the editor holds plus the probes' "#" comments: still a valid program.
    const total = mib * 1024 * 1024;
    const everyone = [runner, ...watchers];
    const done = everyone.map((c) => c.until(() => c.bytes >= total, 300_000, "all the output"));
    const started = performance.now();
    runner.start("run");
    await runner.until(() => runner.bytes > 0, 60_000, "first output");
    const firstByte = performance.now();
    let flooding = true;
    void Promise.all(done).then(() => {
      flooding = false;
    });
    while (flooding && atProbe.length < 200) {
      await editOnce();
      await Bun.sleep(20);
    }
    const finished = await Promise.all(done.map((d) => d.then(() => performance.now())));
    const seconds = (Math.max(...finished) - firstByte) / 1000;
    lines.push(
      `output throughput, ${mib} MiB to the runner and 3 watchers: first byte after ${ms(firstByte - started)}, ` +
        `all of it at every watcher after ${(seconds * 1000).toFixed(0)} ms = ${(mib / seconds).toFixed(1)} MiB/s per watcher ` +
        `(${((mib * 4) / seconds).toFixed(1)} MiB/s sent in total)`,
    );
    lines.push(
      `document edit → a socket watching the terminal: idle p50 ${ms(quantile(idleProbe, 0.5))} p99 ${ms(quantile(idleProbe, 0.99))}; ` +
        `during the flood (${atProbe.length} edits) p50 ${ms(quantile(atProbe, 0.5))} p99 ${ms(quantile(atProbe, 0.99))}`,
      `document edit → a socket not watching it:    idle p50 ${ms(quantile(idlePlain, 0.5))} p99 ${ms(quantile(idlePlain, 0.99))}; ` +
        `during the flood p50 ${ms(quantile(atPlain, 0.5))} p99 ${ms(quantile(atPlain, 0.99))}`,
    );
    plain.destroy();
    await runner.waitForEnd(undefined, 120_000);
    for (const c of everyone) c.close();
    editor.destroy();
  }
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(lines.join("\n"));
