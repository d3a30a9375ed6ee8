import { randomBytes } from "node:crypto";
import type { Participant, Role } from "@pairpad/api/ports";
import type { ServerWebSocket } from "bun";
import type { Room } from "./room.ts";

/** Shown until the client's awareness names it. */
const defaultColor = "#888888";

/**
 * One client socket of a room. It is the socket's `data`: created at upgrade (with the room
 * already loaded, or with the reason it will be closed), attached to the socket on open.
 */
export class Connection {
  readonly id = randomBytes(9).toString("base64url");
  ws: ServerWebSocket<Connection> | null = null;
  /** The awareness client ids this socket has announced (normally one). */
  readonly clientIds = new Set<number>();
  name: string | null = null;
  color: string | null = null;
  /** Set once `user-joined` went out, so `user-left` pairs with it. */
  announced = false;
  joinTimer: ReturnType<typeof setTimeout> | undefined;
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
