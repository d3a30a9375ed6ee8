import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** Who a client says it is, from its awareness `user` field (public contract in DESIGN.md). */
export interface AwarenessUser {
  name?: string;
  color?: string;
}

interface Entry {
  clock: number;
  /** The state as the client encoded it: re-sent to joiners without stringifying again. */
  json: string;
  user: AwarenessUser | null;
  /**
   * The role the server gave whoever set it: the local connection's, or, for a state relayed from
   * another node, the `user.role` that node wrote into it (absent when the state has no user).
   */
  role: string | undefined;
  /** The local connection that sent it, or the id of the node it came from. */
  owner: object | string;
  seenAt: number;
}

const MAX_NAME = 80;
/** Removal clocks remembered per room (the oldest are forgotten first). */
const MAX_REMOVED = 10_000;
/** Control characters (NUL among them: PostgreSQL's text refuses it) and lone surrogates. */
const unprintable = /\p{Cc}|\p{Cs}/gu;
const hexColor = /^#[0-9a-f]{3,8}$/i;

/**
 * A display name fit to store and show: what a client announces ends up in the update log and
 * history as the author, so it is cleaned here, once, for every consumer.
 */
export function cleanName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = Array.from(name.replace(unprintable, "").trim()).slice(0, MAX_NAME).join("").trim();
  return clean || undefined;
}

function userOf(state: unknown): AwarenessUser | null {
  if (typeof state !== "object" || state === null) return null;
  const user = (state as { user?: unknown }).user;
  if (typeof user !== "object" || user === null) return null;
  const { name, color } = user as { name?: unknown; color?: unknown };
  return {
    name: cleanName(name),
    color: typeof color === "string" && hexColor.test(color) ? color : undefined,
  };
}

/** What one connection may hold in a room's awareness. */
export interface AwarenessLimits {
  /** Client ids whose state it sets (a standard client has one). */
  maxClients: number;
  /** Encoded JSON of those states, in UTF-16 code units. */
  maxBytes: number;
}

/** A connection's awareness would pass its limits: nothing of the update was applied. */
export class AwarenessLimitError extends Error {}

/** A local connection's update: checked against its limits, its `user.role` set to the server's. */
export interface LocalSender {
  limits: AwarenessLimits;
  role: string;
}

export interface AppliedAwareness {
  /** Client ids whose state the sender now holds. */
  set: number[];
  /**
   * What to relay: the update itself when every entry was taken as sent, a re-encoded one when
   * some were dropped (stale, or another connection's) or rewritten, null when none was taken.
   */
  update: Uint8Array | null;
}

interface Parsed {
  id: number;
  clock: number;
  json: string;
  state: unknown;
}

/**
 * The awareness states of one room, kept as the clients encoded them. Unlike y-protocols'
 * `Awareness` it has no local state and no timers of its own: the server only relays, remembers
 * what to send to joiners, and removes a connection's states when it goes. Each state belongs to
 * the connection (or node) that set it; another may replace or remove it only with a newer clock,
 * and a local connection only if the state is of its own role: a client that reconnects before its
 * old socket is dropped takes its state back, but a candidate cannot take over (rename, hide) the
 * interviewer's entry by sending a higher clock for the interviewer's client id.
 */
export class AwarenessStates {
  private readonly entries = new Map<number, Entry>();
  /** Per owner: how many states it holds and their size, for the limits. */
  private readonly held = new Map<object | string, { clients: number; bytes: number }>();
  /**
   * Clocks of removed states. Clients echo what they hear, so a state may come back from another
   * client after its owner left; like y-protocols' meta, the clock tells that it is old.
   */
  private readonly removed = new Map<number, number>();

  private relayedStates = 0;

