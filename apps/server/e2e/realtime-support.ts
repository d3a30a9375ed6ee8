import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@pairpad/db/client";
import { migrate } from "@pairpad/db/migrate";
import type { Subprocess } from "bun";
import postgres from "postgres";
import type { RoomConfig } from "../src/rooms/index.ts";

const script = fileURLToPath(new URL("./realtime-node.ts", import.meta.url));

export interface NodeProcess {
  port: number;
  url: string;
  http: string;
  process: Subprocess;
  /** Clean shutdown (SIGTERM): resolves when the process exited. */
  stop(): Promise<number>;
  /** SIGKILL: nothing is flushed. */
  kill(): Promise<void>;
}

export interface NodeOptions {
  dataDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  config?: Partial<RoomConfig>;
  /** Extra flags for the child's `bun` (e.g. `--cpu-prof-md`); not passed to the script. */
  bunArgs?: string[];
}

/** Spawns `realtime-node.ts` and waits for it to listen. */
export async function spawnNode(options: NodeOptions): Promise<NodeProcess> {
  const { bunArgs = [], ...scriptOptions } = options;
  const child = Bun.spawn(["bun", ...bunArgs, script, JSON.stringify(scriptOptions)], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let buffered = "";
  const decoder = new TextDecoder();
  let port = 0;
  while (!port) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`node exited before listening (code ${await child.exited})`);
    buffered += decoder.decode(value);
    const line = buffered.split("\n").find((l) => l.startsWith("{"));
    if (line && buffered.includes("\n")) port = (JSON.parse(line) as { port: number }).port;
  }
  reader.releaseLock();
  // Keep draining stdout so the child never blocks on a full pipe.
  void child.stdout.pipeTo(new WritableStream()).catch(() => {});
  return {
    port,
    url: `ws://127.0.0.1:${port}/ws/sessions`,
    http: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      child.kill("SIGTERM");
      return child.exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await child.exited;
    },
  };
}

export async function createSessionOn(node: NodeProcess): Promise<{ id: string; token: string }> {
  const response = await fetch(`${node.http}/__sessions`, { method: "POST" });
  return (await response.json()) as { id: string; token: string };
}

export async function participantsOn(
  node: NodeProcess,
  id: string,
): Promise<Array<{ name: string; role: string }>> {
  return (await (await fetch(`${node.http}/__participants/${id}`)).json()) as Array<{
    name: string;
    role: string;
  }>;
}

/** A fresh, migrated PostgreSQL database that child processes can open by URL. */
export async function freshPostgres(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pairpad_rt_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // Two: migrate holds its advisory lock on one connection while the migrator uses another.
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
  await migrate(database);
  await database.close();
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
