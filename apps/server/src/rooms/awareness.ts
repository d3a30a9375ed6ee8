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
  /** The local connection that sent it, or the id of the node it came from. */
  owner: object | string;
  seenAt: number;
}

const MAX_NAME = 80;
/** Control characters (NUL among them: PostgreSQL's text refuses it) and lone surrogates. */
const unprintable =
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
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

/**
 * The awareness states of one room, kept as the clients encoded them. Unlike y-protocols'
 * `Awareness` it has no local state and no timers of its own: the server only relays, remembers
 * what to send to joiners, and removes a connection's states when it goes.
 */
export class AwarenessStates {
  private readonly entries = new Map<number, Entry>();

  get size(): number {
    return this.entries.size;
  }

  /**
   * Applies an awareness update (throws if it is malformed, including invalid JSON, so that a
   * bad state never reaches other clients). Returns the client ids whose state is now set.
   */
  apply(update: Uint8Array, owner: object | string, now: number): number[] {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const parsed: Array<{ id: number; clock: number; json: string; state: unknown }> = [];
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      parsed.push({ id, clock, json, state: JSON.parse(json) });
    }
    if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the awareness update");
    const set: number[] = [];
    for (const { id, clock, json, state } of parsed) {
      const current = this.entries.get(id);
      if (state === null) {
        if (current && clock >= current.clock) this.entries.delete(id);
        continue;
      }
      if (current && clock < current.clock) continue;
      this.entries.set(id, { clock, json, user: userOf(state), owner, seenAt: now });
      set.push(id);
    }
    return set;
  }

  user(id: number): AwarenessUser | null {
    return this.entries.get(id)?.user ?? null;
  }

  /** An awareness update carrying every known state, for a joining client; null when none. */
  encodeAll(): Uint8Array | null {
    if (this.entries.size === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, this.entries.size);
    for (const [id, entry] of this.entries) {
      encoding.writeVarUint(encoder, id);
      encoding.writeVarUint(encoder, entry.clock);
      encoding.writeVarString(encoder, entry.json);
    }
    return encoding.toUint8Array(encoder);
  }

  /** Removes the given clients' states; returns the update telling everyone, or null. */
  remove(ids: Iterable<number>): Uint8Array | null {
    const removed: Array<[number, number]> = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      this.entries.delete(id);
      removed.push([id, entry.clock + 1]);
    }
    if (removed.length === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, removed.length);
    for (const [id, clock] of removed) {
      encoding.writeVarUint(encoder, id);
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarString(encoder, "null");
    }
    return encoding.toUint8Array(encoder);
  }

  /** Forgets states relayed from other nodes that were not renewed (their node may be gone). */
  forgetStale(olderThan: number): void {
    for (const [id, entry] of this.entries) {
      if (typeof entry.owner === "string" && entry.seenAt < olderThan) this.entries.delete(id);
    }
  }

  /** Forgets every state relayed from one node (it said goodbye). */
  forgetNode(nodeId: string): void {
    for (const [id, entry] of this.entries) if (entry.owner === nodeId) this.entries.delete(id);
  }
}
