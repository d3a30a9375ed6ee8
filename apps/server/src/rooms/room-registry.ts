import { findLiveSession, findWatchedSession } from "@pairpad/api/session/sessions";
import type { SessionRow } from "@pairpad/db/schema";
import * as Y from "yjs";
import type { TerminalHub } from "../terminal/hub.ts";
import type { SessionLookup } from "./admission.ts";
import { CloseCode } from "./close-codes.ts";
import type { Cluster } from "./cluster.ts";
import type { ClusterSync } from "./cluster-sync.ts";
import type { RoomConfig } from "./config.ts";
import type { RoomMeta } from "./meta.ts";
import { fromStorage } from "./origins.ts";
import type { Presence } from "./presence.ts";
import { Room } from "./room.ts";
import type { RoomServerDeps } from "./room-server.ts";
import type { UpdateLog } from "./update-log.ts";
import { describeWriteError } from "./write-errors.ts";

/** The session went away between the socket's check and the room's load. */
export class SessionGoneError extends Error {}

export interface RoomRegistryOptions {
  deps: Pick<RoomServerDeps, "db" | "documents" | "logger" | "clock">;
  config: RoomConfig;
  /** The live rooms of this node: this registry adds and removes them, the other parts read them. */
  rooms: Map<string, Room>;
  log: UpdateLog;
  sync: ClusterSync;
  meta: RoomMeta;
  cluster: Cluster;
  presence: Presence;
  terminals: TerminalHub;
  /** The server is shutting down: no unload is scheduled, a failed one is not retried. */
  closing(): boolean;
}

/**
 * The rooms this node has loaded: a room is loaded once however many sockets join together, kept
 * while a socket or an accepted upgrade holds it, saved and forgotten a grace period after the last
 * one leaves, and closed everywhere when its session is deleted or expires.
 */
export class RoomRegistry {
  readonly rooms: Map<string, Room>;
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** Session reads in flight, shared by the sockets that arrive while one is running. */
  private readonly lookups = new Map<string, Promise<SessionRow | null>>();

  constructor(private readonly options: RoomRegistryOptions) {
    this.rooms = options.rooms;
  }

  /**
   * The session a socket asks for. Sockets arriving together (a join storm) share one database
   * read instead of queueing one each; nothing is cached beyond that read.
   */
  readonly lookup: SessionLookup = {
    byId: (id) => this.shared(id, () => findLiveSession(this.options.deps, id)),
    byObserverId: (id) => this.shared(id, () => findWatchedSession(this.options.deps, id)),
  };

  private shared(key: string, read: () => Promise<SessionRow | null>): Promise<SessionRow | null> {
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = read().finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  /** The live room of a session, held for a socket about to open; loads it once for a join storm. */
  async acquire(id: string): Promise<Room> {
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

  /** The socket `acquire` held the room for will not open. */
  release(room: Room): void {
    room.pendingJoins--;
    this.scheduleUnload(room);
  }

  /** The session's room if it is loaded here, once any load or unload in flight is over. */
  async liveRoom(sessionId: string): Promise<Room | null> {
    const loading = this.loading.get(sessionId);
    if (loading) await loading.catch(() => null);
    const unloading = this.unloading.get(sessionId);
    if (unloading) await unloading;
    const room = this.rooms.get(sessionId);
    return room && room.status === "live" ? room : null;
  }

  private async load(sessionId: string): Promise<Room> {
    const { deps, sync, meta } = this.options;
    // Read here, not taken from the join: the row that let the socket in may be a cached one.
    const session = await findLiveSession(deps, sessionId);
    if (!session) throw new SessionGoneError();
    const room = new Room(session.id);
    meta.observe(room);
    // Subscribe before reading the database so nothing published meanwhile is missed.
    room.unsubscribe = await sync.subscribe(room);
    try {
      const stored = await deps.documents.load(room.sessionId);
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
    sync.replayEarly(room);
    meta.reconcile(room, session);
    sync.requestSync(room);
    this.options.presence.announce(room);
    return room;
  }

  /** Unloads the room a grace period after its last socket left, unless one joins meanwhile. */
  scheduleUnload(room: Room): void {
    if (
      this.options.closing() ||
      room.status !== "live" ||
      room.connections.size > 0 ||
      room.pendingJoins > 0
    )
      return;
    clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => {
      if (room.connections.size === 0 && room.pendingJoins === 0 && room.status === "live") {
        void this.unload(room);
      }
    }, this.options.config.unloadGraceMs);
  }

  /** Flushes and compacts, then forgets the room. If the database fails, the room stays loaded. */
  unload(room: Room): Promise<void> {
    const existing = this.unloading.get(room.sessionId);
    if (existing) return existing;
    room.status = "unloading";
    clearTimeout(room.unloadTimer);
    const done = this.options.log
      .saveRoom(room)
      .then(async () => {
        this.rooms.delete(room.sessionId);
        room.status = "gone";
        await room.unsubscribe?.().catch(() => {});
        this.options.cluster.announceRoom(room.sessionId, null);
        room.doc.destroy();
      })
      .catch((error) => {
        this.options.deps.logger.error("room could not be saved on unload; kept loaded", {
          sessionId: room.sessionId,
          error: describeWriteError(error),
        });
        room.status = "live";
        if (!this.options.closing()) this.scheduleUnload(room);
      })
      .finally(() => this.unloading.delete(room.sessionId));
    this.unloading.set(room.sessionId, done);
    return done;
  }

  /** Saves and forgets every room (shutdown). */
  async unloadAll(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => this.unload(room)));
  }

  /** Waits for the loads in flight (shutdown closes their sockets too). */
  async loaded(): Promise<void> {
    await Promise.allSettled(this.loading.values());
  }

  /** The session was deleted or expired: close its sockets everywhere; its data is gone. */
  disconnectSession(sessionId: string, reason: "deleted" | "expired"): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    room.status = "gone";
    this.options.terminals.endSession(sessionId);
    clearTimeout(room.unloadTimer);
    room.pending = [];
    room.edits.clear();
    this.options.log.forgetSession(sessionId);
    this.rooms.delete(sessionId);
    for (const conn of [...room.connections]) {
      const ws = conn.ws;
      conn.detached = true;
      this.options.presence.forget(conn);
      ws?.close(CloseCode.gone, `session ${reason}`);
    }
    room.connections.clear();
    void room.unsubscribe?.().catch(() => {});
    this.options.cluster.announceRoom(sessionId, null);
    room.doc.destroy();
  }
}
