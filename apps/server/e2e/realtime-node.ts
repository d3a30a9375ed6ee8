/**
 * One real-time server node as its own process, for the multi-process tests and the
 * measurements: `bun apps/server/e2e/realtime-node.ts '<json options>'`. Prints one JSON line
 * `{"port": N}` once it listens. SIGTERM closes cleanly (flushes everything); SIGKILL does not.
 *
 * Besides `/ws/sessions/:id` it answers a few harness-only routes:
 * `POST /__sessions` (creates a session → `{id, token}`), `GET /__participants/:id`,
 * `GET /__code/:id`, `GET /__stats` (room counters and process memory).
 */
import { DocumentStore } from "@pairpad/api/documents/store";
import { hashToken, newInterviewerToken, newSessionId } from "@pairpad/api/session/ids";
import { openDatabase } from "@pairpad/db/client";
import { migrate } from "@pairpad/db/migrate";
import { sessions } from "@pairpad/db/schema";
import type { Bus } from "../src/bus/bus.ts";
import { LocalBus } from "../src/bus/local-bus.ts";
import { RedisBus } from "../src/bus/redis-bus.ts";
import { BusSessionEvents } from "../src/bus/session-events.ts";
import { createRoomServer, type RoomConfig, type SocketData } from "../src/rooms/index.ts";

interface Options {
  dataDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  port?: number;
  config?: Partial<RoomConfig>;
}

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
await migrate(database);
const bus: Bus = options.redisUrl
  ? await RedisBus.connect(options.redisUrl, { prefix: options.redisPrefix })
  : new LocalBus();
const logger = {
  info: () => {},
  warn: (message: string, fields?: Record<string, unknown>) =>
    console.error(JSON.stringify({ message, ...fields })),
  error: (message: string, fields?: Record<string, unknown>) =>
    console.error(JSON.stringify({ message, ...fields })),
};
const rooms = createRoomServer({
  db: database.db,
  documents: new DocumentStore(database.db),
  bus,
  events: new BusSessionEvents(bus),
  logger,
  clock: () => new Date(),
  config: options.config,
});
await rooms.ready();

const json = (value: unknown) => Response.json(value);
const server = Bun.serve<SocketData>({
  port: options.port ?? 0,
  hostname: "127.0.0.1",
  async fetch(req, srv) {
    const path = new URL(req.url).pathname;
    const ws = path.match(/^\/ws\/sessions\/([^/]+)$/);
    if (ws?.[1]) return rooms.upgrade(req, srv, ws[1]);
    if (path === "/__sessions" && req.method === "POST") {
      const id = newSessionId();
      const token = newInterviewerToken();
      const now = new Date();
      await database.db.insert(sessions).values({
        id,
        title: "e2e",
        language: "javascript",
        interviewerTokenHash: hashToken(token),
        createdAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + 3_600_000),
      });
      return json({ id, token });
    }
    const participants = path.match(/^\/__participants\/([^/]+)$/);
    if (participants?.[1]) return json(await rooms.directory.participants(participants[1]));
    const code = path.match(/^\/__code\/([^/]+)$/);
    if (code?.[1]) return json(await rooms.directory.readCode(code[1]));
    if (path === "/__stats") {
      Bun.gc(true);
      return json({ rooms: rooms.stats(), memory: process.memoryUsage(), cpu: process.cpuUsage() });
    }
    return new Response("not found", { status: 404 });
  },
  websocket: rooms.websocket,
});

process.on("SIGTERM", async () => {
  await rooms.close();
  await server.stop(true);
  await bus.close();
  await database.close();
  process.exit(0);
});

console.log(JSON.stringify({ port: server.port }));
