import type { DocumentStore } from "@pairpad/api/documents/store";
import * as Y from "yjs";
import type { RoomConfig } from "./config.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";

export interface CompactionOptions {
  documents: DocumentStore;
  config: Pick<RoomConfig, "compactEvery" | "compactIntervalMs">;
  counters: RoomCounters;
  /**
   * Merges a room's stored state into its live document before compacting (healing anything that
   * reached the database but not this node); what is new goes to the room's clients.
   */
  mergeStored(room: Room, state: Uint8Array): void;
}

/**
 * Compaction: folds a room's update log into one row of `document_states`, so that a load reads
 * one state and the few updates after it instead of every keystroke of the session. Due after
 * `compactEvery` updates, or `compactIntervalMs` after the last compaction if any came since.
 * The log itself is kept (the replay reads it).
 */
export class Compaction {
  constructor(private readonly options: CompactionOptions) {}

  /** Whether the room is due at `now` (ms). */
  isDue(room: Room, now: number): boolean {
    const { compactEvery, compactIntervalMs } = this.options.config;
    return (
      room.updatesSinceCompact >= compactEvery ||
      (room.updatesSinceCompact > 0 && now - room.lastCompactAt >= compactIntervalMs)
    );
  }

  /** When the room comes due by time (ms), or infinity if nothing changed since its last compaction. */
  nextDue(room: Room): number {
    return room.updatesSinceCompact > 0
      ? room.lastCompactAt + this.options.config.compactIntervalMs
      : Number.POSITIVE_INFINITY;
  }

  /**
   * Folds the log into `document_states`. The stored state is merged into the live document first
   * (healing anything that reached the database but not this node), so the state written contains
   * every update up to the `lastUpdateId` it records.
   */
  async compact(room: Room): Promise<void> {
    const { documents, counters } = this.options;
    const stored = await documents.load(room.sessionId);
    this.options.mergeStored(room, stored.state);
    const state = Y.encodeStateAsUpdate(room.doc);
    await documents.compact(room.sessionId, state, stored.lastUpdateId);
    room.approxBytes = state.length;
    room.updatesSinceCompact = 0;
    room.lastCompactAt = Date.now();
    counters.compactions++;
  }
}
