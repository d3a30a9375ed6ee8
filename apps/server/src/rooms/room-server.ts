import { randomBytes } from "node:crypto";
import { type DocumentStore, readDocument, replaceText } from "@pairpad/api/documents/store";
import { languageIds } from "@pairpad/api/execution/executor";
import type { Clock, Logger, Participant, Role, SessionEvents } from "@pairpad/api/ports";
import { documentLanguageChanged, setSessionLanguage } from "@pairpad/api/session/language";
import { findLiveSession, findWatchedSession } from "@pairpad/api/session/sessions";
import { isTerminalFrame } from "@pairpad/api/terminal/protocol";
import type { Db } from "@pairpad/db/client";
import type { SessionRow } from "@pairpad/db/schema";
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import * as Y from "yjs";
import type { Bus } from "../bus/bus.ts";
import { type LiveExecutor, TerminalHub, type TerminalHubOptions } from "../terminal/hub.ts";
import { admit, type SessionLookup } from "./admission.ts";
import { AwarenessLimitError, type AwarenessLimits } from "./awareness.ts";
import { CloseCode } from "./close-codes.ts";
import { Cluster } from "./cluster.ts";
import { type RoomConfig, resolveConfig } from "./config.ts";
import { Connection } from "./connection.ts";
import { type Command, ForwardedCommands } from "./forwarded-commands.ts";
import { applyCapturing, captureUpdate, fromPeer, fromStorage, ServerChange } from "./origins.ts";
import {
  decodePeerMessage,
  encodeDigest,
  encodeRoomMessage,
  encodeSyncReply,
  nodeChannel,
  PeerKind,
  type PeerMessage,
  roomChannel,
} from "./peer-messages.ts";
import {
  awarenessFrame,
  decodeClientMessage,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from "./protocol.ts";
import { Room } from "./room.ts";
import { newCounters, type RoomCounters, type RoomStats } from "./stats.ts";
import { checkUpdate } from "./update-format.ts";
import { UpdateLog } from "./update-log.ts";
import { describeWriteError } from "./write-errors.ts";

export interface RoomServerDeps {
  db: Db;
  documents: DocumentStore;
  bus: Bus;
  events: SessionEvents;
  logger: Logger;
  clock: Clock;
  config?: Partial<RoomConfig>;
  /** Whether the request's cookie (or API key) belongs to the session's workspace: an interviewer without a token. */
  isWorkspaceInterviewer?: (req: Request, session: SessionRow) => Promise<boolean>;
  /** Runs live programs for the shared terminal; without it a start is refused (watching still works). */
  liveExecutor?: LiveExecutor;
  terminal?: Pick<TerminalHubOptions, "scrollbackBytes" | "maxLiveRuns" | "coalesceMs">;
}

const validLanguage = (value: unknown): value is (typeof languageIds)[number] =>
  typeof value === "string" && (languageIds as readonly string[]).includes(value);

const emptyStateVector = (sv: Uint8Array) => sv.length === 1 && sv[0] === 0;

/** The session went away between the socket's check and the room's load. */
class SessionGoneError extends Error {}

/**
 * The live rooms of this node. Incoming updates are applied to the room's Y.Doc, relayed to the
 * room's other sockets through one Bun topic (the frame as received: encoded once, fanned out in
 * native code), published on the bus for other nodes, and queued for the update log.
 */

export class RoomServer {
  readonly nodeId: string;
  readonly config: RoomConfig;
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** Session reads in flight, shared by the sockets that arrive while one is running. */
  private readonly lookups = new Map<string, Promise<SessionRow | null>>();
  private readonly cluster: Cluster;
  private readonly background = new Set<Promise<unknown>>();
  /** Open sockets whose `user-joined` waits for their awareness name, in the order they opened. */
  private readonly unnamed = new Set<Connection>();
  private server: Server<Connection> | null = null;
  private readonly started: Promise<void>;
  private unsubscribeNode: (() => Promise<void>) | null = null;
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private catchUpTimer: ReturnType<typeof setInterval> | undefined;
  private closing = false;
  readonly counters: RoomCounters = newCounters();
  private readonly log: UpdateLog;
  private readonly commands: ForwardedCommands;
  /** The shared terminals of this node's sessions (see terminal/hub.ts). */
  readonly terminals: TerminalHub;

  private readonly awarenessLimits: AwarenessLimits;

  constructor(private readonly deps: RoomServerDeps) {
    this.config = resolveConfig(deps.config);
    this.awarenessLimits = {
      maxClients: this.config.maxAwarenessClients,
      maxBytes: this.config.maxAwarenessBytes,
    };
    // Bun's own limit only guards memory: a frame past the configured one is read and refused with
    // a permanent close code, so that the standard client stops resending it (Bun's 1009 is
    // transient to it: it would reconnect and send the same paste again, forever).
    this.websocket.maxPayloadLength = Math.max(this.config.maxPayloadBytes * 16, 64 * 1024 * 1024);
    this.websocket.backpressureLimit = this.config.maxBufferedBytes;
    // Several room servers may share one in-process bus (tests): each is its own node.
    this.nodeId = `${deps.bus.nodeId}.${randomBytes(3).toString("hex")}`;
    this.log = new UpdateLog({
      deps,
      config: this.config,
      counters: this.counters,
      mergeStored: (room, state) => this.applyFrom(room, state, fromStorage),
    });
    this.commands = new ForwardedCommands({
      nodeId: this.nodeId,
      timeoutMs: this.config.commandTimeoutMs,
      logger: deps.logger,
      nodesWith: (sessionId) => this.cluster.nodesWith(sessionId),
      publish: (channel, data) => this.publishPeer(channel, data),
      closing: () => this.closing,
      runHere: (sessionId, command) => {
        const room = this.rooms.get(sessionId);
        return room?.status === "live" ? { result: this.runLocal(room, command) } : undefined;
      },
    });
    this.cluster = new Cluster({
      bus: deps.bus,
      nodeId: this.nodeId,
      heartbeatMs: this.config.presenceHeartbeatMs,
      logger: deps.logger,
      local: () => this.localPresence(),
      onClose: (sessionId, reason) => this.disconnectSession(sessionId, reason),
      onNodeGone: (node) => {
        for (const room of this.rooms.values()) room.awareness.forgetNode(node);
      },
      onRoomSeen: (sessionId) => {
        const room = this.rooms.get(sessionId);
        if (room?.status === "live") this.publishDigest(room, false);
      },
    });
    this.terminals = new TerminalHub({
      nodeId: this.nodeId,
      bus: deps.bus,
      db: deps.db,
      logger: deps.logger,
      clock: deps.clock,
      executor: deps.liveExecutor ?? null,
      publishLocal: (topic, frame) => {
        this.server?.publish(topic, frame);
      },
      participants: (sessionId) => this.participants(sessionId),
      ...deps.terminal,
    });
    this.started = this.start();
    this.started.catch((error) =>
      deps.logger.error("room server could not join the bus", { error: String(error) }),
    );
  }

  private async start(): Promise<void> {
    this.unsubscribeNode = await this.deps.bus.subscribe(nodeChannel(this.nodeId), (data) =>
      this.onNodeMessage(data),
    );
    await this.cluster.start();
    this.deps.bus.onReconnect(() => {
      if (this.closing) return;
      this.deps.logger.info("bus reconnected; catching up with the other nodes");
      this.cluster.reannounce();
      this.catchUpShared();
    });
    this.catchUpTimer = setInterval(() => this.catchUpShared(), this.config.catchUpIntervalMs);
    this.flushTimer = setInterval(() => {
      this.announceUnnamed();
      this.log.flushLive(this.rooms);
    }, this.config.flushIntervalMs);
    this.sweepTimer = setInterval(() => {
      const stale = Date.now() - this.config.presenceHeartbeatMs * 6;
      for (const room of this.rooms.values()) room.awareness.forgetStale(stale);
    }, this.config.presenceHeartbeatMs);
  }

  /** Resolves once this node listens on the bus. */
  ready(): Promise<void> {
    return this.started;
  }

  // ------------------------------------------------------------------ sockets

  /** Accepts a WebSocket for a session; unknown sessions are accepted and then closed with 4404. */
  async upgrade(req: Request, server: Server<Connection>, pathId: string): Promise<Response | undefined> {
    this.server ??= server;
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("This endpoint speaks WebSocket (y-protocols)", { status: 426 });
    }
    if (this.closing) return new Response("Server shutting down", { status: 503 });
    let role: Role = "observer";
    let reject: { code: number; reason: string } | null = null;
    let room: Room | null = null;
    try {
      await this.started;
      const admission = await admit(this.lookup, pathId, new URL(req.url).searchParams, this.deps.clock());
      if (!admission.ok) {
        reject = admission;
      } else {
        role = admission.role;
        const sessionId = admission.session.id;
        // A member of the session's workspace is its interviewer without a token (by the cookie).
        if (role === "candidate" && (await this.deps.isWorkspaceInterviewer?.(req, admission.session))) {
          role = "interviewer";
        }
        room = await this.acquire(sessionId);
        const connected =
          room.connections.size + room.pendingJoins - 1 + this.cluster.remoteParticipants(sessionId).length;
        if (connected >= this.capacityFor(role)) {
          this.release(room);
          room = null;
          reject = { code: CloseCode.sessionFull, reason: "this session has too many connections" };
        }
      }
    } catch (error) {
      if (error instanceof SessionGoneError) {
        reject = { code: CloseCode.notFound, reason: "session not found or expired" };
      } else {
        this.deps.logger.error("room failed to load", { error: describeWriteError(error) });
        reject = { code: CloseCode.internalError, reason: "the document could not be loaded" };
      }
    }
    const connection = new Connection(
      // The room's copy of the id: one string per room, not one per socket.
      room?.sessionId ?? "",
      role,
      this.deps.clock(),
      reject,
      room,
      this.config.messageBurst,
    );
    if (server.upgrade(req, { data: connection })) return undefined;
    if (room) this.release(room);
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

  /**
   * The session a socket asks for. Sockets arriving together (a join storm) share one database
   * read instead of queueing one each; nothing is cached beyond that read.
   */
  private readonly lookup: SessionLookup = {
    byId: (id) => this.shared(id, () => findLiveSession(this.deps, id)),
    byObserverId: (id) => this.shared(id, () => findWatchedSession(this.deps, id)),
  };

  private shared(key: string, read: () => Promise<SessionRow | null>): Promise<SessionRow | null> {
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = read().finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  readonly websocket: WebSocketHandler<Connection> = {
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
    conn.openedAt = Date.now();
    this.unnamed.add(conn);
    this.announcePresence(room);
  }

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
      this.deps.logger.warn("connection over its message rate, closed", {
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
        this.terminals.onClient(conn, room, message);
        return;
      }
      const decoded = decodeClientMessage(message);
      switch (decoded.kind) {
        case "step1": {
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
          this.receiveStep2(conn, room, decoded.update);
          break;
        case "update":
          this.receiveUpdate(conn, room, decoded.update, message);
          break;
        case "awareness":
          this.receiveAwareness(conn, room, decoded.update, message);
          break;
        case "query-awareness": {
          const states = room.awareness.encodeAll();
          if (states) this.send(conn, awarenessFrame(states));
          break;
        }
      }
    } catch (error) {
      if (error instanceof AwarenessLimitError) {
        this.counters.awarenessRefused++;
        this.deps.logger.warn("awareness over its limits, socket closed", {
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
      this.deps.logger.warn("malformed message, socket closed", {
        sessionId: room.sessionId,
        connection: conn.id,
        error: String(error),
      });
      this.closeConnection(conn, CloseCode.malformed, "malformed message");
    }
  }

  /** The hot path: apply, relay the frame as received, publish to the other nodes, queue for the log. */
  private receiveUpdate(conn: Connection, room: Room, update: Uint8Array, frame: Uint8Array | null): void {
    if (conn.role === "observer" || room.locked) {
      this.counters.updatesIgnored++;
      return;
    }
    // Read whole before applying: Yjs integrates an update's structs before it reads its delete
    // set, so a broken one would be half in the document when it throws (and then refused).
    checkUpdate(update);
    if (room.approxBytes + update.length > this.config.maxDocumentBytes) {
      // The running figure only grows; measure exactly before refusing.
      room.approxBytes = Y.encodeStateAsUpdate(room.doc).length;
      if (room.approxBytes + update.length > this.config.maxDocumentBytes) {
        this.counters.updatesRefused++;
        this.deps.logger.warn("update refused: document size cap", {
          sessionId: room.sessionId,
          bytes: room.approxBytes,
          update: update.length,
        });
        // The sender already shows the change; left connected it would silently diverge from
        // everyone else. Closing tells it why, and the others carry on.
        this.closeConnection(
          conn,
          CloseCode.documentTooLarge,
          "the document size limit was reached: your last change was not saved",
        );
        return;
      }
    }
    this.applyClientUpdate(room, conn, update);
    this.accepted(conn, room, update, frame);
  }

  /**
   * Applies a checked update. Should Yjs still throw half-way (a case `checkUpdate` misses), what
   * it did apply goes out as the server's own change, so that the editors, the log and the replay
   * hold what the document holds; the error then closes the sender.
   */
  private applyClientUpdate(room: Room, conn: Connection, update: Uint8Array): void {
    try {
      Y.applyUpdate(room.doc, update, conn);
    } catch (error) {
      this.deps.logger.error("a checked update failed to apply; the room is resynchronised", {
        sessionId: room.sessionId,
        connection: conn.id,
      });
      const state = Y.encodeStateAsUpdate(room.doc);
      room.changed(0);
      room.approxBytes = state.length;
      this.server?.publish(room.topic, updateFrame(state));
      this.publishRoom(room, PeerKind.update, state);
      this.log.queue(room, { sessionId: room.sessionId, update: state, actor: null, at: this.deps.clock() });
      throw error;
    }
  }

  private accepted(conn: Connection, room: Room, update: Uint8Array, frame: Uint8Array | null): void {
    this.counters.updatesIn++;
    room.changed(update.length);
    conn.ws?.publish(room.topic, frame ?? updateFrame(update));
    this.publishRoom(room, PeerKind.update, update);
    const at = this.deps.clock();
    this.log.queue(room, {
      sessionId: room.sessionId,
      // A copy: the socket's receive buffer is not ours to keep.
      update: update.slice(),
      actor: conn.actor,
      at,
      connectionId: conn.id,
      role: conn.role,
    });
    const tally = room.edits.get(conn.actor);
    if (tally) {
      tally.updates++;
      tally.to = at;
    } else {
      if (room.edits.size === 0) room.editWindowStart = at.getTime();
      room.edits.set(conn.actor, { updates: 1, from: at, to: at });
    }
  }

  /**
   * A client's answer to our sync step 1: mostly nothing new (a reconnect), so only what actually
   * changed the document is relayed and logged.
   */
  private receiveStep2(conn: Connection, room: Room, update: Uint8Array): void {
    if (conn.role === "observer" || room.locked) {
      this.counters.updatesIgnored++;
      return;
    }
    if (room.approxBytes + update.length > this.config.maxDocumentBytes) {
      this.receiveUpdate(conn, room, update, null);
      return;
    }
    checkUpdate(update);
    const news = captureUpdate(room.doc, conn, () => this.applyClientUpdate(room, conn, update));
    if (news) this.accepted(conn, room, news, null);
  }

  private receiveAwareness(conn: Connection, room: Room, update: Uint8Array, frame: Uint8Array): void {
    this.counters.awarenessIn++;
    const applied = room.awareness.apply(update, conn, Date.now(), {
      limits: this.awarenessLimits,
      role: conn.role,
    });
    for (const id of applied.set) conn.clientIds.add(id);
    if (applied.update) {
      // Echoed to the sender too: a lone y-websocket client reconnects after 30 s of silence.
      this.server?.publish(room.topic, applied.update === update ? frame : awarenessFrame(applied.update));
      this.publishRoom(room, PeerKind.awareness, applied.update);
    }
    if (applied.set.length > 0) this.updateIdentity(room, conn);
  }

  private updateIdentity(room: Room, conn: Connection): void {
    let name: string | null = null;
    let color: string | null = null;
    for (const id of conn.clientIds) {
      const user = room.awareness.user(id, conn);
      if (user) {
        name = user.name ?? null;
        color = user.color ?? null;
        break;
      }
    }
    if (name === conn.name && color === conn.color) return;
    conn.name = name;
    conn.color = color;
    if (!conn.announced && name !== null) this.announceJoin(room, conn);
    else this.announcePresence(room);
  }

  private announceJoin(room: Room, conn: Connection): void {
    this.unnamed.delete(conn);
    if (conn.announced || conn.detached) return;
    conn.announced = true;
    this.announcePresence(room);
    const p = conn.participant();
    const user = { connectionId: p.connectionId, name: p.name, color: p.color, role: p.role };
    this.recordPresence(room, "join", p.name, p.connectionId, p.role);
    this.track(this.deps.events.publish(room.sessionId, { type: "user-joined", user }));
  }

  /** Sockets that gave no name within `joinAnnounceMs` are announced by their role. */
  private announceUnnamed(): void {
    const due = Date.now() - this.config.joinAnnounceMs;
    for (const conn of this.unnamed) {
      if (conn.openedAt > due) break;
      if (conn.room) this.announceJoin(conn.room, conn);
      else this.unnamed.delete(conn);
    }
  }

  /**
   * A `join` or `leave` history entry, queued: one insert per flush for all of them instead of a
   * statement per socket (a join storm wrote one row, and one database round trip, per socket).
   */
  private recordPresence(
    room: Room,
    kind: "join" | "leave",
    actor: string,
    connectionId: string,
    role: Role,
  ) {
    this.log.addHistory({
      sessionId: room.sessionId,
      kind,
      actor,
      payload: JSON.stringify({ connectionId, role }),
      at: this.deps.clock().getTime(),
    });
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

  private closeConnection(conn: Connection, code: number, reason: string): void {
    const ws = conn.ws;
    this.detach(conn);
    ws?.close(code, reason);
  }

  /** A socket left (or is being closed by us): remove its cursors, tell the others, maybe unload. */
  private detach(conn: Connection): void {
    if (conn.detached) return;
    conn.detached = true;
    this.unnamed.delete(conn);
    this.terminals.onLeave(conn);
    const room = conn.room;
    if (!room) return;
    if (!conn.opened) {
      room.pendingJoins--;
      this.scheduleUnload(room);
      return;
    }
    room.connections.delete(conn);
    if (room.status === "gone") return;
    const removal = room.awareness.remove(conn.clientIds, conn);
    if (removal) {
      this.server?.publish(room.topic, awarenessFrame(removal));
      this.publishRoom(room, PeerKind.awareness, removal);
    }
    if (conn.announced) {
      const p = conn.participant();
      const user = { connectionId: p.connectionId, name: p.name, color: p.color, role: p.role };
      this.recordPresence(room, "leave", p.name, p.connectionId, p.role);
      this.track(this.deps.events.publish(room.sessionId, { type: "user-left", user }));
    }
    this.announcePresence(room);
    this.scheduleUnload(room);
  }

  // ------------------------------------------------------------------ room lifecycle

  /** The live room of a session, loading it once however many joins arrive together. */
  private async acquire(id: string): Promise<Room> {
    for (;;) {
      const unloading = this.unloading.get(id);
      if (unloading) {
        await unloading;
        continue;
      }
      const live = this.rooms.get(id);
      if (live && live.status === "live") {
        live.pendingJoins++;
        clearTimeout(live.unloadTimer);
        return live;
      }
      let load = this.loading.get(id);
      if (!load) {
        load = this.load(id).finally(() => this.loading.delete(id));
        this.loading.set(id, load);
      }
      await load;
    }
  }

  private release(room: Room): void {
    room.pendingJoins--;
    this.scheduleUnload(room);
  }

  private async load(sessionId: string): Promise<Room> {
    // Read here, not taken from the join: the row that let the socket in may be a cached one.
    const session = await findLiveSession(this.deps, sessionId);
    if (!session) throw new SessionGoneError();
    const room = new Room(session.id);
    this.observeMeta(room);
    // Subscribe before reading the database so nothing published meanwhile is missed.
    room.unsubscribe = await this.subscribeRoom(room);
    try {
      const stored = await this.deps.documents.load(room.sessionId);
      Y.applyUpdate(room.doc, stored.state, fromStorage);
      room.approxBytes = stored.state.length;
    } catch (error) {
      // Nothing of this room survives: an empty document never replaces the stored one.
      await room.unsubscribe().catch(() => {});
      room.doc.destroy();
      throw error;
    }
    room.status = "live";
    room.lastCompactAt = Date.now();
    this.rooms.set(room.sessionId, room);
    const early = room.early ?? [];
    room.early = null;
    for (const data of early) this.onRoomMessage(room, data);
    this.reconcile(room, session);
    // Catch up with nodes that have the room loaded already.
    this.publishPeer(
      roomChannel(room.sessionId),
      encodeRoomMessage(PeerKind.syncRequest, this.nodeId, Y.encodeStateVector(room.doc)),
    );
    this.announcePresence(room);
    return room;
  }

  /**
   * The room's bus handler, made outside `load`: a closure made in an async function keeps all of
   * that function's locals alive (here the session row and the stored state) as long as it lives.
   */
  private subscribeRoom(room: Room): Promise<() => Promise<void>> {
    return this.deps.bus.subscribe(roomChannel(room.sessionId), (data) => this.onRoomMessage(room, data));
  }

  /** `sessions.language`/`status` and `meta.language`/`locked` agree after a load. */
  private reconcile(room: Room, session: SessionRow): void {
    const meta = room.meta;
    const language = meta.get("language");
    const locked = session.status === "ended";
    room.locked = locked;
    room.language = validLanguage(language) ? language : session.language;
    const fixes: Record<string, unknown> = {};
    if (!validLanguage(language)) fixes.language = session.language;
    if ((meta.get("locked") === true) !== locked) fixes.locked = locked;
    if (Object.keys(fixes).length > 0) {
      this.changeRoom(room, new ServerChange(null, false), () => {
        for (const [key, value] of Object.entries(fixes)) meta.set(key, value);
      });
    }
    if (validLanguage(language) && language !== session.language) {
      this.track(setSessionLanguage(this.deps, room.sessionId, language));
    }
  }

  private observeMeta(room: Room): void {
    room.meta.observe((event) => {
      const origin = event.transaction.origin;
      const byClient = origin instanceof Connection;
      if (event.keysChanged.has("locked")) {
        if (byClient) {
          // Only the server locks and unlocks a session.
          queueMicrotask(() => this.setMetaLocal(room, { locked: room.locked }, null, false));
        } else {
          room.locked = room.meta.get("locked") === true;
          // The interview ended: its live run (if it runs here) stops with it.
          if (room.locked) this.terminals.endSession(room.sessionId);
        }
      }
      if (event.keysChanged.has("language")) {
        const language = room.meta.get("language");
        const previous = room.language;
        if (!validLanguage(language)) {
          if (byClient && previous)
            queueMicrotask(() => this.setMetaLocal(room, { language: previous }, null, false));
          return;
        }
        room.language = language;
        const sideEffects = byClient || (origin instanceof ServerChange && origin.sideEffects);
        if (sideEffects && language !== previous) {
          const actor = byClient ? origin.actor : (origin as ServerChange).actor;
          this.track(documentLanguageChanged(this.deps, room.sessionId, { language, previous, actor }));
        }
      }
    });
  }

  private scheduleUnload(room: Room): void {
    if (this.closing || room.status !== "live" || room.connections.size > 0 || room.pendingJoins > 0) return;
    clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => {
      if (room.connections.size === 0 && room.pendingJoins === 0 && room.status === "live") {
        void this.unload(room);
      }
    }, this.config.unloadGraceMs);
  }

  /** Flushes and compacts, then forgets the room. If the database fails, the room stays loaded. */
  private unload(room: Room): Promise<void> {
    const existing = this.unloading.get(room.sessionId);
    if (existing) return existing;
    room.status = "unloading";
    clearTimeout(room.unloadTimer);
    const done = this.log
      .saveRoom(room)
      .then(async () => {
        this.rooms.delete(room.sessionId);
        room.status = "gone";
        await room.unsubscribe?.().catch(() => {});
        this.cluster.announceRoom(room.sessionId, null);
        room.doc.destroy();
      })
      .catch((error) => {
        this.deps.logger.error("room could not be saved on unload; kept loaded", {
          sessionId: room.sessionId,
          error: describeWriteError(error),
        });
        room.status = "live";
        if (!this.closing) this.scheduleUnload(room);
      })
      .finally(() => this.unloading.delete(room.sessionId));
    this.unloading.set(room.sessionId, done);
    return done;
  }

  /** The session was deleted or expired: close its sockets everywhere; its data is gone. */
  private disconnectSession(sessionId: string, reason: "deleted" | "expired"): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    room.status = "gone";
    this.terminals.endSession(sessionId);
    clearTimeout(room.unloadTimer);
    room.pending = [];
    room.edits.clear();
    this.log.forgetSession(sessionId);
    this.rooms.delete(sessionId);
    for (const conn of [...room.connections]) {
      const ws = conn.ws;
      conn.detached = true;
      this.unnamed.delete(conn);
      ws?.close(CloseCode.gone, `session ${reason}`);
    }
    room.connections.clear();
    void room.unsubscribe?.().catch(() => {});
    this.cluster.announceRoom(sessionId, null);
    room.doc.destroy();
  }

  // ------------------------------------------------------------------ persistence

  // ------------------------------------------------------------------ changes made by the server

  /** Applies a change as one transaction and sends it everywhere an incoming update goes. */
  private changeRoom(room: Room, origin: ServerChange, edit: (doc: Y.Doc) => void): void {
    const bytes = captureUpdate(room.doc, origin, () => room.doc.transact(() => edit(room.doc), origin));
    if (!bytes) return;
    room.changed(bytes.length);
    this.server?.publish(room.topic, updateFrame(bytes));
    this.publishRoom(room, PeerKind.update, bytes);
    this.log.queue(room, {
      sessionId: room.sessionId,
      update: bytes,
      actor: origin.actor,
      at: this.deps.clock(),
    });
  }

  /** Applies state from storage or a peer; whatever was new to this node goes to its clients. */
  private applyFrom(room: Room, update: Uint8Array, origin: typeof fromPeer | typeof fromStorage): void {
    const bytes = applyCapturing(room.doc, update, origin);
    if (!bytes) return;
    room.changed(bytes.length);
    this.server?.publish(room.topic, updateFrame(bytes));
  }

  private setMetaLocal(
    room: Room,
    values: Record<string, unknown>,
    actor: string | null,
    sideEffects: boolean,
  ): void {
    if (room.status !== "live") return;
    this.changeRoom(room, new ServerChange(actor, sideEffects), () => {
      for (const [key, value] of Object.entries(values))
        if (room.meta.get(key) !== value) room.meta.set(key, value);
    });
  }

  private runLocal(room: Room, command: Command): unknown {
    switch (command.op) {
      case "read":
        return readDocument(room.doc);
      case "replace":
        this.changeRoom(room, new ServerChange(command.actor, true), () =>
          replaceText(room.text, command.code),
        );
        return null;
      case "meta":
        this.setMetaLocal(room, command.values, command.actor, true);
        return null;
    }
  }

  /** Runs a directory call where the room is loaded: here, on another node, or on the stored document. */
  async run(sessionId: string, command: Command, stored: () => Promise<unknown>): Promise<unknown> {
    await this.started;
    const room = await this.liveRoom(sessionId);
    if (room) return this.runLocal(room, command);
    return this.commands.forward(sessionId, command, stored);
  }

  private async liveRoom(sessionId: string): Promise<Room | null> {
    const loading = this.loading.get(sessionId);
    if (loading) await loading.catch(() => null);
    const unloading = this.unloading.get(sessionId);
    if (unloading) await unloading;
    const room = this.rooms.get(sessionId);
    return room && room.status === "live" ? room : null;
  }

  /** Changes the stored document of a session no node has loaded; nodes loading it meanwhile get it over the bus. */
  async changeStored(sessionId: string, actor: string | null, edit: (doc: Y.Doc) => void): Promise<Y.Doc> {
    const { state } = await this.deps.documents.load(sessionId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const update = captureUpdate(doc, null, () => doc.transact(() => edit(doc)));
    if (update) {
      await this.deps.documents.append([{ sessionId, update, actor, at: this.deps.clock() }]);
      this.publishPeer(roomChannel(sessionId), encodeRoomMessage(PeerKind.update, this.nodeId, update));
    }
    return doc;
  }

  readStored(sessionId: string) {
    return this.deps.documents.readCode(sessionId);
  }

  /** Language changes made on the stored document have the same effects as live ones. */
  async storedLanguageChanged(
    sessionId: string,
    language: string,
    previous: string | null,
    actor: string | null,
  ) {
    if (language !== previous)
      await documentLanguageChanged(this.deps, sessionId, { language, previous, actor });
  }

  participants(sessionId: string): Participant[] {
    const room = this.rooms.get(sessionId);
    const local = room?.status === "live" ? [...room.connections].map((c) => c.participant()) : [];
    return [...local, ...this.cluster.remoteParticipants(sessionId)].sort(
      (a, b) => a.since.getTime() - b.since.getTime(),
    );
  }

  async closeSession(sessionId: string, reason: "deleted" | "expired"): Promise<void> {
    await this.started;
    this.disconnectSession(sessionId, reason);
    await this.cluster.closeSession(sessionId, reason);
  }

  // ------------------------------------------------------------------ other nodes

  /**
   * Relays a room's update or awareness to the other nodes. A node that knows of no other node
   * skips it: a node that starts says hello first, and a room it loads later catches up through
   * the sync request anyway.
   */
  private publishRoom(
    room: Room,
    kind: typeof PeerKind.update | typeof PeerKind.awareness,
    payload: Uint8Array,
  ) {
    if (this.cluster.remoteNodes === 0) return;
    this.publishPeer(roomChannel(room.sessionId), encodeRoomMessage(kind, this.nodeId, payload));
  }

  /**
   * Anti-entropy: a digest of every room another node has loaded too. Cheap when nothing differs
   * (a state vector and a hash each way); a node that differs answers with what is missing.
   */
  private catchUpShared(): void {
    if (this.cluster.remoteNodes === 0) return;
    for (const room of this.rooms.values()) {
      if (room.status === "live" && this.cluster.nodesWith(room.sessionId).length > 0)
        this.publishDigest(room, false);
    }
  }

  private publishDigest(room: Room, answer: boolean): void {
    this.publishPeer(
      roomChannel(room.sessionId),
      encodeDigest(this.nodeId, Y.encodeStateVector(room.doc), room.stateHash(), answer),
    );
  }

  private publishPeer(channel: string, data: Uint8Array): void {
    this.counters.peerMessagesOut++;
    this.deps.bus.publish(channel, data).catch((error) => {
      this.deps.logger.warn("bus publish failed", { channel, error: String(error) });
    });
  }

  private decodePeer(data: Uint8Array): PeerMessage | null {
    try {
      const message = decodePeerMessage(data);
      if (message.origin === this.nodeId) return null;
      this.counters.peerMessagesIn++;
      return message;
    } catch (error) {
      this.deps.logger.warn("unreadable bus message", { error: String(error) });
      return null;
    }
  }

  private onRoomMessage(room: Room, data: Uint8Array): void {
    if (room.early) {
      room.early.push(data);
      return;
    }
    if (room.status !== "live" && room.status !== "unloading") return;
    const message = this.decodePeer(data);
    if (!message) return;
    try {
      if (message.kind === PeerKind.update) {
        Y.applyUpdate(room.doc, message.payload, fromPeer);
        room.changed(message.payload.length);
        this.server?.publish(room.topic, updateFrame(message.payload));
      } else if (message.kind === PeerKind.awareness) {
        const applied = room.awareness.apply(message.payload, message.origin, Date.now());
        if (applied.update) this.server?.publish(room.topic, awarenessFrame(applied.update));
      } else if (message.kind === PeerKind.syncRequest) {
        const update = Y.encodeStateAsUpdate(room.doc, message.payload);
        const reply = encodeSyncReply(
          this.nodeId,
          room.sessionId,
          update,
          room.awareness.encodeAll(),
          Y.encodeStateVector(room.doc),
        );
        this.publishPeer(nodeChannel(message.origin), reply);
      } else if (message.kind === PeerKind.catchUp) {
        this.applyFrom(room, message.payload, fromPeer);
      } else if (message.kind === PeerKind.digest) {
        if (room.status !== "live" || message.hash === room.stateHash()) return;
        // What the sender lacks (the delete set always goes: deletions leave no trace in the
        // state vector), and our digest so that it sends what we lack.
        this.publishPeer(
          roomChannel(room.sessionId),
          encodeRoomMessage(
            PeerKind.catchUp,
            this.nodeId,
            Y.encodeStateAsUpdate(room.doc, message.stateVector),
          ),
        );
        if (!message.answer) this.publishDigest(room, true);
      }
    } catch (error) {
      this.deps.logger.warn("bus message could not be applied", {
        sessionId: room.sessionId,
        error: String(error),
      });
    }
  }

  private onNodeMessage(data: Uint8Array): void {
    const message = this.decodePeer(data);
    if (!message) return;
    if (message.kind === PeerKind.syncReply) {
      const room = this.rooms.get(message.sessionId);
      if (room?.status !== "live") return;
      try {
        this.applyFrom(room, message.update, fromPeer);
        // Two-way: what this node has and the replier lacks (edits made here while it caught up).
        // Other nodes may have it already: a catch-up, so only what is new reaches their clients.
        const back = Y.encodeStateAsUpdate(room.doc, message.stateVector);
        if (back.length > 2) {
          this.publishPeer(
            roomChannel(room.sessionId),
            encodeRoomMessage(PeerKind.catchUp, this.nodeId, back),
          );
        }
        if (message.awareness.length > 0) {
          const applied = room.awareness.apply(message.awareness, message.origin, Date.now());
          if (applied.update) this.server?.publish(room.topic, awarenessFrame(applied.update));
        }
      } catch (error) {
        this.deps.logger.warn("sync reply could not be applied", {
          sessionId: room.sessionId,
          error: String(error),
        });
      }
    } else if (message.kind === PeerKind.command) {
      this.commands.onCommand(message.origin, message.body);
    } else if (message.kind === PeerKind.reply) {
      this.commands.onReply(message.body);
    }
  }

  private localPresence(): Map<string, Participant[]> {
    const all = new Map<string, Participant[]>();
    for (const room of this.rooms.values()) {
      if (room.status === "live")
        all.set(
          room.sessionId,
          [...room.connections].map((c) => c.participant()),
        );
    }
    return all;
  }

  private announcePresence(room: Room): void {
    if (room.status !== "live") return;
    this.cluster.announceRoom(
      room.sessionId,
      [...room.connections].map((c) => c.participant()),
    );
  }

  // ------------------------------------------------------------------ shutdown and metrics

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error) =>
      this.deps.logger.warn("session side effect failed", { error: describeWriteError(error) }),
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** Closes every socket (1001), flushes and compacts every room, leaves the bus. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.started.catch(() => {});
    clearInterval(this.flushTimer);
    clearInterval(this.sweepTimer);
    clearInterval(this.catchUpTimer);
    await Promise.allSettled(this.loading.values());
    for (const room of this.rooms.values()) {
      for (const conn of [...room.connections]) {
        const ws = conn.ws;
        this.detach(conn);
        ws?.close(CloseCode.goingAway, "server shutting down");
      }
    }
    await Promise.all([...this.rooms.values()].map((room) => this.unload(room)));
    await this.log.idle();
    await Promise.allSettled([...this.background]);
    await this.terminals.close();
    this.commands.stop();
    await this.cluster.stop();
    await this.unsubscribeNode?.().catch(() => {});
  }

  stats(): RoomStats {
    let connections = 0;
    let pendingUpdates = 0;
    for (const room of this.rooms.values()) {
      connections += room.connections.size;
      pendingUpdates += room.pending.length;
    }
    return {
      rooms: this.rooms.size,
      connections,
      remoteNodes: this.cluster.remoteNodes,
      pendingUpdates,
      ...this.counters,
    };
  }
}