  /** States relayed from other nodes (owned by a node id): the stale sweep looks only at rooms with some. */
  get relayed(): number {
    return this.relayedStates;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Applies an awareness update. Throws if it is malformed, including invalid JSON, so that a bad
   * state never reaches other clients, and `AwarenessLimitError` if a local sender would pass its
   * limits; either way nothing of it is applied.
   */
  apply(update: Uint8Array, owner: object | string, now: number, local?: LocalSender): AppliedAwareness {
    const parsed = parse(update);
    const taken = this.decide(parsed, owner, local);
    let rewritten = false;
    const set: number[] = [];
    for (const entry of taken) {
      const current = this.entries.get(entry.id);
      if (current) this.release(current);
      if (entry.state === null) {
        this.forget(entry.id, entry.clock);
        continue;
      }
      this.removed.delete(entry.id);
      if (local) {
        const json = withRole(entry.state, entry.json, local.role);
        if (json !== entry.json) {
          entry.json = json;
          rewritten = true;
        }
      }
      const added: Entry = {
        clock: entry.clock,
        json: entry.json,
        user: userOf(entry.state),
        role: local ? local.role : roleOf(entry.state),
        owner,
        seenAt: now,
      };
      this.entries.set(entry.id, added);
      this.hold(added);
      set.push(entry.id);
    }
    if (taken.length === 0) return { set, update: null };
    if (!rewritten && taken.length === parsed.length) return { set, update };
    return { set, update: encodeEntries(taken.map((e) => [e.id, e.clock, e.json])) };
  }

  /** The entries of an update that take effect, checked against the sender's limits first. */
  private decide(parsed: Parsed[], owner: object | string, local: LocalSender | undefined): Parsed[] {
    const held = this.held.get(owner);
    const heldBefore = held?.clients ?? 0;
    let clients = heldBefore;
    let bytes = held?.bytes ?? 0;
    const taken: Parsed[] = [];
    const seen = new Set<number>();
    for (const entry of parsed) {
      if (seen.has(entry.id)) throw new Error("a client id twice in one awareness update");
      seen.add(entry.id);
      const current = this.entries.get(entry.id);
      // Another role's state is not this connection's to change, whatever the clock says.
      if (
        current &&
        local &&
        current.owner !== owner &&
        current.role !== undefined &&
        current.role !== local.role
      )
        continue;
      if (entry.state === null) {
        // Another's state only with a newer clock: the standard client echoes a removal it made
        // locally (a peer it stopped hearing) with the same clock.
        if (
          current &&
          (current.owner === owner ? entry.clock >= current.clock : entry.clock > current.clock)
        ) {
          taken.push(entry);
          if (current.owner === owner) {
            clients--;
            bytes -= current.json.length;
          }
        }
        continue;
      }
      // Older, or an echo of someone else's state (the standard client re-sends what it hears).
      if (
        current &&
        (entry.clock < current.clock || (entry.clock === current.clock && current.owner !== owner))
      )
        continue;
      // A removed state coming back with its old clock: an echo from a client that holds a state of
      // its own, or the first state of a client that reconnected (accepted, as y-protocols would
      // not: its clock moves on within 15 s anyway).
      if (!current && heldBefore > 0 && entry.clock <= (this.removed.get(entry.id) ?? -1)) continue;
      taken.push(entry);
      if (current?.owner === owner) bytes -= current.json.length;
      else clients++;
      bytes += entry.json.length;
    }
    const limits = local?.limits;
    if (limits && (clients > limits.maxClients || bytes > limits.maxBytes)) {
      throw new AwarenessLimitError(
        `awareness over its limits (${clients} client ids, ${bytes} bytes; at most ${limits.maxClients} and ${limits.maxBytes})`,
      );
    }
    return taken;
  }

  /** Removes a state (if any) and remembers the clock of its removal. */
  private forget(id: number, clock: number): void {
    this.entries.delete(id);
    this.removed.delete(id);
    this.removed.set(id, clock);
    if (this.removed.size > MAX_REMOVED) {
      const oldest = this.removed.keys().next().value as number;
      this.removed.delete(oldest);
    }
  }

  private hold(entry: Entry): void {
    if (typeof entry.owner === "string") this.relayedStates++;
    const held = this.held.get(entry.owner);
    if (held) {
      held.clients++;
      held.bytes += entry.json.length;
    } else {
      this.held.set(entry.owner, { clients: 1, bytes: entry.json.length });
    }
  }

  private release(entry: Entry): void {
    if (typeof entry.owner === "string") this.relayedStates--;
    const held = this.held.get(entry.owner);
    if (!held) return;
    held.clients--;
    held.bytes -= entry.json.length;
    if (held.clients <= 0) this.held.delete(entry.owner);
  }

  /** The role of whoever holds a client's state (the server's role, see `Entry.role`). */
  roleOf(id: number): string | undefined {
    return this.entries.get(id)?.role;
  }

  /** The user a client announced, if `owner` holds its state. */
  user(id: number, owner: object | string): AwarenessUser | null {
    const entry = this.entries.get(id);
    return entry && entry.owner === owner ? entry.user : null;
  }

  /** An awareness update carrying every known state, for a joining client; null when none. */
  encodeAll(): Uint8Array | null {
    if (this.entries.size === 0) return null;
    return encodeEntries([...this.entries].map(([id, entry]) => [id, entry.clock, entry.json]));
  }

  /** Removes the given clients' states that `owner` holds; returns the update telling everyone, or null. */
  remove(ids: Iterable<number>, owner: object | string): Uint8Array | null {
    const removed: Array<[number, number, string]> = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (!entry || entry.owner !== owner) continue;
      this.release(entry);
      this.forget(id, entry.clock + 1);
      removed.push([id, entry.clock + 1, "null"]);
    }
    return removed.length === 0 ? null : encodeEntries(removed);
  }

  /** Forgets states relayed from other nodes that were not renewed (their node may be gone). */
  forgetStale(olderThan: number): void {
    for (const [id, entry] of this.entries) {
      if (typeof entry.owner === "string" && entry.seenAt < olderThan) {
        this.release(entry);
        this.forget(id, entry.clock);
      }
    }
  }

  /** Forgets every state relayed from one node (it said goodbye). */
  forgetNode(nodeId: string): void {
    for (const [id, entry] of this.entries) {
      if (entry.owner === nodeId) {
        this.release(entry);
        this.forget(id, entry.clock);
      }
    }
  }
}

function parse(update: Uint8Array): Parsed[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const parsed: Parsed[] = [];
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    parsed.push({ id, clock, json, state: JSON.parse(json) });
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the awareness update");
  return parsed;
}

/** An awareness update of `[client id, clock, state JSON]` entries, as y-protocols encodes one. */
export function encodeEntries(entries: Array<[number, number, string]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [id, clock, json] of entries) {
    encoding.writeVarUint(encoder, id);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}

/** The role written into a state's `user` (by the node that took it from its client). */
function roleOf(state: unknown): string | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const role = (state as { user?: { role?: unknown } | null }).user?.role;
  return typeof role === "string" ? role : undefined;
}

/**
 * The state with `user.role` set to the role the server gave the connection: a client cannot
 * show itself to the others as an interviewer. Unchanged (same string) when it already says so.
 */
function withRole(state: unknown, json: string, role: string): string {
  if (typeof state !== "object" || state === null) return json;
  const user = (state as { user?: unknown }).user;
  if (typeof user !== "object" || user === null || (user as { role?: unknown }).role === role) return json;
  return JSON.stringify({ ...state, user: { ...user, role } });
}
