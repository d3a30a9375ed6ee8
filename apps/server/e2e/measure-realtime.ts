/**
 * Edit propagation latency (writer → observers, loopback), server CPU per delivered update and
 * memory per loaded room, on one node and on two (writer on one node, observers on the other;
 * needs DATABASE_URL and REDIS_URL). A measurement, not a test:
 * `bun apps/server/e2e/measure-realtime.ts [rooms] [observersPerRoom] [editsPerRoom]`.
 * The clients are standard y-websocket providers in this one process, so under heavy load the
 * figures include this process's own delays.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  createSessionOn,
  freshPostgres,
  type NodeOptions,
  type NodeProcess,
  spawnNode,
} from "./realtime-support.ts";

const rooms = Number(process.argv[2] ?? 100);
const observersPerRoom = Number(process.argv[3] ?? 3);
const editsPerRoom = Number(process.argv[4] ?? 30);
const editsPerSecond = 10;

interface Stats {
  memory: { rss: number; heapUsed: number };
  cpu: { user: number; system: number };
}

const stats = async (node: NodeProcess) => (await (await fetch(`${node.http}/__stats`)).json()) as Stats;

function client(url: string, sessionId: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, sessionId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once("sync", () => resolve());
  });
  return { doc, provider, text: doc.getText("code"), synced };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const cpuMicros = (s: Stats) => s.cpu.user + s.cpu.system;

async function measure(
  label: string,
  writerNode: NodeProcess,
  observerNode: NodeProcess,
  nodes: NodeProcess[],
) {
  const before = await Promise.all(nodes.map(stats));
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const expected = rooms * observersPerRoom * editsPerRoom;
  const writers = [];
  const observers = [];
  for (let r = 0; r < rooms; r++) {
    const { id } = await createSessionOn(writerNode);
    writers.push(client(writerNode.url, id));
    for (let o = 0; o < observersPerRoom; o++) {
      const observer = client(observerNode.url, id);
      observer.text.observe((event) => {
        const now = performance.now();
        for (const op of event.delta) {
          if (typeof op.insert !== "string") continue;
          for (const key of op.insert.split("|")) {
            const sent = sentAt.get(key);
            if (sent !== undefined) latencies.push(now - sent);
          }
        }
      });
      observers.push(observer);
    }
  }
  await Promise.all([...writers, ...observers].map((c) => c.synced));
  const loaded = await Promise.all(nodes.map(stats));

  // Each writer types `editsPerSecond` edits a second; rooms are spread over the second.
  const interval = 1000 / editsPerSecond;
  const start = performance.now();
  for (let e = 0; e < editsPerRoom; e++) {
    for (let r = 0; r < writers.length; r++) {
      const writer = writers[r];
      if (!writer) continue;
      const wait = start + e * interval + (r * interval) / writers.length - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      const key = `${r}.${e}`;
      sentAt.set(key, performance.now());
      writer.text.insert(writer.text.length, `${key}|`);
    }
  }
  const deadline = Date.now() + 15_000;
  while (latencies.length < expected && Date.now() < deadline) await Bun.sleep(20);
  const after = await Promise.all(nodes.map(stats));

  const sorted = latencies.sort((x, y) => x - y);
  const cpu = after.reduce((sum, s, i) => sum + cpuMicros(s) - cpuMicros(loaded[i] as Stats), 0);
  console.log(
    `\n${label}: ${rooms} room(s) × (1 writer + ${observersPerRoom} observers), ${editsPerRoom} edits per writer at ${editsPerSecond}/s`,
  );
  console.log(`  delivered ${sorted.length}/${expected} updates`);
  console.log(
    `  latency writer → observer: p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(2)} ms`,
  );
  console.log(
    `  server CPU per delivered update (all nodes, incl. persistence): ${(cpu / sorted.length).toFixed(1)} µs`,
  );
  for (const [i, node] of nodes.entries()) {
    const heap = ((loaded[i]?.memory.heapUsed ?? 0) - (before[i]?.memory.heapUsed ?? 0)) / rooms;
    const rss = ((loaded[i]?.memory.rss ?? 0) - (before[i]?.memory.rss ?? 0)) / rooms;
    console.log(
      `  node ${i + 1} (port ${node.port}): per loaded room with its sockets, heap +${kb(heap)}, rss +${kb(rss)}`,
    );
  }
  for (const c of [...writers, ...observers]) c.provider.destroy();
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
try {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  let single: NodeOptions;
  if (databaseUrl) {
    const db = await freshPostgres(databaseUrl);
    cleanups.push(() => db.drop());
    single = { databaseUrl: db.url };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), "pairpad-measure-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    single = { dataDir };
  }
  // MEASURE_PROFILE_DIR=/some/dir writes a markdown CPU profile of each node there on exit.
  const profileDir = process.env.MEASURE_PROFILE_DIR;
  const bunArgs = profileDir ? ["--cpu-prof-md", `--cpu-prof-dir=${profileDir}`] : [];
  const one = await spawnNode({ ...single, bunArgs, config: { unloadGraceMs: 60_000 } });
  cleanups.push(() => one.stop());
  await measure(`one node (${databaseUrl ? "PostgreSQL" : "PGlite"})`, one, one, [one]);

  if (databaseUrl && redisUrl) {
    const db = await freshPostgres(databaseUrl);
    cleanups.push(() => db.drop());
    const shared: NodeOptions = {
      databaseUrl: db.url,
      redisUrl,
      redisPrefix: `pairpad-measure-${crypto.randomUUID()}:`,
      config: { unloadGraceMs: 60_000 },
      bunArgs,
    };
    const a = await spawnNode(shared);
    const b = await spawnNode(shared);
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
    await measure("two nodes over Redis (writer on node 1, observers on node 2)", a, b, [a, b]);
  } else {
    console.log("\n(two nodes: set DATABASE_URL and REDIS_URL)");
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
