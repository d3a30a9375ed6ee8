import type { Role } from "@pairpad/api/ports";
import { isTerminalFrame } from "@pairpad/api/terminal/protocol";
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import * as Y from "yjs";
import { errorResponse } from "../errors.ts";
import type { TerminalHub } from "../terminal/hub.ts";
import { admit } from "./admission.ts";
import { AwarenessLimitError } from "./awareness.ts";
import { CloseCode } from "./close-codes.ts";
import type { Cluster } from "./cluster.ts";
import type { RoomConfig } from "./config.ts";
import { Connection } from "./connection.ts";
import type { Fanout } from "./fanout.ts";
import { PeerKind } from "./peer-messages.ts";
import type { Presence } from "./presence.ts";
import { awarenessFrame, decodeClientMessage, syncStep1Frame, syncStep2Frame } from "./protocol.ts";
import type { Room } from "./room.ts";
import { type RoomRegistry, SessionGoneError } from "./room-registry.ts";
import type { RoomServerDeps } from "./room-server.ts";
import type { RoomCounters } from "./stats.ts";
import { RefusedChange, type UpdatePath } from "./update-path.ts";
import { describeWriteError } from "./write-errors.ts";

export interface RoomSocketsOptions {
  deps: Pick<RoomServerDeps, "clock" | "logger" | "isWorkspaceInterviewer" | "rateLimiter">;
  config: RoomConfig;
  counters: RoomCounters;
  registry: RoomRegistry;
  updates: UpdatePath;
  presence: Presence;
  fanout: Fanout;
  cluster: Cluster;
  terminals: TerminalHub;
  /** Resolves once the node listens on the bus. */
  ready(): Promise<void>;
  closing(): boolean;
}

const emptyStateVector = (sv: Uint8Array) => sv.length === 1 && sv[0] === 0;

/**
 * The socket protocol: admission and capacity at upgrade, the sync handshake on open, and each
 * frame decoded, rate-limited and handed to the room's update path; refusals become close codes.
 */
export class RoomSockets {
  private readonly config: RoomConfig;
  private readonly counters: RoomCounters;
  private readonly updates: UpdatePath;

  constructor(private readonly options: RoomSocketsOptions) {
    this.config = options.config;
    this.counters = options.counters;
    this.updates = options.updates;
    // Bun's own limit guards memory: a frame up to twice the configured one is read and refused
    // with a permanent close code, so that the standard client stops resending it (Bun's 1009 is
    // transient to it: it would reconnect and send the same paste again). Larger frames get the
    // 1009 at their header: Bun buffers a frame whole before handing it over, and at 64 MiB per
    // socket one link's 48 sockets held 3 GiB with frames that never finished.
    this.handler.maxPayloadLength = this.config.maxPayloadBytes * 2;
    this.handler.backpressureLimit = this.config.maxBufferedBytes;
  }

  readonly handler: WebSocketHandler<Connection> = {
    // Set from the config in the constructor (field initialisers run before it).
    maxPayloadLength: 0,
    backpressureLimit: 0,
    closeOnBackpressureLimit: true,
    idleTimeout: 120,
    sendPings: true,
    perMessageDeflate: false,
    publishToSelf: false,
    open: (ws) => this.onOpen(ws),
    message: (ws, message) => this.onMessage(ws, message),
    close: (ws) => this.detach(ws.data),
  };

  /** A 429 when the client opened too many sockets this minute (before any lookup is spent on it). */
  private async overConnectRate(clientKey: string): Promise<Response | null> {
    const limiter = this.options.deps.rateLimiter;
    if (!limiter) return null;
    const limit = this.config.connectsPerMinutePerClient;
    // A limiter that cannot count (Redis down) lets the socket in: sockets are how edits get saved.
    const decision = await limiter.hit(`ws:${clientKey}`, limit, 60).catch(() => null);
    if (!decision || decision.allowed) return null;
    return errorResponse(
      429,
      {
        code: "TOO_MANY_REQUESTS",
        message: `Too many connections from this client (at most ${limit} a minute); retry in ${decision.retryAfterSeconds} s`,
      },
      { "retry-after": String(decision.retryAfterSeconds) },
    );
  }

