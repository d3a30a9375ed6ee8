import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ClientOp } from "@pairpad/api/terminal/protocol";
import type { Database } from "@pairpad/db/client";
import { historyEntries, terminalEvents } from "@pairpad/db/schema";
import { openTestPglite } from "@pairpad/db/testing";
import { and, asc, eq } from "drizzle-orm";
import type { Bus } from "../bus/bus.ts";
import { LocalBus } from "../bus/local-bus.ts";
import { SandboxExecutor } from "../executor/sandbox.ts";
import {
  type Client,
  createSession,
  type RoomNode,
  retryableAssertion,
  sessionWithCode,
  startRoomNode,
  twoNodeBuses,
} from "../rooms/test-support.ts";
import { TerminalClient } from "./test-client.ts";

setDefaultTimeout(90_000);

const PROMPTS = `for q in ["name", "age", "city"]:
    answer = input(q + "? ")
    print(q.upper(), "=", answer[::-1])
`;

/** Two nodes: sharing an in-process bus, or each with its own Redis connections (as in production). */
const buses = twoNodeBuses();

for (const kind of buses)
  describe(`the shared terminal (${kind.name})`, () => {
    let database: Database;
    let bus: Bus;
    let busB: Bus;
    let executor: SandboxExecutor;
    let a: RoomNode;
    let b: RoomNode;
    const opened: Array<{ close(): void }> = [];
    const clients: Client[] = [];

    beforeAll(async () => {
      database = await openTestPglite();
      [bus, busB] = await kind.open();
      executor = new SandboxExecutor({
        prewarm: 1,
        liveLimits: { wallTimeMs: 120_000, idleMs: 120_000, outputBytes: 256 * 1024 },
      });
      a = await startRoomNode(database.db, bus, { unloadGraceMs: 100 }, { liveExecutor: executor });
      b = await startRoomNode(database.db, busB, { unloadGraceMs: 100 }, { liveExecutor: executor });
    });
    afterAll(async () => {
      for (const socket of opened) socket.close();
      for (const client of clients) client.destroy();
      await a.stop();
      await b.stop();
      await executor.close();
      await bus.close();
      if (busB !== bus) await busB.close();
      await database.close();
    });

    /** A session whose shared document holds `code` in `language`, written by a standard client. */
    const session = (code: string, language = "python") =>
      sessionWithCode(database.db, a, clients, code, language);

    async function join(node: RoomNode, path: string, from?: string) {
      const headers = from ? { "x-forwarded-for": from } : undefined;
      const client = await TerminalClient.open(`${node.url}/${path}`, headers);
      opened.push(client);
      return client;
    }

    test("an interactive Python program works through the terminal, two participants watching the same bytes", async () => {
      const { id, token, editor } = await session(PROMPTS);
      const errors: unknown[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => {
        errors.push(args);
        consoleError(...args);
      };
      try {
        const candidate = await join(a, id);
        const interviewer = await join(a, `${id}?token=${token}`);
        const observer = await join(a, `${id}?role=observer`);

        candidate.start("run");
        await candidate.until(() => candidate.state?.status === "running", 30_000, "running");
        expect(candidate.state?.by?.role).toBe("candidate");
        expect(candidate.state?.keyboard?.connectionId).toBe(candidate.state?.by?.connectionId);

        await candidate.waitFor("name? ");
        // Nobody but the keyboard holder types: the observer and the interviewer are refused.
        observer.type("mallory\r");
        interviewer.type("eve\r");
        await observer.until(() => observer.refusals.length > 0);
        await interviewer.until(() => interviewer.refusals.length > 0);

        candidate.type("ada\r");
        await candidate.waitFor("NAME = ada");
        candidate.type("36\r");
        await candidate.waitFor("AGE = 63");
        candidate.type("london\r");
        const ended = await candidate.waitForEnd();
        expect(ended.result?.status).toBe("ok");
        expect(ended.result?.exitCode).toBe(0);
        expect(candidate.screen).toContain("CITY = nodnol");
        expect(candidate.screen).not.toContain("mallory");
        expect(candidate.screen).not.toContain("eve");

        await interviewer.waitForEnd();
        await observer.waitForEnd();
        expect(interviewer.screen).toBe(candidate.screen);
        expect(observer.screen).toBe(candidate.screen);

        // A late joiner gets the terminal's contents and header.
        const late = await join(a, `${id}?role=observer`);
        expect(late.screen).toBe(candidate.screen);
        expect(late.state?.result?.status).toBe("ok");

        // The standard y-websocket client in the room saw no frame it does not know.
        expect(editor.provider.wsconnected).toBe(true);
        expect(errors.filter((e) => String(e).includes("Unable to compute message"))).toEqual([]);

        // Recorded with timing, for the replay; and in the history as a run.
        await retryableAssertion(async () => {
          const rows = await database.db
            .select()
            .from(terminalEvents)
            .where(eq(terminalEvents.sessionId, id))
            .orderBy(asc(terminalEvents.id));
          const kinds = rows.map((r) => r.kind);
          expect(kinds[0]).toBe("start");
          expect(kinds.at(-1)).toBe("end");
          const typed = rows
            .filter((r) => r.kind === "input")
            .map((r) => new TextDecoder().decode(r.data))
            .join("");
          expect(typed).toBe("ada\r36\rlondon\r");
          const output = rows
            .filter((r) => r.kind === "output")
            .map((r) => new TextDecoder().decode(r.data))
            .join("");
          expect(output).toContain("CITY = nodnol");
          const runs = await database.db
            .select()
            .from(historyEntries)
            .where(and(eq(historyEntries.sessionId, id), eq(historyEntries.kind, "run")));
          expect(runs.length).toBe(1);
          expect(runs[0]?.payload.live).toBe(true);
        }, 20_000);
      } finally {
        console.error = consoleError;
      }
    });

    test("Ctrl-C ends an infinite loop with its own status", async () => {
      const { id, token } = await session('print("spinning", flush=True)\nwhile True:\n    pass\n');
      const candidate = await join(a, id);
      const interviewer = await join(a, `${id}?token=${token}`);
      candidate.start("run");
      await candidate.waitFor("spinning");
      // The interviewer may interrupt without holding the keyboard.
      interviewer.send(ClientOp.interrupt);
      const ended = await candidate.waitForEnd();
      expect(ended.result?.status).toBe("interrupted");
      expect(ended.result?.signal).toBe("SIGINT");
      expect(candidate.screen).toContain("KeyboardInterrupt");
    });

    test("100 MB of output is cut at the cap and the terminal still answers", async () => {
      const { id, editor } = await session(
        'import sys\nline = "y" * 1023 + "\\n"\nfor _ in range(100 * 1024):\n    sys.stdout.write(line)\n',
      );
      const candidate = await join(a, id);
      const watcher = await join(b, `${id}?role=observer`);
      candidate.start("run");
      const ended = await candidate.waitForEnd();
      expect(ended.result?.status).toBe("output_limit");
      expect(ended.result?.truncated).toBe(true);
      expect(candidate.bytes).toBeLessThan(300 * 1024);
      expect(candidate.screen).toContain("[output stopped: more than 256 KiB]");
      await watcher.waitFor("[output stopped");
      // Still responsive: a REPL starts and answers straight after (with the editor's new code).
      editor.text.delete(0, editor.text.length);
      editor.text.insert(0, "x = 6\n");
      await retryableAssertion(async () =>
        expect((await a.rooms.directory.readCode(id)).code).toBe("x = 6\n"),
      );
      candidate.start("repl");
      await candidate.until(() => candidate.state?.mode === "repl" && candidate.state.status === "running");
      await candidate.waitFor(">>> ");
      candidate.type("print(x * 7)\r");
      await candidate.waitFor("42");
      candidate.send(ClientOp.stop);
      expect((await candidate.waitForEnd()).result?.status).toBe("interrupted");
    });

    test("ending the interview stops its live run", async () => {
      const { id } = await session('import time\nprint("working", flush=True)\ntime.sleep(120)\n');
      const candidate = await join(a, id);
      candidate.start("run");
      await candidate.waitFor("working");
      await a.rooms.directory.setMeta(id, { locked: true });
      expect((await candidate.waitForEnd()).result?.status).toBe("interrupted");
      // And no new one starts.
      candidate.start("run");
      await candidate.until(() => candidate.refusals.some((r) => r.includes("ended")));
    });

    test("a REPL keeps state between lines, with the editor's code loaded", async () => {
      const { id } = await session("def square(x):\n    return x * x\n");
      const candidate = await join(a, id);
      candidate.start("repl");
      await candidate.waitFor(">>> ");
      candidate.type("total = square(12)\r");
      candidate.type("total += 1\r");
      candidate.type("print('total is', total)\r");
      await candidate.waitFor("total is 145");
      candidate.type("exit()\r");
      expect((await candidate.waitForEnd()).result?.status).toBe("ok");
    });

    test("starting and stopping in a loop meets the session's limit of starts a minute, with the wait", async () => {
      const limited = await startRoomNode(
        database.db,
        bus,
        { unloadGraceMs: 100 },
        { liveExecutor: executor, terminal: { startsPerMinute: 2 } },
      );
      try {
        const { id } = await session('print("hi")\n');
        const candidate = await join(limited, id);
        const runs: string[] = [];
        for (let i = 0; i < 2; i++) {
          const previous = candidate.state?.runId;
          candidate.start("run");
          await candidate.until(
            () => candidate.state?.runId !== previous && candidate.state?.status === "ended",
            60_000,
            "the run's end",
          );
          runs.push(candidate.state?.runId ?? "");
        }
        expect(new Set(runs).size).toBe(2);
        expect(candidate.refusals).toEqual([]);
        candidate.start("run");
        await candidate.until(() => candidate.refusals.length > 0);
        expect(candidate.refusals[0]).toMatch(/at most 2 a minute\); try again in \d+ s/);
        expect(candidate.state?.status).toBe("ended");
        // Refused, not thrown out: the socket stays open.
        expect(candidate.ws.readyState).toBe(WebSocket.OPEN);
      } finally {
        await limited.stop();
      }
    });

    test("one client cannot hold every live slot: its next start is refused, other clients still start", async () => {
      const node = await startRoomNode(
        database.db,
        bus,
        { unloadGraceMs: 100 },
        { liveExecutor: executor, terminal: { maxLiveRuns: 4 } },
      );
      try {
        const sleeper = "import time\ntime.sleep(60)\n";
        const [first, second, third] = await Promise.all([
          session(sleeper),
          session(sleeper),
          session(sleeper),
        ]);
        // One client (one address) in two sessions: the node's 4 slots give it 1.
        const mine = await join(node, first?.id ?? "", "203.0.113.7");
        const mineElsewhere = await join(node, second?.id ?? "", "203.0.113.7");
        mine.start("run");
        await mine.until(() => mine.state?.status === "running", 30_000, "the first run");
        mineElsewhere.start("run");
        await mineElsewhere.until(() => mineElsewhere.refusals.length > 0);
        expect(mineElsewhere.refusals[0]).toMatch(/You already have 1 live run going.*stop one first/);
        // Another client is not held back by it.
        const other = await join(node, third?.id ?? "", "198.51.100.9");
        other.start("run");
        await other.until(() => other.state?.status === "running", 30_000, "the other client's run");
        // The first client's slot comes back when its run ends.
        mine.send(ClientOp.stop);
        await mine.until(() => mine.state?.status === "ended", 30_000, "the stop");
        mineElsewhere.start("run");
        await mineElsewhere.until(() => mineElsewhere.state?.status === "running", 30_000, "the freed slot");
        other.send(ClientOp.stop);
        mineElsewhere.send(ClientOp.stop);
        await other.until(() => other.state?.status === "ended", 30_000, "the end");
        await mineElsewhere.until(() => mineElsewhere.state?.status === "ended", 30_000, "the end");
      } finally {
        await node.stop();
      }
    });

    test("a node without a live executor refuses a start and says why", async () => {
      const plain = await startRoomNode(database.db, bus, { unloadGraceMs: 100 });
      try {
        const { id } = await session('print("hi")\n');
        const candidate = await join(plain, id);
        candidate.start("run");
        await candidate.until(() => candidate.refusals.length > 0);
        expect(candidate.refusals[0]).toContain("cannot run code live");
        // A refused request is an answer, not a fault: the socket stays open.
        expect(candidate.ws.readyState).toBe(WebSocket.OPEN);
      } finally {
        await plain.stop();
      }
    });

    test("two starts at once on two nodes end with one run that everyone sees", async () => {
      const { id } = await session('import time\nprint("up", flush=True)\ntime.sleep(120)\n');
      const onA = await join(a, id);
      const onB = await join(b, id);
      onA.start("run");
      onB.start("run");
      await retryableAssertion(() => {
        expect(onA.state?.status).toBe("running");
        expect(onB.state?.runId).toBe(onA.state?.runId as string);
        expect(onA.screen).toContain("up");
        expect(onB.screen).toBe(onA.screen);
      }, 30_000);
      // Either the second start was refused, or it lost the race and stopped: one run is left.
      const runner = onA.state?.by?.connectionId === onA.me?.connectionId ? onA : onB;
      runner.send(ClientOp.stop);
      const ended = await onB.waitForEnd(onA.state?.runId ?? undefined);
      expect(ended.result?.status).toBe("interrupted");
      await onA.waitForEnd(ended.runId ?? undefined);
    });

    test("a run started on node A is watched and typed into from node B", async () => {
      const { id, token } = await session(PROMPTS);
      const candidate = await join(a, id);
      candidate.start("run");
      await candidate.waitFor("name? ");
      // On node B: a late watcher sees the contents so far; the interviewer hands the keyboard to a
      // participant connected to B, who answers the prompts from there.
      const interviewerB = await join(b, `${id}?token=${token}`);
      await interviewerB.until(() => interviewerB.state?.status === "running", 30_000, "running on B");
      await interviewerB.waitFor("name? ");
      expect(interviewerB.state?.node).toBe(candidate.state?.node as string);
      const helperB = await join(b, id);
      const helperId = helperB.me?.connectionId as string;
      interviewerB.send(ClientOp.handover, { to: helperId });
      await candidate.until(() => candidate.state?.keyboard?.connectionId === helperId, 30_000, "handover");
      await helperB.until(() => helperB.state?.keyboard?.connectionId === helperId, 30_000, "handover on B");
      // The runner no longer types; the new holder on B does.
      candidate.type("nope\r");
      await candidate.until(() => candidate.refusals.length > 0);
      helperB.type("bea\r");
      await candidate.waitFor("NAME = aeb");
      helperB.type("7\r");
      helperB.type("paris\r");
      const ended = await helperB.waitForEnd();
      expect(ended.result?.status).toBe("ok");
      await candidate.waitForEnd();
      expect(helperB.screen).toContain("CITY = sirap");
      expect(candidate.screen).toContain("CITY = sirap");
      expect(candidate.screen).not.toContain("nope");
    });
  });

