import { expect } from "bun:test";
import { DocumentStore } from "@pairpad/api/documents/store";
import type { SessionEvent } from "@pairpad/api/events/events";
import type { Logger } from "@pairpad/api/ports";
import { hashToken, newInterviewerToken, newSessionId } from "@pairpad/api/session/ids";
import type { Db } from "@pairpad/db/client";
import { documentUpdates, sessions } from "@pairpad/db/schema";
import type { Server, Subprocess } from "bun";
import { eq } from "drizzle-orm";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Bus } from "../bus/bus.ts";
import { LocalBus } from "../bus/local-bus.ts";
import { RedisBus } from "../bus/redis-bus.ts";
import { BusSessionEvents } from "../bus/session-events.ts";
import { clientAddressResolver } from "../client-address.ts";
import { encodeEntries } from "./awareness.ts";
import type { RoomConfig } from "./config.ts";
import type { Connection } from "./connection.ts";
import { createRoomServer, type RoomServerDeps, type Rooms } from "./index.ts";
import { awarenessFrame } from "./protocol.ts";

/** `redis-server`, for tests that need a Redis of their own to stop and restart; null if absent. */
export const redisServerBinary = Bun.which("redis-server");

export function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/** Starts a throwaway redis-server on `port` (no persistence) and waits until it accepts connections. */
export async function startRedisServer(port: number): Promise<Subprocess> {
  const proc = Bun.spawn(
    [
      redisServerBinary as string,
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  await retryableAssertion(async () => {
    const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    socket.end();
  });
  return proc;
}

/** Polls until the assertion passes (or rethrows its last failure after `timeoutMs`). */
export async function retryableAssertion(assertion: () => unknown | Promise<unknown>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(20);
    }
  }
}

/** A logger that keeps what it was told, for assertions about "logged once". */
export function recordingLogger(): Logger & {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, info: log("info"), warn: log("warn"), error: log("error") };
}

export async function createSession(db: Db, values: { language?: string; status?: "active" | "ended" } = {}) {
  const id = newSessionId();
  const token = newInterviewerToken();
  const now = new Date();
  await db.insert(sessions).values({
    id,
    title: "Test interview",
    language: values.language ?? "javascript",
    status: values.status ?? "active",
    interviewerTokenHash: hashToken(token),
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
  });
  return { id, token };
}

export interface RoomNode {
  rooms: Rooms;
  server: Server<Connection>;
  /** `ws://127.0.0.1:PORT/ws/sessions`, the y-websocket server URL. */
  url: string;
  events: BusSessionEvents;
  logger: ReturnType<typeof recordingLogger>;
  stop(): Promise<void>;
}

/** A room server on its own Bun.serve, routed like http.ts routes `/ws/sessions/:id`. */
export async function startRoomNode(
  db: Db,
  bus: Bus,
  config: Partial<RoomConfig> = {},
  extra: Pick<RoomServerDeps, "liveExecutor" | "terminal" | "rateLimiter"> = {},
): Promise<RoomNode> {
  const logger = recordingLogger();
  const events = new BusSessionEvents(bus);
  const rooms = createRoomServer({
    db,
    documents: new DocumentStore(db),
    bus,
    events,
    logger,
    clock: () => new Date(),
    config,
    ...extra,
  });
  await rooms.ready();
  const clientAddress = clientAddressResolver(["loopback"]);
  const server: Server<Connection> = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req, srv) => {
      const match = new URL(req.url).pathname.match(/^\/ws\/sessions\/([^/]+)$/);
      if (!match?.[1]) return new Response("not found", { status: 404 });
      // As http.ts behind a balancer on loopback: a test names its client in X-Forwarded-For.
      const clientKey = clientAddress(srv.requestIP(req)?.address, req.headers.get("x-forwarded-for"));
      return rooms.upgrade(req, srv, decodeURIComponent(match[1]), clientKey);
    },
    websocket: rooms.websocket,
  });
  return {
    rooms,
    server,
    url: `ws://127.0.0.1:${server.port}/ws/sessions`,
    events,
    logger,
    stop: async () => {
      await rooms.close();
      await server.stop(true);
    },
  };
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  closed: Array<{ code: number; reason: string }>;
  destroy(): void;
}

