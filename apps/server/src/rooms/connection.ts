import { randomBytes } from "node:crypto";
import type { Participant, Role } from "@pairpad/api/ports";
import type { ServerWebSocket } from "bun";
import type { Room } from "./room.ts";

/** Shown until the client's awareness names it. */
const defaultColor = "#888888";

/**
 * Requests a socket may make that the server answers with a copy of the room's state (sync step 1,
 * an awareness query, a terminal subscription): the standard client makes one per connection (two
 * with the terminal), and each costs the server up to the whole document to encode and send.
 */
const stateRequestBurst = 5;
const stateRequestsPerSecond = 1 / 5;
/**
 * Keyboard handovers a socket may ask for: each sends the terminal's header to every watcher on every
 * node. A person hands the keyboard over now and then; a loop of them is refused, not relayed.
 */
const handoverBurst = 5;
const handoversPerSecond = 1;

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
  private readonly messages: TokenBucket;
  private readonly stateRequests: TokenBucket;
  private readonly handovers: TokenBucket;

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
    this.messages = new TokenBucket(burst, since.getTime());
    this.stateRequests = new TokenBucket(stateRequestBurst, since.getTime());
    this.handovers = new TokenBucket(handoverBurst, since.getTime());
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

  /** A message, at `perSecond` sustained and `burst` at once. False when it is over the limit. */
  take(now: number, perSecond: number, burst: number): boolean {
    return this.messages.take(now, perSecond, burst);
  }

  /**
   * A request answered with a copy of the room's state. Without this budget one socket could make
   * the server encode the whole document a hundred times a second (the message rate) with frames
   * of three bytes, and stall every room of the node.
   */
  takeStateRequest(now: number): boolean {
    return this.stateRequests.take(now, stateRequestsPerSecond, stateRequestBurst);
  }

  /** A request to hand the terminal's keyboard over. False when it is over the budget. */
  takeHandover(now: number): boolean {
    return this.handovers.take(now, handoversPerSecond, handoverBurst);
  }
}

/** Token bucket: `perSecond` sustained, `burst` at once. */
class TokenBucket {
  private tokens: number;

  constructor(
    burst: number,
    private refilledAt: number,
  ) {
    this.tokens = burst;
  }

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