/** A bus whose messages take `delayMs` to arrive: two nodes then both accept a start before either hears of the other's. */
class SlowBus implements Bus {
  readonly nodeId: string;
  constructor(
    private readonly inner: LocalBus,
    private readonly delayMs: number,
  ) {
    this.nodeId = inner.nodeId;
  }
  async publish(channel: string, payload: Uint8Array): Promise<void> {
    await Bun.sleep(this.delayMs);
    await this.inner.publish(channel, payload);
  }
  subscribe(channel: string, handler: (payload: Uint8Array) => void) {
    return this.inner.subscribe(channel, handler);
  }
  onReconnect(_listener: () => void) {
    // An in-process bus never loses its connection.
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

test("starts on two nodes that cross on a slow bus: the earlier keeps the terminal, the later stops", async () => {
  const database = await openTestPglite();
  const inner = new LocalBus();
  const executor = new SandboxExecutor({ prewarm: 0 });
  const a = await startRoomNode(database.db, new SlowBus(inner, 300), {}, { liveExecutor: executor });
  const b = await startRoomNode(database.db, new SlowBus(inner, 300), {}, { liveExecutor: executor });
  const sockets: TerminalClient[] = [];
  try {
    const { id } = await createSession(database.db, { language: "python" });
    const code = 'import time\nprint("up", flush=True)\ntime.sleep(120)\n';
    const onA = await TerminalClient.open(`${a.url}/${id}`);
    const onB = await TerminalClient.open(`${b.url}/${id}`);
    sockets.push(onA, onB);
    await a.rooms.directory.replaceCode(id, code, "Editor");
    await retryableAssertion(async () => {
      expect((await b.rooms.directory.readCode(id)).code).toBe(code);
    }, 20_000);
    onA.start("run");
    onB.start("run");
    // Each accepted its own start before hearing of the other's.
    await onA.until(() => onA.state?.by?.connectionId === onA.me?.connectionId, 30_000, "A's own run");
    await onB.until(() => onB.state?.by?.connectionId === onB.me?.connectionId, 30_000, "B's own run");
    await retryableAssertion(() => {
      expect(onA.state?.status).toBe("running");
      expect(onB.state?.runId).toBe(onA.state?.runId as string);
      expect(onB.screen).toContain("up");
      expect(onA.screen).toBe(onB.screen);
    }, 30_000);
    const runner = onA.state?.by?.connectionId === onA.me?.connectionId ? onA : onB;
    runner.send(ClientOp.stop);
    const ended = await runner.waitForEnd();
    expect(ended.result?.status).toBe("interrupted");
    const other = runner === onA ? onB : onA;
    expect((await other.waitForEnd(ended.runId ?? undefined)).result?.status).toBe("interrupted");
  } finally {
    for (const socket of sockets) socket.close();
    await a.stop();
    await b.stop();
    await executor.close();
    await inner.close();
    await database.close();
  }
});
