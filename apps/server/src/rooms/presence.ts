import type { Clock, Participant, Role, SessionEvents } from "@pairpad/api/ports";
import type { Background } from "./background.ts";
import type { Cluster } from "./cluster.ts";
import type { RoomConfig } from "./config.ts";
import type { Connection } from "./connection.ts";
import type { Room } from "./room.ts";
import type { UpdateLog } from "./update-log.ts";

export interface PresenceOptions {
  config: RoomConfig;
  clock: Clock;
  events: SessionEvents;
  cluster: Cluster;
  log: UpdateLog;
  background: Background;
  /** The live rooms of this node (owned by the registry). */
  rooms: ReadonlyMap<string, Room>;
}

/**
 * Who is in a room on this node: a socket's name and colour from its awareness, `user-joined` and
 * `user-left` (events and history), and the participants announced to the other nodes.
 */
export class Presence {
  /** Open sockets whose `user-joined` waits for their awareness name, in the order they opened. */
  private readonly unnamed = new Set<Connection>();
  /** Set while a socket waits for its `user-joined`, for when the first one is due. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: PresenceOptions) {}

  /** A socket opened: it is announced once it gives a name, or by its role after `joinAnnounceMs`. */
  opened(room: Room, conn: Connection): void {
    conn.openedAt = Date.now();
    this.unnamed.add(conn);
    this.timer ??= this.arm(this.options.config.joinAnnounceMs);
    this.announce(room);
  }

  /** The socket's awareness changed: its name or colour may have. */
  updateIdentity(room: Room, conn: Connection): void {
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
    else this.announce(room);
  }

  /** No more announcements by role (shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(delay: number): ReturnType<typeof setTimeout> | undefined {
    if (this.stopped) return undefined;
    return setTimeout(() => this.announceUnnamed(), delay);
  }

  /** Sockets that gave no name within `joinAnnounceMs` are announced by their role. */
  private announceUnnamed(): void {
    this.timer = undefined;
    const { joinAnnounceMs } = this.options.config;
    const due = Date.now() - joinAnnounceMs;
    for (const conn of this.unnamed) {
      if (conn.openedAt > due) {
        // The sockets are in the order they opened: this one is the next due.
        this.timer = this.arm(conn.openedAt - due);
        return;
      }
      if (conn.room) this.announceJoin(conn.room, conn);
      else this.unnamed.delete(conn);
    }
  }

  /** A socket is closed: nothing more is announced for it. */
  forget(conn: Connection): void {
    this.unnamed.delete(conn);
  }

  /** A socket of a live room left: `user-left` if it was announced, and the new participants. */
  left(room: Room, conn: Connection): void {
    if (conn.announced) {
      const p = conn.participant();
      const user = { connectionId: p.connectionId, name: p.name, color: p.color, role: p.role };
      this.record(room, "leave", p.name, p.connectionId, p.role);
      this.options.background.track(
        room.sessionId,
        this.options.events.publish(room.sessionId, { type: "user-left", user }),
      );
    }
    this.announce(room);
  }

  /** The room's participants here, to the other nodes. */
  announce(room: Room): void {
    if (room.status !== "live") return;
    this.options.cluster.announceRoom(
      room.sessionId,
      [...room.connections].map((c) => c.participant()),
    );
  }

  /** Every live room's participants here, for the cluster's heartbeat. */
  local(): Map<string, Participant[]> {
    const all = new Map<string, Participant[]>();
    for (const room of this.options.rooms.values()) {
      if (room.status === "live")
        all.set(
          room.sessionId,
          [...room.connections].map((c) => c.participant()),
        );
    }
    return all;
  }

  private announceJoin(room: Room, conn: Connection): void {
    this.unnamed.delete(conn);
    if (conn.announced || conn.detached) return;
    conn.announced = true;
    this.announce(room);
    const p = conn.participant();
    const user = { connectionId: p.connectionId, name: p.name, color: p.color, role: p.role };
    this.record(room, "join", p.name, p.connectionId, p.role);
    this.options.background.track(
      room.sessionId,
      this.options.events.publish(room.sessionId, { type: "user-joined", user }),
    );
  }

  /**
   * A `join` or `leave` history entry, queued: one insert per flush for all of them instead of a
   * statement per socket (a join storm wrote one row, and one database round trip, per socket).
   */
  private record(room: Room, kind: "join" | "leave", actor: string, connectionId: string, role: Role) {
    this.options.log.addHistory({
      sessionId: room.sessionId,
      kind,
      actor,
      payload: JSON.stringify({ connectionId, role }),
      at: this.options.clock().getTime(),
    });
  }
}
