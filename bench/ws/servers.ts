import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Subprocess } from "bun";
import { Writer } from "./protocol.ts";

// The servers under test, each started on loopback as its own process by the bench.

export type ServerName = "pairpad" | "y-websocket" | "hocuspocus";
export const SERVER_NAMES: ServerName[] = ["pairpad", "y-websocket", "hocuspocus"];

export interface Target {
  readonly name: ServerName;
  readonly pid: number;
  readonly origin: string;
  /** Hocuspocus frames carry the document name first, and a document starts with an auth message. */
  readonly hocuspocus: boolean;
  url(room: string): string;
  prefix(room: string): Uint8Array;
  createRoom(): Promise<string>;
  stop(): Promise<void>;
}

const repoRoot = join(import.meta.dir, "..", "..");
const EMPTY = new Uint8Array(0);
let roomCounter = 0;

export async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** The classic y-websocket 1.x server script, wherever the installer put that package. */
function yWebsocketServerScript(): string {
  for (let dir = join(import.meta.dir, ".."); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, "node_modules", "y-websocket");
    const script = join(pkg, "bin", "server.js");
    if (
      existsSync(script) &&
      JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version.startsWith("1.")
    ) {
      return script;
    }
  }
  throw new Error("y-websocket 1.x not installed: run `bun install`");
}

async function waitForHttp(url: string, proc: Subprocess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with code ${proc.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {}
    await Bun.sleep(50);
  }
  throw new Error(`server not ready at ${url} after ${timeoutMs} ms`);
}

function spawnServer(cmd: string[], env: Record<string, string>, name: string): Subprocess {
  const log = join(tmpdir(), `pairpad-bench-${name}.log`);
  return Bun.spawn(cmd, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdout: Bun.file(log),
    stderr: Bun.file(log),
  });
}

async function stopProcess(proc: Subprocess): Promise<void> {
  if (proc.exitCode !== null) return;
  proc.kill("SIGTERM");
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
  if (!exited) {
    proc.kill("SIGKILL");
    await proc.exited;
  }
}

export async function startServer(name: ServerName): Promise<Target> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const ws = `ws://127.0.0.1:${port}`;
  switch (name) {
    case "pairpad": {
      const dataDir = mkdtempSync(join(tmpdir(), "pairpad-bench-"));
      const proc = spawnServer(
        ["bun", "apps/server/src/start.ts"],
        {
          PORT: String(port),
          DATA_DIR: dataDir,
          HOST: "127.0.0.1",
          LOG_LEVEL: "warn",
          // The peers have no per-room or per-connection limits; lift ours to the scenarios' sizes.
          MAX_CONNECTIONS_PER_SESSION: "10000",
          WS_MESSAGES_PER_SECOND: "100000",
        },
        name,
      );
      await waitForHttp(`${origin}/healthz`, proc);
      return {
        name,
        pid: proc.pid,
        origin,
        hocuspocus: false,
        url: (room) => `${ws}/ws/sessions/${room}`,
        prefix: () => EMPTY,
        async createRoom() {
          const res = await fetch(`${origin}/api/sessions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ title: "bench", language: "javascript" }),
          });
          const body = (await res.json()) as { id?: string; session?: { id?: string } };
          const id = body.id ?? body.session?.id;
          if (!res.ok || !id) throw new Error(`POST /api/sessions: ${res.status} ${JSON.stringify(body)}`);
          return id;
        },
        async stop() {
          await stopProcess(proc);
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    case "y-websocket": {
      // No YPERSISTENCE: documents live in memory only, as in its default setup.
      const proc = spawnServer(
        ["node", yWebsocketServerScript()],
        { HOST: "127.0.0.1", PORT: String(port) },
        name,
      );
      await waitForHttp(origin, proc);
      return {
        name,
        pid: proc.pid,
        origin,
        hocuspocus: false,
        url: (room) => `${ws}/${room}`,
        prefix: () => EMPTY,
        createRoom: async () => `room-${++roomCounter}`,
        stop: () => stopProcess(proc),
      };
    }
    case "hocuspocus": {
      const proc = spawnServer(
        ["node", join(import.meta.dir, "servers", "hocuspocus.mjs")],
        { PORT: String(port) },
        name,
      );
      await waitForHttp(origin, proc);
      return {
        name,
        pid: proc.pid,
        origin,
        hocuspocus: true,
        url: () => ws,
        prefix: (room) => new Writer().string(room).done(),
        createRoom: async () => `room-${++roomCounter}`,
        stop: () => stopProcess(proc),
      };
    }
  }
}

/** Creates `n` rooms, a few requests at a time (only our server needs a request per room). */
export async function createRooms(target: Target, n: number, concurrency = 8): Promise<string[]> {
  const rooms: string[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      rooms[i] = await target.createRoom();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return rooms;
}
