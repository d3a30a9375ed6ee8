/**
 * SIGTERM's drain on a single node (in-process bus: nothing is replayed from elsewhere after a
 * cut): a run finishing during the drain reaches a client of the event stream before its stream is
 * closed, even when that client has fallen megabytes behind and reads only once the node drains.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { captureJsonLogs, eventually, startTestServer } from "./testing.ts";

/** Each filler run's result is ~0.75 MB of JSON (64 KiB of control bytes on each of stdout and stderr). */
const FILLER_RUNS = 10;
/** Output that JSON spells six bytes a character, so a few runs fill the socket's buffers. */
const BULKY = "import sys\nsys.stdout.write('\\x01' * 65536)\nsys.stderr.write('\\x01' * 65536)";

interface Event {
  type: string;
  runId?: string;
  result?: { status: string; stdout: string };
}

/**
 * A client of a session's event stream over a raw socket it can stop reading (its receive buffer
 * fills, then the server's send buffer, then the server stops writing), as a slow link would.
 */
class SlowEventClient {
  private readonly socket: Socket;
  private readonly received: Buffer[] = [];
  readonly closed: Promise<void>;

  constructor(port: number, sessionId: string) {
    const input = encodeURIComponent(JSON.stringify({ id: sessionId }));
    this.socket = connect(port, "127.0.0.1");
    this.socket.on("data", (chunk: Buffer) => this.received.push(chunk));
    this.closed = new Promise((resolve) => this.socket.on("close", () => resolve()));
    this.socket.write(
      `GET /trpc/events.session?input=${input} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
    );
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }

  /** The session events received so far, decoded from the chunked HTTP body. */
  events(): Event[] {
    const raw = Buffer.concat(this.received);
    const head = raw.indexOf("\r\n\r\n");
    if (head === -1) return [];
    const body: Buffer[] = [];
    let at = head + 4;
    for (;;) {
      const line = raw.indexOf("\r\n", at);
      if (line === -1) break;
      const size = Number.parseInt(raw.subarray(at, line).toString(), 16);
      if (!(size > 0) || line + 2 + size > raw.length) break;
      body.push(raw.subarray(line + 2, line + 2 + size));
      at = line + 2 + size + 2;
    }
    const events: Event[] = [];
    for (const frame of Buffer.concat(body).toString().split("\n\n")) {
      // Session events are tracked (they carry an id); tRPC's own frames (`connected`, pings) are not.
      if (!/^id: /m.test(frame)) continue;
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data) events.push(JSON.parse(data) as Event);
    }
    return events;
  }
}

const target = testDatabaseTargets()[0];
if (!target) throw new Error("no test database");

describe(`drain with a client behind on its event stream (${target.name})`, () => {
  let server: RunningServer;
  const logs: string[] = [];
  let restoreLogs: () => void = () => {};
  beforeAll(async () => {
    restoreLogs = captureJsonLogs(logs, [process.stdout, process.stderr]);
    server = await startTestServer(target, {
      LOG_LEVEL: "debug",
      SANDBOX_PREWARM: 0,
      SHUTDOWN_TIMEOUT_SECONDS: 60,
      RUNS_PER_MINUTE_PER_SESSION: 1000,
      RUNS_PER_MINUTE_PER_CLIENT: 1000,
    });
  });
  afterAll(async () => {
    await server.stop();
    restoreLogs();
  });

  test("a run finishing during the drain reaches the stream's client before the stream is closed", async () => {
    const run = (body: Record<string, unknown>) =>
      fetch(`${server.url}/api/execute`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ language: "python", ...body }),
      }).then(async (response) => {
        expect(response.status).toBe(200);
        return (await response.json()) as { runId: string; status: string; stdout: string };
      });
    const created = await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Drain", language: "python" }),
    });
    const { id: sessionId } = (await created.json()) as { id: string };

    const client = new SlowEventClient(server.port, sessionId);
    try {
      // Subscribed once a first run's end arrives; from then on the client stops reading.
      const first = await run({ code: "print('first')", sessionId });
      await eventually(() => expect(client.events().map((e) => e.runId)).toContain(first.runId), 30_000);
      client.pause();
      const fillers: string[] = [];
      for (let i = 0; i < FILLER_RUNS; i++) fillers.push((await run({ code: BULKY, sessionId })).runId);

      // The last run is still running when the node is told to stop; it finishes during the drain.
      const last = run({ code: "import time\ntime.sleep(3)\nprint('last')", sessionId });
      await eventually(() => expect(server.deps.runQueue.running).toBe(1), 30_000);
      const drained = server.drain();
      const lastRun = await last;
      expect(lastRun).toMatchObject({ status: "ok", stdout: "last\n" });

      // The client reads again only once the node is past its runs, at the point where it closes
      // the streams (or has closed them).
      let drainedYet = false;
      void drained.then(() => {
        drainedYet = true;
      });
      await eventually(
        () =>
          expect(drainedYet || logs.some((line) => line.includes("finishing the event streams"))).toBe(true),
        30_000,
      );
      client.resume();
      await client.closed;
      await drained;

      const finished = client.events().filter((e) => e.type === "run-finished");
      expect(finished.map((e) => e.runId)).toEqual([first.runId, ...fillers, lastRun.runId]);
      expect(finished.at(-1)?.result).toMatchObject({ status: "ok", stdout: "last\n" });
      expect(logs.some((line) => line.includes("event streams not finished"))).toBe(false);
    } finally {
      client.close();
    }
  });
});
