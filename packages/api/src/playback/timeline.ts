import { historyKinds } from "@pairpad/db/history-kinds";
import { z } from "zod";

/**
 * A page of a session's timeline, columnar so an hour of keystrokes stays small: update `i` has id
 * `ids[i]`, time `at[i]` (ms since the epoch), author `actors[actor[i]]` (-1: unknown) with the role
 * the server knew for the sending connection `roles[actor[i]]` (null: not recorded), and its bytes
 * at the i-th position of `data` (base64 of the updates, each preceded by its length as a lib0 varUint).
 */
export const timelinePage = z.object({
  sessionId: z.string(),
  createdAt: z.iso.datetime(),
  /** One entry per author and role: two connections with one name but different roles stay apart. */
  actors: z.array(z.string()),
  roles: z.array(z.enum(["interviewer", "candidate", "observer"]).nullable()),
  updates: z.object({
    ids: z.array(z.number()),
    at: z.array(z.number()),
    actor: z.array(z.number()),
    data: z.string(),
  }),
  /** Runs (with output), snapshots, restores, language changes, joins and leaves; first page only. */
  markers: z.array(
    z.object({
      id: z.number(),
      at: z.number(),
      kind: z.enum(historyKinds),
      actor: z.string().nullable(),
      payload: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: z.number().nullable(),
});
export type TimelinePage = z.infer<typeof timelinePage>;
export type Marker = TimelinePage["markers"][number];

export interface TimelineUpdate {
  id: number;
  at: number;
  actor: string | null;
  /** The role the server gave the connection that sent it (null: the server's own, or not recorded). */
  role: "interviewer" | "candidate" | "observer" | null;
  update: Uint8Array;
}

function writeVarUint(out: number[], value: number) {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

export function encodeUpdates(updates: Uint8Array[]): string {
  const header: number[] = [];
  const total = updates.reduce((n, u) => n + u.length + 5, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const update of updates) {
    header.length = 0;
    writeVarUint(header, update.length);
    bytes.set(header, offset);
    offset += header.length;
    bytes.set(update, offset);
    offset += update.length;
  }
  return Buffer.from(bytes.buffer, 0, offset).toString("base64");
}

function base64ToBytes(data: string): Uint8Array {
  if (typeof Buffer !== "undefined") return new Uint8Array(Buffer.from(data, "base64"));
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The updates of a page, in order, with their authors. */
export function decodeTimeline(page: Pick<TimelinePage, "actors" | "roles" | "updates">): TimelineUpdate[] {
  const bytes = base64ToBytes(page.updates.data);
  const out: TimelineUpdate[] = [];
  let offset = 0;
  for (let i = 0; i < page.updates.ids.length; i++) {
    let length = 0;
    let shift = 1;
    for (;;) {
      const byte = bytes[offset++] ?? 0;
      length += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
      shift *= 128;
    }
    const actorIndex = page.updates.actor[i] ?? -1;
    out.push({
      id: page.updates.ids[i] ?? 0,
      at: page.updates.at[i] ?? 0,
      actor: actorIndex >= 0 ? (page.actors[actorIndex] ?? null) : null,
      role: actorIndex >= 0 ? (page.roles[actorIndex] ?? null) : null,
      update: bytes.subarray(offset, offset + length),
    });
    offset += length;
  }
  return out;
}
