import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { MAX_CODE_BYTES } from "@pairpad/api/router/code";
import { MAX_STDIN_BYTES } from "@pairpad/api/router/execute";
import { ClientOp } from "@pairpad/api/terminal/protocol";
import type { Database } from "@pairpad/db/client";
import { terminalEvents } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { asc, eq } from "drizzle-orm";
import { LocalBus } from "../bus/local-bus.ts";
import { SandboxExecutor } from "../executor/sandbox.ts";
import {
  type Client,
  type RoomNode,
  retryableAssertion,
  sessionWithCode,
  startRoomNode,
} from "../rooms/test-support.ts";
import { TerminalClient } from "./test-client.ts";

setDefaultTimeout(90_000);

/** Reads its terminal raw (no echo), so that the input it is fed does not come back as output. */
const SWALLOW = `import os, tty
tty.setraw(0)
print("ready", flush=True)
while os.read(0, 65536):
    pass
`;

/** Tells its terminal's size once a line is typed. */
const SIZE = `import os
print("ready", flush=True)
input()
print("size %dx%d" % os.get_terminal_size(), flush=True)
`;

for (const target of testDatabaseTargets())
  describe(`hostile input to the shared terminal (${target.name})`, () => {
    let database: Database;
    let bus: LocalBus;
    let executor: SandboxExecutor;
    let node: RoomNode;
    const opened: Array<{ close(): void }> = [];
    const clients: Client[] = [];

    beforeAll(async () => {
      database = await target.open();
      bus = new LocalBus();
      executor = new SandboxExecutor({ prewarm: 0 });
      node = await startRoomNode(database.db, bus, { unloadGraceMs: 100 }, { liveExecutor: executor });
    });
    afterAll(async () => {
      for (const socket of opened) socket.close();
      for (const client of clients) client.destroy();
      await node.stop();
      await executor.close();
      await bus.close();
      await database.close();
    });

    const session = async (code: string) => (await sessionWithCode(database.db, node, clients, code)).id;

    async function join(id: string) {
      const socket = await TerminalClient.open(`${node.url}/${id}`);
      opened.push(socket);
      return socket;
    }

    const recorded = (id: string) =>
      database.db
        .select()
        .from(terminalEvents)
        .where(eq(terminalEvents.sessionId, id))
        .orderBy(asc(terminalEvents.id));

    test("a start with more code than a run takes is refused: nothing runs, nothing is recorded", async () => {
      const id = await session(`# ${"x".repeat(MAX_CODE_BYTES)}\nprint("ran")\n`);
      const candidate = await join(id);
      candidate.start("run");
      await candidate.until(() => candidate.refusals.length > 0, 30_000, "a refusal");
      expect(candidate.refusals[0]).toContain(`larger than ${MAX_CODE_BYTES / 1024} KiB`);
      expect(candidate.state?.status).toBe("idle");
      expect(await recorded(id)).toEqual([]);
    });

    test("keystrokes past a run's input limit are refused, and the recording keeps no more", async () => {
      const id = await session(SWALLOW);
      const candidate = await join(id);
      candidate.start("run");
      await candidate.waitFor("ready");
      // Seventeen pastes of 64 KiB: a little over the 1 MiB a run's stdin may have.
      const paste = new Uint8Array(64 * 1024).fill(0x61);
      for (let i = 0; i < 17; i++) candidate.send(ClientOp.input, paste);
      await candidate.until(() => candidate.refusals.length > 0, 30_000, "a refusal");
      expect(candidate.refusals[0]).toContain(`at most ${MAX_STDIN_BYTES / 1024 / 1024} MiB of input`);
      // The run goes on: the keyboard holder can still stop it.
      expect(candidate.state?.status).toBe("running");
      candidate.send(ClientOp.stop);
      await candidate.waitForEnd();
      await retryableAssertion(async () => {
        const rows = await recorded(id);
        expect(rows.some((row) => row.kind === "end")).toBe(true);
        const typed = rows
          .filter((row) => row.kind === "input")
          .reduce((sum, row) => sum + row.data.byteLength, 0);
        expect(typed).toBeGreaterThan(0);
        expect(typed).toBeLessThanOrEqual(MAX_STDIN_BYTES);
      });
    });

    test("keystrokes racing the program's exit do not bring the server down", async () => {
      const id = await session('import time\nprint("ready", flush=True)\ntime.sleep(0.03)\n');
      const candidate = await join(id);
      const paste = new Uint8Array(60_000).fill(0x61);
      // The program exits while pastes are still on their way to it: writing them used to leave a
      // rejected promise (EPIPE) unhandled, which ends a Bun process.
      for (let round = 0; round < 4; round++) {
        candidate.start("run");
        await candidate.waitFor("ready");
        const runId = candidate.state?.runId;
        while (candidate.state?.status === "running" && candidate.state.runId === runId) {
          candidate.send(ClientOp.input, paste);
          await Bun.sleep(1);
        }
        await candidate.waitForEnd(runId ?? undefined);
        candidate.screen = "";
      }
      // Still serving: a new participant runs code and sees its output.
      const other = await session('print("still " + "here")\n');
      const runner = await join(other);
      runner.start("run");
      await runner.waitFor("still here");
    });

    test("a storm of resizes ends at its last size, carried out only a few times", async () => {
      const id = await session(SIZE);
      const candidate = await join(id);
      const watcher = await join(id);
      candidate.start("run");
      await candidate.waitFor("ready");
      // A window dragged by its edge, faster than anyone drags: two hundred sizes in one go.
      const sent = 200;
      for (let i = 1; i <= sent; i++) candidate.send(ClientOp.resize, { cols: 40 + i, rows: 10 + (i % 30) });
      await watcher.until(
        () => watcher.state?.cols === 240 && watcher.state.rows === 30,
        30_000,
        "the last size",
      );
      candidate.type("\r");
      await candidate.waitFor("size 240x30");
      await candidate.waitForEnd();
      await retryableAssertion(async () => {
        const rows = await recorded(id);
        expect(rows.some((row) => row.kind === "end")).toBe(true);
        const resizes = rows
          .filter((row) => row.kind === "resize")
          .map((row) => JSON.parse(new TextDecoder().decode(row.data)));
        expect(resizes.at(-1)).toEqual({ cols: 240, rows: 30 });
        // The sizes in between were folded into the latest: not a header to every watcher, a
        // recorded event and a resize of the program for each of them.
        expect(resizes.length).toBeLessThan(sent / 10);
      });
    });

    test("a loop of keyboard handovers is refused past a person's pace; the socket and the run go on", async () => {
      const id = await session(SIZE);
      const candidate = await join(id);
      candidate.start("run");
      await candidate.waitFor("ready");
      const me = candidate.me?.connectionId as string;
      for (let i = 0; i < 20; i++) candidate.send(ClientOp.handover, { to: me });
      await candidate.until(() => candidate.refusals.length > 0, 30_000, "a refusal");
      expect(candidate.refusals[0]).toContain("Too many keyboard handovers");
      // Refused, not disconnected: the holder still types and the program answers.
      expect(candidate.state?.keyboard?.connectionId).toBe(me);
      candidate.type("\r");
      await candidate.waitFor("size 80x24");
      expect((await candidate.waitForEnd()).result?.status).toBe("ok");
    });
  });