/** The standard y-websocket client, unchanged; a user name in its awareness like the web app sets. */
export function connect(
  url: string,
  sessionId: string,
  options: { name?: string; params?: Record<string, string>; connect?: boolean } = {},
): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, sessionId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    params: options.params,
    connect: options.connect,
  });
  if (options.name) provider.awareness.setLocalStateField("user", { name: options.name, color: "#ff0000" });
  const closed: Array<{ code: number; reason: string }> = [];
  provider.on("closed", (event) => {
    closed.push(event);
  });
  return {
    doc,
    provider,
    text: doc.getText("code"),
    closed,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Records the session events a node publishes. */
export function collectEvents(node: RoomNode, sessionId: string): Array<SessionEvent & { id: string }> {
  const seen: Array<SessionEvent & { id: string }> = [];
  node.events.subscribe(sessionId, (event) => seen.push(event));
  return seen;
}

export const synced = (client: Client) =>
  retryableAssertion(() => {
    if (!client.provider.synced) throw new Error("not synced yet");
  });

/** A raw WebSocket, for frames the standard client would never send. */
export function rawSocket(
  url: string,
  /** Sent with the upgrade (Bun's WebSocket), e.g. `x-forwarded-for` to be another client. */
  headers?: Record<string, string>,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = headers ? new WebSocket(url, { headers } as never) : new WebSocket(url);
    ws.binaryType = "arraybuffer";
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      ws.addEventListener("close", (event) => done({ code: event.code, reason: event.reason }));
    });
    ws.addEventListener("open", () => resolve({ ws, closed }));
    ws.addEventListener("error", () => reject(new Error("socket error")));
  });
}

/**
 * The ways two nodes of one test process can be linked: sharing an in-process bus, and, when REDIS_URL
 * is set, each with its own Redis connections (as in production).
 */
export function twoNodeBuses(): Array<{ name: string; open(): Promise<[Bus, Bus]> }> {
  const buses: Array<{ name: string; open(): Promise<[Bus, Bus]> }> = [
    {
      name: "in-process bus",
      open: async () => {
        const bus = new LocalBus();
        return [bus, bus];
      },
    },
  ];
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const prefix = `pairpad-test-${crypto.randomUUID()}:`;
    buses.push({
      name: "Redis",
      open: async () => [
        await RedisBus.connect(redisUrl, { prefix }),
        await RedisBus.connect(redisUrl, { prefix }),
      ],
    });
  }
  return buses;
}

/** An awareness message as a client sends one, setting each `[client id, clock, state]`. */
export function awarenessMessage(entries: Array<[number, number, unknown]>): Uint8Array<ArrayBuffer> {
  const update = encodeEntries(entries.map(([id, clock, state]) => [id, clock, JSON.stringify(state)]));
  return new Uint8Array(awarenessFrame(update));
}

/**
 * A session whose shared document holds `code` in `language`, typed by a standard client (added to
 * `clients`, for the caller to destroy), once the room on `node` has it.
 */
export async function sessionWithCode(
  db: Db,
  node: RoomNode,
  clients: Client[],
  code: string,
  language = "python",
): Promise<{ id: string; token: string; editor: Client }> {
  const { id, token } = await createSession(db, { language });
  const editor = connect(node.url, id, { name: "Editor" });
  clients.push(editor);
  await synced(editor);
  editor.text.insert(0, code);
  await retryableAssertion(async () => {
    const live = await node.rooms.directory.readCode(id);
    expect(live.code).toBe(code);
    expect(live.language).toBe(language as never);
  });
  return { id, token, editor };
}

/**
 * What a session's update log holds: the text it rebuilds, the authors named on its rows, and how
 * many rows were kept without an author (refused with one, written again without).
 */
export async function loggedUpdates(db: Db, sessionId: string) {
  const rows = await db
    .select()
    .from(documentUpdates)
    .where(eq(documentUpdates.sessionId, sessionId))
    .orderBy(documentUpdates.id);
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, row.update);
  return {
    text: doc.getText("code").toString(),
    actors: new Set(rows.map((r) => r.actor).filter((a) => a !== null)),
    unattributed: rows.filter((r) => r.actor === null).length,
  };
}