  /** Accepts a WebSocket for a session; unknown sessions are accepted and then closed with 4404. */
  async upgrade(
    req: Request,
    server: Server<Connection>,
    pathId: string,
    clientKey: string,
  ): Promise<Response | undefined> {
    const { deps, registry } = this.options;
    this.options.fanout.server ??= server;
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("This endpoint speaks WebSocket (y-protocols)", { status: 426 });
    }
    if (this.options.closing()) return new Response("Server shutting down", { status: 503 });
    const refused = await this.overConnectRate(clientKey);
    if (refused) return refused;
    let role: Role = "observer";
    let reject: { code: number; reason: string } | null = null;
    let room: Room | null = null;
    /** Known once admitted (the path may hold an observer link, which is not logged). */
    let sessionId: string | undefined;
    try {
      await this.options.ready();
      const admission = await admit(registry.lookup, pathId, new URL(req.url).searchParams, deps.clock());
      if (!admission.ok) {
        reject = admission;
      } else {
        role = admission.role;
        sessionId = admission.session.id;
        // A member of the session's workspace is its interviewer without a token (by the cookie).
        if (role === "candidate" && (await deps.isWorkspaceInterviewer?.(req, admission.session))) {
          role = "interviewer";
        }
        room = await registry.acquire(sessionId);
        const connected =
          room.connections.size +
          room.pendingJoins -
          1 +
          this.options.cluster.remoteParticipants(sessionId).length;
        if (connected >= this.capacityFor(role)) {
          registry.release(room);
          room = null;
          reject = { code: CloseCode.sessionFull, reason: "this session has too many connections" };
        }
      }
    } catch (error) {
      if (error instanceof SessionGoneError) {
        reject = { code: CloseCode.notFound, reason: "session not found or expired" };
      } else {
        deps.logger.error("room failed to load", { sessionId, error: describeWriteError(error) });
        reject = { code: CloseCode.internalError, reason: "the document could not be loaded" };
      }
    }
    const connection = new Connection(
      // The room's copy of the id: one string per room, not one per socket.
      room?.sessionId ?? "",
      role,
      deps.clock(),
      reject,
      room,
      this.config.messageBurst,
      clientKey,
    );
    if (server.upgrade(req, { data: connection })) return undefined;
    if (room) registry.release(room);
    return new Response("WebSocket upgrade failed", { status: 400 });
  }

  /**
   * Connections a session may have when this role joins: the last `interviewerSlots` are kept for
   * the interviewer, so that holders of the candidate link cannot lock the interviewer out.
   */
  private capacityFor(role: Role): number {
    const max = this.config.maxConnectionsPerSession;
    return role === "interviewer" ? max : max - Math.min(this.config.interviewerSlots, max - 1);
  }

  private onOpen(ws: ServerWebSocket<Connection>): void {
    const conn = ws.data;
    conn.ws = ws;
    if (conn.reject) {
      conn.detached = true;
      ws.close(conn.reject.code, conn.reject.reason);
      return;
    }
    const room = conn.room;
    if (!room) return;
    conn.opened = true;
    room.pendingJoins--;
    if (room.status !== "live") {
      conn.detached = true;
      const gone = room.status === "gone";
      ws.close(gone ? CloseCode.gone : CloseCode.goingAway, gone ? "session deleted" : "room unloading");
      return;
    }
    room.connections.add(conn);
    clearTimeout(room.unloadTimer);
    ws.subscribe(room.topic);
    this.send(conn, syncStep1Frame(Y.encodeStateVector(room.doc)));
    const states = room.awareness.encodeAll();
    if (states) this.send(conn, awarenessFrame(states));
    this.options.presence.opened(room, conn);
  }

  /** Each frame: size, rate, decode, then the room's update path with the frame as received. */
  private onMessage(ws: ServerWebSocket<Connection>, message: string | Buffer): void {
    const conn = ws.data;
    const room = conn.room;
    if (!room || conn.detached || room.status === "gone") return;
    this.counters.messagesIn++;
    if (message.length > this.config.maxPayloadBytes) {
      this.counters.framesTooLarge++;
      const mib = (this.config.maxPayloadBytes / 1024 / 1024).toFixed(1);
      this.closeConnection(
        conn,
        CloseCode.frameTooLarge,
        `this change is too large to send (over ${mib} MiB) and was not saved; reload to continue`,
      );
      return;
    }
    if (!conn.take(Date.now(), this.config.messagesPerSecond, this.config.messageBurst)) {
      this.counters.rateLimited++;
      this.options.deps.logger.warn("connection over its message rate, closed", {
        sessionId: room.sessionId,
        connection: conn.id,
      });
      this.closeConnection(conn, CloseCode.rateLimited, "too many messages");
      return;
    }
    try {
      if (typeof message === "string") throw new Error("text frame");
      // The shared terminal's own message type, beside y-protocols (terminal/protocol.ts).
      if (isTerminalFrame(message)) {
        this.options.terminals.onClient(conn, room, message);
        return;
      }
      const decoded = decodeClientMessage(message);
      switch (decoded.kind) {
        case "step1": {
          this.chargeStateRequest(conn);
          const sv = decoded.stateVector;
          this.send(
            conn,
            emptyStateVector(sv)
              ? room.fullStateFrame()
              : syncStep2Frame(Y.encodeStateAsUpdate(room.doc, sv)),
          );
          break;
        }
        case "step2":
          this.updates.receiveStep2(conn, room, decoded.update);
          break;
        case "update":
          this.updates.receiveUpdate(conn, room, decoded.update, message);
          break;
        case "awareness":
          this.updates.receiveAwareness(conn, room, decoded.update, message);
          break;
        case "query-awareness": {
          this.chargeStateRequest(conn);
          const states = room.awareness.encodeAll();
          if (states) this.send(conn, awarenessFrame(states));
          break;
        }
      }
    } catch (error) {
      this.refuse(conn, room, error);
    }
  }

  /** Sync step 1 or an awareness query: answered within the socket's budget (see `Connection`). */
  private chargeStateRequest(conn: Connection): void {
    if (conn.takeStateRequest(Date.now())) return;
    this.counters.rateLimited++;
    throw new RefusedChange(CloseCode.rateLimited, "too many requests for the whole document");
  }

  /** A frame the room would not take: the sender is closed with the code that says why. */
  private refuse(conn: Connection, room: Room, error: unknown): void {
    const { logger } = this.options.deps;
    if (error instanceof RefusedChange) {
      this.closeConnection(conn, error.code, error.message);
      return;
    }
    if (error instanceof AwarenessLimitError) {
      this.counters.awarenessRefused++;
      logger.warn("awareness over its limits, socket closed", {
        sessionId: room.sessionId,
        connection: conn.id,
      });
      this.closeConnection(
        conn,
        CloseCode.awarenessTooLarge,
        "awareness state too large or too many client ids",
      );
      return;
    }
    this.counters.malformedFrames++;
    logger.warn("malformed message, socket closed", {
      sessionId: room.sessionId,
      connection: conn.id,
      error: String(error),
    });
    this.closeConnection(conn, CloseCode.malformed, "malformed message");
  }

  private send(conn: Connection, data: Uint8Array): void {
    const ws = conn.ws;
    if (!ws || conn.detached) return;
    // 0: dropped because the socket is over its backpressure limit.
    if (ws.send(data) === 0) {
      this.counters.slowConsumers++;
      this.closeConnection(conn, CloseCode.slowConsumer, "too slow to keep up");
    }
  }

  closeConnection(conn: Connection, code: number, reason: string): void {
    const ws = conn.ws;
    this.detach(conn);
    ws?.close(code, reason);
  }

  /** A socket left (or is being closed by us): remove its cursors, tell the others, maybe unload. */
  private detach(conn: Connection): void {
    if (conn.detached) return;
    conn.detached = true;
    const { presence, registry, fanout } = this.options;
    presence.forget(conn);
    this.options.terminals.onLeave(conn);
    const room = conn.room;
    if (!room) return;
    if (!conn.opened) {
      registry.release(room);
      return;
    }
    room.connections.delete(conn);
    if (room.status === "gone") return;
    const removal = room.awareness.remove(conn.clientIds, conn);
    if (removal) {
      fanout.toClients(room, awarenessFrame(removal));
      fanout.toNodes(room, PeerKind.awareness, removal);
    }
    presence.left(room, conn);
    registry.scheduleUnload(room);
  }
}
