import { randomBytes } from "node:crypto";
import { type DocumentStore, readDocument, replaceText } from "@pairpad/api/documents/store";
import type { Clock, Logger, Participant, RateLimiter, SessionEvents } from "@pairpad/api/ports";
import { documentLanguageChanged } from "@pairpad/api/session/language";
import type { Db } from "@pairpad/db/client";
import type { SessionRow } from "@pairpad/db/schema";
import type { Server, WebSocketHandler } from "bun";
import * as Y from "yjs";
import type { Bus } from "../bus/bus.ts";
import { type LiveExecutor, TerminalHub, type TerminalHubOptions } from "../terminal/hub.ts";
import { Background } from "./background.ts";
import { CloseCode } from "./close-codes.ts";
import { Cluster } from "./cluster.ts";
import { ClusterSync } from "./cluster-sync.ts";
import { type RoomConfig, resolveConfig } from "./config.ts";
import type { Connection } from "./connection.ts";
import { Fanout } from "./fanout.ts";
import { type Command, ForwardedCommands } from "./forwarded-commands.ts";
import { RoomMeta } from "./meta.ts";
import { captureUpdate, fromStorage, ServerChange } from "./origins.ts";
import { encodeRoomMessage, PeerKind, roomChannel } from "./peer-messages.ts";
import { Presence } from "./presence.ts";
import type { Room } from "./room.ts";
import { RoomRegistry } from "./room-registry.ts";
import { RoomSockets } from "./sockets.ts";
import { newCounters, type RoomCounters, type RoomStats } from "./stats.ts";
import { UpdateLog } from "./update-log.ts";
import { UpdatePath } from "./update-path.ts";

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
  /** Counts sockets opened per client (`connectsPerMinutePerClient`); without it, none are counted. */
  rateLimiter?: RateLimiter;
  /** Runs live programs for the shared terminal; without it a start is refused (watching still works). */
  liveExecutor?: LiveExecutor;
  terminal?: Pick<
    TerminalHubOptions,
    "scrollbackBytes" | "maxLiveRuns" | "maxLiveRunsPerClient" | "coalesceMs" | "startsPerMinute"
  >;
}

/**
 * The live rooms of this node, put together from their parts. An update's way through them:
 * `sockets.ts` decodes the frame and checks its size and rate; `update-path.ts` checks and applies
 * it to the room's Y.Doc, relays the frame as received through the room's Bun topic, publishes it
 * to the other nodes (`fanout.ts`) and queues it for `update-log.ts`, which writes it off the hot
 * path. `room-registry.ts` loads and unloads rooms, `cluster-sync.ts` applies what other nodes
 * send, `presence.ts` announces who is there. This class wires them, runs their timers, and
 * answers the directory (`directory.ts`).
 */
export class RoomServer {
  readonly nodeId: string;
  readonly config: RoomConfig;
  readonly counters: RoomCounters = newCounters();
  /** The shared terminals of this node's sessions (see terminal/hub.ts). */
  readonly terminals: TerminalHub;
  readonly websocket: WebSocketHandler<Connection>;

  private readonly rooms = new Map<string, Room>();
  private readonly log: UpdateLog;
  private readonly cluster: Cluster;
  private readonly fanout: Fanout;
  private readonly commands: ForwardedCommands;
  private readonly sync: ClusterSync;
  private readonly presence: Presence;
  private readonly registry: RoomRegistry;
  private readonly sockets: RoomSockets;
  private readonly background: Background;
  private readonly started: Promise<void>;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private catchUpTimer: ReturnType<typeof setInterval> | undefined;
  private closing = false;

  constructor(private readonly deps: RoomServerDeps) {
    const config = resolveConfig(deps.config);
    this.config = config;
    const { bus, logger, clock } = deps;
    const counters = this.counters;
    const rooms = this.rooms;
    const closing = () => this.closing;
    // Several room servers may share one in-process bus (tests): each is its own node.
    const nodeId = `${bus.nodeId}.${randomBytes(3).toString("hex")}`;
    this.nodeId = nodeId;
    this.background = new Background(logger);
    this.log = new UpdateLog({
      deps,
      config,
      counters,
      rooms: this.rooms,
      mergeStored: (room, state) => this.fanout.applyFrom(room, state, fromStorage),
      // A room being unloaded is forgotten by its unload; a live one still has sockets to close.
      sessionGone: (sessionId) => {
        if (this.rooms.get(sessionId)?.status === "live")
          this.registry.disconnectSession(sessionId, "deleted");
      },
    });
    this.cluster = new Cluster({
      bus,
      nodeId,
      heartbeatMs: config.presenceHeartbeatMs,
      logger,
      local: () => this.presence.local(),
      onClose: (sessionId, reason) => this.registry.disconnectSession(sessionId, reason),
      onNodeGone: (node) => {
        for (const room of rooms.values()) room.awareness.forgetNode(node);
      },
      onRoomSeen: (sessionId) => this.sync.roomSeen(sessionId),
    });
    const cluster = this.cluster;
    const log = this.log;
    const fanout = new Fanout({ bus, nodeId, logger, clock, counters, cluster, log });
    this.fanout = fanout;
    this.commands = new ForwardedCommands({
      nodeId,
      timeoutMs: config.commandTimeoutMs,
      logger,
      nodesWith: (sessionId) => cluster.nodesWith(sessionId),
      publish: (channel, data) => fanout.toChannel(channel, data),
      closing,
      runHere: (sessionId, command) => {
        const room = rooms.get(sessionId);
        return room?.status === "live" ? { result: this.runLocal(room, command) } : undefined;
      },
    });
    this.sync = new ClusterSync({
      bus,
      nodeId,
      logger,
      counters,
      rooms,
      fanout,
      cluster,
      commands: this.commands,
      closing,
    });
    const background = this.background;
    this.presence = new Presence({ config, clock, events: deps.events, cluster, log, background, rooms });
    this.terminals = new TerminalHub({
      nodeId,
      bus,
      db: deps.db,
      logger,
      clock,
      executor: deps.liveExecutor ?? null,
      publishLocal: (topic, frame) => {
        fanout.server?.publish(topic, frame);
      },
      participants: (sessionId) => this.participants(sessionId),
      ...deps.terminal,
    });
    const presence = this.presence;
    const terminals = this.terminals;
    this.registry = new RoomRegistry({
      deps,
      config,
      rooms,
      log,
      sync: this.sync,
      meta: new RoomMeta({
        deps,
        fanout,
        background,
        onLocked: (sessionId) => terminals.endSession(sessionId),
      }),
      cluster,
      presence,
      terminals,
      closing,
    });
    this.sockets = new RoomSockets({
      deps,
      config,
      counters,
      registry: this.registry,
      updates: new UpdatePath({ config, counters, logger, clock, fanout, log, presence }),
      presence,
      fanout,
      cluster,
      terminals,
      ready: () => this.started,
      closing,
    });
    this.websocket = this.sockets.handler;
    this.started = this.start();
    this.started.catch((error) =>
      logger.error("room server could not join the bus", { error: String(error) }),
    );
  }

