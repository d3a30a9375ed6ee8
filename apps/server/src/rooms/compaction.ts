import type { DocumentStore } from "@pairpad/api/documents/store";
import type { Logger } from "@pairpad/api/ports";
import * as Y from "yjs";
import type { RoomConfig } from "./config.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";
import { sessionGone } from "./write-errors.ts";

export interface CompactionOptions {
  documents: DocumentStore;
  config: Pick<RoomConfig, "compactEvery" | "compactIntervalMs">;
  counters: RoomCounters;
  logger: Logger;
  /** The database says this session no longer exists (deleted where this node did not hear of it). */
  sessionGone(sessionId: string): void;
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
   *
   * Edits that arrive while the state is being written are not in it: they stay counted, and the
   * document's size bound keeps their bytes, so the next compaction folds them in (an edit the log
   * refused is nowhere else). A session deleted meanwhile has nothing to fold into: the room is
   * done with, rather than retried at every flush and kept loaded for good.
   */
  async compact(room: Room): Promise<void> {
    const { documents, counters } = this.options;
    const stored = await documents.load(room.sessionId);
    this.options.mergeStored(room, stored.state);
    const state = Y.encodeStateAsUpdate(room.doc);
    const folded = room.updatesSinceCompact;
    const slack = room.approxBytes - state.length;
    try {
      await documents.compact(room.sessionId, state, stored.lastUpdateId);
      counters.compactions++;
    } catch (error) {
      if (!sessionGone(error)) throw error;
      this.options.logger.warn("the session no longer exists; its room is not compacted", {
        sessionId: room.sessionId,
      });
      this.options.sessionGone(room.sessionId);
    }
    room.approxBytes = Math.max(state.length, room.approxBytes - slack);
    room.updatesSinceCompact = Math.max(0, room.updatesSinceCompact - folded);
    room.lastCompactAt = Date.now();
  }
}
