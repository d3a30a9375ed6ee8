/**
 * SIGTERM on one real server process while a client on a slow link is still downloading a response
 * the server has already answered in full (a session's history of runs, megabytes of JSON, more
 * than the sockets' buffers hold): the client receives all of it before its connection closes, and
 * the process exits, instead of the part the server still held being dropped by the close or exit.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { freePort } from "../src/rooms/test-support.ts";
import { eventually } from "../src/testing.ts";
import { ServerNode } from "./cluster-support.ts";

setDefaultTimeout(180_000);

/** Each run's result is ~0.75 MB of JSON (64 KiB of control bytes on each of stdout and stderr). */
const BULKY = "import sys\nsys.stdout.write('\\x01' * 65536)\nsys.stderr.write('\\x01' * 65536)";
/** Enough runs that their history outgrows what the kernel buffers for one connection (~4 MB). */
const RUNS = 30;

/**
 * A client on a slow link, in its own process so it can bound what it takes in: a small receive
 * buffer, nothing read until told `slow` on stdin, then at most 32 KiB each 5 ms. What it
 * receives goes to stdout.
 */
const READER = `
import select, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode())
sys.stdin.readline()
out = sys.stdout.buffer
while True:
    data = s.recv(32768)
    if not data:
        break
    out.write(data)
    out.flush()
    time.sleep(0.005)
`;

class SlowDownload {
  private readonly process: Subprocess<"pipe", "pipe", "inherit">;
  /** The whole of what the client received, once the server has closed the connection. */
  readonly received: Promise<Buffer>;

  constructor(port: number, path: string) {
    const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    this.process = Bun.spawn(["python3", "-c", READER, String(port), request], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    this.received = new Response(this.process.stdout).arrayBuffer().then((bytes) => Buffer.from(bytes));
  }

  readSlowly(): void {
    this.process.stdin.write("slow\n");
    this.process.stdin.flush();
  }

  close(): void {
    this.process.kill();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "pairpad-write-out-"));
const node = new ServerNode("write-out", freePort(), {
  DATA_DIR: dataDir,
  LOG_LEVEL: "debug",
  SANDBOX_PREWARM: "0",
  RUNS_PER_MINUTE_PER_SESSION: "1000",
  RUNS_PER_MINUTE_PER_CLIENT: "1000",
});
afterAll(async () => {
  await node.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

let sessionId = "";
const runIds: string[] = [];
const historyPath = () => `/api/sessions/${sessionId}/history`;
/** Whether the node has logged its answer to the history download (the server holds the rest). */
const answered = () => node.logs.some((line) => line.includes(`"path":"${historyPath()}"`));

test("a slow download answered before SIGTERM arrives whole, then the process exits", async () => {
  await node.start();
  const created = await fetch(`${node.url}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "Write out", language: "python" }),
  });
  sessionId = ((await created.json()) as { id: string }).id;
  for (let i = 0; i < RUNS; i++) {
    const response = await fetch(`${node.url}/api/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ language: "python", code: BULKY, sessionId }),
    });
    expect(response.status).toBe(200);
    runIds.push(((await response.json()) as { runId: string }).runId);
  }

  const download = new SlowDownload(node.port, `${historyPath()}?kind=run&limit=100`);
  try {
    await eventually(() => expect(answered()).toBe(true), 30_000);
    const exited = node.terminate();
    await eventually(() => expect(node.logs.some((line) => line.includes('"draining"'))).toBe(true), 30_000);
    download.readSlowly();
    const raw = await download.received;
    expect(await exited).toBe(0);

    const head = raw.indexOf("\r\n\r\n");
    expect(raw.subarray(0, head).toString()).toStartWith("HTTP/1.1 200");
    const body = raw.subarray(head + 4);
    const length = Number(/^content-length: (\d+)$/im.exec(raw.subarray(0, head).toString())?.[1]);
    expect(body.length).toBe(length);
    const history = JSON.parse(body.toString()) as {
      items: Array<{ kind: string; payload: { runId: string } }>;
    };
    expect(history.items.map((item) => item.payload.runId).sort()).toEqual([...runIds].sort());
    expect(node.logs.filter((line) => line.includes("responses not written out"))).toEqual([]);
  } finally {
    download.close();
  }
});

test("a client that never reads its download does not hold the exit", async () => {
  node.logs.length = 0;
  await node.start();
  const download = new SlowDownload(node.port, `${historyPath()}?kind=run&limit=100`);
  try {
    await eventually(() => expect(answered()).toBe(true), 30_000);
    expect(await node.terminate()).toBe(0);
    expect(node.logs.some((line) => line.includes("responses not written out at the cap"))).toBe(true);
  } finally {
    download.close();
  }
});
