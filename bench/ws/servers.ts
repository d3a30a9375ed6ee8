import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Subprocess } from "bun";
import { Writer } from "./protocol.ts";

// The servers under test, each started on loopback as its own process by the bench.

export type ServerName = "pairpad" | "pairpad-pg" | "y-websocket" | "y-websocket-leveldb" | "hocuspocus";
/**
 * `pairpad-pg` is our server on PostgreSQL (BENCH_DATABASE_URL) instead of the embedded PGlite,
 * a diagnostic variant; BENCH_DATABASE_PID (the postmaster's pid) adds the database's CPU to it.
 */
export const SERVER_NAMES: ServerName[] = process.env.BENCH_DATABASE_URL
  ? ["pairpad", "pairpad-pg", "y-websocket", "y-websocket-leveldb", "hocuspocus"]
  : ["pairpad", "y-websocket", "y-websocket-leveldb", "hocuspocus"];

export interface Target {
  readonly name: ServerName;
  /** The server process: its RSS is the server's memory. */
  readonly pid: number;
  /** Processes whose CPU is the server's: the server, and the database server of `pairpad-pg`. */
  readonly cpuPids: number[];
  readonly origin: string;
  /** Our server only: its log, where SIGUSR2 writes a heap dump (servers/pairpad.ts). */
  readonly log?: string;
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

/**
 * Waits until the server answers HTTP. A server that does not is stopped (it would otherwise keep
 * running, and loading the machine, after the bench moved on). The limit is generous: our server
 * creates its embedded database on start, which takes a minute or more on a loaded machine.
 */
async function waitForHttp(url: string, proc: Subprocess, timeoutMs = 180_000): Promise<void> {
  try {
    await pollHttp(url, proc, timeoutMs);
  } catch (error) {
    await stopProcess(proc);
    throw error;
  }
}

async function pollHttp(url: string, proc: Subprocess, timeoutMs: number): Promise<void> {
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

const logPath = (name: string) => join(tmpdir(), `pairpad-bench-${name}.log`);

function spawnServer(cmd: string[], env: Record<string, string>, name: string): Subprocess {
  const log = logPath(name);
  rmSync(log, { force: true });
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
    case "pairpad":
    case "pairpad-pg": {
      const databaseUrl = name === "pairpad-pg" ? process.env.BENCH_DATABASE_URL : undefined;
      if (name === "pairpad-pg" && !databaseUrl) throw new Error("pairpad-pg needs BENCH_DATABASE_URL");
      const dataDir = mkdtempSync(join(tmpdir(), "pairpad-bench-"));
      const proc = spawnServer(
        [
          "bun",
          // BENCH_PROFILE_DIR: write a CPU profile (and its markdown summary) of our server there.
          ...(process.env.BENCH_PROFILE_DIR
            ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
            : []),
          join(import.meta.dir, "servers", "pairpad.ts"),
        ],
        {
          PORT: String(port),
          DATA_DIR: dataDir,
          HOST: "127.0.0.1",
          LOG_LEVEL: "warn",
          // The peers have no per-room or per-connection limits; lift ours to the scenarios' sizes.
          MAX_CONNECTIONS_PER_SESSION: "10000",
          WS_MESSAGES_PER_SECOND: "100000",
          WS_CONNECTS_PER_MINUTE_PER_CLIENT: "1000000",
          // Every room of a scenario is created from this one client.
          SESSIONS_PER_MINUTE_PER_CLIENT: "100000",
          // Empty: PGlite and the in-process bus, whatever the bench's own environment says.
          DATABASE_URL: databaseUrl ?? "",
          REDIS_URL: "",
        },
        name,
      );
      await waitForHttp(`${origin}/healthz`, proc);
      const dbPid = databaseUrl ? Number(process.env.BENCH_DATABASE_PID) : Number.NaN;
      return {
        name,
        pid: proc.pid,
        cpuPids: Number.isInteger(dbPid) ? [proc.pid, dbPid] : [proc.pid],
        origin,
        log: logPath(name),
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
    case "y-websocket":
    case "y-websocket-leveldb": {
      // Memory only, as in its default setup; or with YPERSISTENCE, which stores every update in
      // LevelDB (y-leveldb) as it arrives: the peer that, like us, keeps every change.
      const persistenceDir =
        name === "y-websocket-leveldb" ? mkdtempSync(join(tmpdir(), "pairpad-bench-leveldb-")) : undefined;
      const proc = spawnServer(
        ["node", yWebsocketServerScript()],
        {
          HOST: "127.0.0.1",
          PORT: String(port),
          ...(persistenceDir ? { YPERSISTENCE: persistenceDir } : {}),
        },
        name,
      );
      await waitForHttp(origin, proc);
      return {
        name,
        pid: proc.pid,
        cpuPids: [proc.pid],
        origin,
        hocuspocus: false,
        url: (room) => `${ws}/${room}`,
        prefix: () => EMPTY,
        createRoom: async () => `room-${++roomCounter}`,
        async stop() {
          await stopProcess(proc);
          if (persistenceDir) rmSync(persistenceDir, { recursive: true, force: true });
        },
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
        cpuPids: [proc.pid],
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