  private async start(): Promise<void> {
    await this.sync.start();
    await this.cluster.start();
    this.catchUpTimer = setInterval(() => this.sync.catchUpShared(), this.config.catchUpIntervalMs);
    this.sweepTimer = setInterval(() => this.forgetStaleAwareness(), this.config.presenceHeartbeatMs);
  }

  /** Awareness relayed from other nodes and not renewed: its node may be gone unannounced. */
  private forgetStaleAwareness(): void {
    const stale = Date.now() - this.config.presenceHeartbeatMs * 6;
    for (const room of this.rooms.values()) if (room.awareness.relayed > 0) room.awareness.forgetStale(stale);
  }

  /** Resolves once this node listens on the bus. */
  ready(): Promise<void> {
    return this.started;
  }

  /** Accepts a WebSocket for a session; unknown sessions are accepted and then closed with 4404. */
  upgrade(
    req: Request,
    server: Server<Connection>,
    pathId: string,
    clientKey = "unknown",
  ): Promise<Response | undefined> {
    return this.sockets.upgrade(req, server, pathId, clientKey);
  }

  // ------------------------------------------------------------------ the directory

  /** Runs a directory call where the room is loaded: here, on another node, or on the stored document. */
  async run(sessionId: string, command: Command, stored: () => Promise<unknown>): Promise<unknown> {
    await this.started;
    const room = await this.registry.liveRoom(sessionId);
    if (room) return this.runLocal(room, command);
    return this.commands.forward(sessionId, command, stored);
  }

  private runLocal(room: Room, command: Command): unknown {
    switch (command.op) {
      case "read":
        return readDocument(room.doc);
      case "replace":
        this.fanout.change(room, new ServerChange(command.actor, true), () =>
          replaceText(room.text, command.code),
        );
        return null;
      case "meta":
        this.fanout.setMeta(room, command.values, command.actor, true);
        return null;
    }
  }

  /** Changes the stored document of a session no node has loaded; nodes loading it meanwhile get it over the bus. */
  async changeStored(sessionId: string, actor: string | null, edit: (doc: Y.Doc) => void): Promise<Y.Doc> {
    const { state } = await this.deps.documents.load(sessionId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const update = captureUpdate(doc, null, () => doc.transact(() => edit(doc)));
    if (update) {
      await this.deps.documents.append([{ sessionId, update, actor, at: this.deps.clock() }]);
      this.fanout.toChannel(roomChannel(sessionId), encodeRoomMessage(PeerKind.update, this.nodeId, update));
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
    this.registry.disconnectSession(sessionId, reason);
    await this.cluster.closeSession(sessionId, reason);
  }

  // ------------------------------------------------------------------ shutdown and metrics

  /**
   * Shutdown, in this order: new sockets are refused; the update log is flushed; live terminal runs
   * are stopped (their watchers see why); every socket is closed with 1001 so its client reconnects
   * elsewhere; what arrived meanwhile is flushed and every room compacted; then the bus is left.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.started.catch(() => {});
    this.log.stop();
    this.presence.stop();
    clearInterval(this.sweepTimer);
    clearInterval(this.catchUpTimer);
    await this.registry.loaded();
    await this.log.flushAll();
    await this.terminals.stopRuns();
    for (const room of this.rooms.values()) {
      for (const conn of [...room.connections])
        this.sockets.closeConnection(conn, CloseCode.goingAway, "server shutting down");
    }
    await this.registry.unloadAll();
    await this.log.idle();
    await this.background.settled();
    await this.terminals.close();
    this.commands.stop();
    await this.cluster.stop();
    await this.sync.stop();
  }

  stats(): RoomStats {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.connections.size;
    return {
      rooms: this.rooms.size,
      connections,
      remoteNodes: this.cluster.remoteNodes,
      pendingUpdates: this.log.unwritten(this.rooms.values()),
      ...this.counters,
    };
  }
}
