import { randomBytes } from "node:crypto";
import type { Participant, Role } from "@pairpad/api/ports";
import type { ServerWebSocket } from "bun";
import type { Room } from "./room.ts";

/** Shown until the client's awareness names it. */
const defaultColor = "#888888";

/** Connection ids: random per process, then counted (no random bytes drawn per socket). */
const idPrefix = randomBytes(6).toString("base64url");
let idCounter = 0;

/**
 * One client socket of a room. It is the socket's `data`: created at upgrade (with the room
 * already loaded, or with the reason it will be closed), attached to the socket on open.
 */
export class Connection {
  readonly id = `${idPrefix}${(idCounter++).toString(36)}`;
  ws: ServerWebSocket<Connection> | null = null;
  /** The awareness client ids this socket has announced (normally one). */
  readonly clientIds = new Set<number>();
  name: string | null = null;
  color: string | null = null;
  /** Set once `user-joined` went out, so `user-left` pairs with it. */
  announced = false;
  /** `Date.now()` when the socket opened: `user-joined` goes out by `joinAnnounceMs` after it. */
  openedAt = 0;
  opened = false;
  detached = false;
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly sessionId: string,
    readonly role: Role,
    readonly since: Date,
    /** Set when the socket is accepted only to be closed with this code (see close-codes.ts). */
    readonly reject: { code: number; reason: string } | null,
    readonly room: Room | null,
    burst: number,
    /** Who the client is for per-client limits (its address; see client-address.ts). */
    readonly clientKey = "unknown",
  ) {
    this.tokens = burst;
    this.refilledAt = since.getTime();
  }

  /** Who made an edit, for the update log and history: the awareness name, else the role. */
  get actor(): string {
    return this.name ?? this.role;
  }

  participant(): Participant {
    return {
      connectionId: this.id,
      name: this.actor,
      color: this.color ?? defaultColor,
      role: this.role,
      since: this.since,
    };
  }

  /** Token bucket: `perSecond` sustained, `burst` at once. False when the message is over the limit. */
  take(now: number, perSecond: number, burst: number): boolean {
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What `ws.data` holds on a room socket. */
export type SocketData = Connection;
