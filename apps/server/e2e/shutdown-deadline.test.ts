/**
 * SIGTERM while work outlasts SHUTDOWN_TIMEOUT_SECONDS, on one real server process: a batch run
 * still running at the deadline and a live terminal run. The caller of POST /api/execute, the
 * session's event stream, the terminal's watcher and the history (read after a restart) all say the
 * server shut down, and each run is in the history once.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHUTDOWN_MESSAGE } from "@pairpad/api/router/execute";
import { EventSource } from "eventsource";
import { freePort } from "../src/rooms/test-support.ts";
import { SHUTDOWN_NOTE } from "../src/terminal/hub.ts";
import { TerminalClient } from "../src/terminal/test-client.ts";
import { eventually } from "../src/testing.ts";
import { ServerNode } from "./cluster-support.ts";
import { freshPostgres } from "./realtime-support.ts";

setDefaultTimeout(180_000);

interface HistoryEntry {
  kind: string;
  payload: { runId?: string; status?: string; stderr?: string; live?: boolean };
}

const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const targets: Array<[string, () => Promise<Record<string, string>>]> = [
  [
    "PGlite",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "pairpad-deadline-"));
      dirs.push(dir);
      return { DATA_DIR: dir };
    },
  ],
];
if (process.env.DATABASE_URL) {
  const url = process.env.DATABASE_URL;
  targets.push([
    "PostgreSQL",
    async () => {
      const db = await freshPostgres(url);
      cleanups.push(db.drop);
      return { DATABASE_URL: db.url };
    },
  ]);
}

describe.each(targets)("shutdown deadline (%s)", (_name, database) => {
  test("a run past SHUTDOWN_TIMEOUT_SECONDS and a live terminal run end with the shutdown as their reason", async () => {
    const node = new ServerNode("deadline", freePort(), {
      ...(await database()),
      LOG_LEVEL: "debug",
      SANDBOX_PREWARM: "0",
      SHUTDOWN_TIMEOUT_SECONDS: "1",
    });
    cleanups.push(() => node.kill());
    await node.start();
    const post = (path: string, body: unknown) =>
      fetch(`${node.url}/api${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const { id: sessionId } = (await (
      await post("/sessions", { title: "Deadline", language: "python" })
    ).json()) as { id: string };

    const events: Array<{ type: string; runId?: string; result?: { status: string; stderr: string } }> = [];
    const input = encodeURIComponent(JSON.stringify({ id: sessionId }));
    const source = new EventSource(`${node.url}/trpc/events.session?input=${input}`);
    source.onmessage = (message) => events.push(JSON.parse(message.data));

    // A live run in the shared terminal, waiting for a keystroke that never comes.
    const terminal = await TerminalClient.open(`${node.url.replace("http", "ws")}/ws/sessions/${sessionId}`);
    terminal.start("repl");
    await terminal.until(() => terminal.state?.status === "running", 60_000, "the live run to start");
    const liveRunId = terminal.state?.runId as string;

    // A batch run that would take a minute.
    const response = post("/execute", {
      language: "python",
      code: "import time\ntime.sleep(60)\nprint('never')",
      sessionId,
    });
    await eventually(() => expect(events.some((e) => e.type === "run-started")).toBe(true), 30_000);
    await eventually(async () => {
      const metrics = await (await fetch(`${node.url}/metrics`)).text();
      expect(metrics).toMatch(/^pairpad_runs_active 1$/m);
    }, 30_000);

    const exited = node.terminate();
    const answered = await response;
    expect(answered.status).toBe(200);
    const result = (await answered.json()) as { status: string; stderr: string; runId: string };
    expect(result).toMatchObject({ status: "internal_error", stderr: SHUTDOWN_MESSAGE });
    const ended = await terminal.waitForEnd(liveRunId);
    expect(ended.result?.stderr).toBe(SHUTDOWN_NOTE);
    expect(terminal.screen).toContain(SHUTDOWN_NOTE);
    expect((await terminal.closed).code).toBe(1001);
    expect(await exited).toBe(0);
    const finished = events.filter((e) => e.type === "run-finished");
    expect(finished.map((e) => [e.runId, e.result?.stderr])).toEqual([[result.runId, SHUTDOWN_MESSAGE]]);
    source.close();
    expect(node.logs.some((line) => line.includes("shutdown deadline reached"))).toBe(true);

    // Started again on the same database: each run is in the history once, saying why it ended.
    await node.start();
    const history = (await (
      await fetch(`${node.url}/api/sessions/${sessionId}/history?kind=run&limit=100`)
    ).json()) as { items: HistoryEntry[] };
    const runs = history.items.filter((e) => e.kind === "run");
    expect(runs.filter((e) => e.payload.runId === result.runId)).toMatchObject([
      { payload: { status: "internal_error", stderr: SHUTDOWN_MESSAGE } },
    ]);
    expect(runs.filter((e) => e.payload.runId === liveRunId)).toMatchObject([
      { payload: { live: true, stderr: SHUTDOWN_NOTE } },
    ]);
    expect(runs.length).toBe(2);
    await node.terminate();
  });
});
