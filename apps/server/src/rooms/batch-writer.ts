import type { DocumentStore, StoredUpdate } from "@pairpad/api/documents/store";
import { appendHistory, type HistoryRow } from "@pairpad/api/history/history";
import type { Clock, Logger } from "@pairpad/api/ports";
import type { Db } from "@pairpad/db/client";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";
import { describeWriteError, isRowRefusal, sessionGone, type WriteFailures } from "./write-errors.ts";

/** History rows held while the database is unreachable; older ones are dropped past it. */
const MAX_PENDING_HISTORY = 20_000;

export interface BatchWriterOptions {
  deps: { db: Db; documents: DocumentStore; logger: Logger; clock: Clock };
  counters: RoomCounters;
  failures: WriteFailures;
  /** The database says this session no longer exists (deleted where this node did not hear of it). */
  sessionGone(sessionId: string): void;
}

/**
 * Writes what is queued — the rooms' updates into `document_updates`, history rows into
 * `history_entries` — one statement per batch. A database that is unreachable keeps every row
 * queued, in order, for the next batch; a row the database refuses whatever happens (bad data, a
 * broken constraint) is isolated: logged once, counted in `rejectedRows`, written without what a
 * client supplied, or left out, so that it never holds up the rows around it.
 *
 * Not reentrant: its caller (`UpdateLog`) runs one write at a time, which keeps a room's updates
 * in order.
 */
export class BatchWriter {
  /** `join`/`leave`/`edit` history rows, written by the next `writeHistory`. */
  private history: HistoryRow[] = [];
  /** Updates taken from the rooms' queues by the write in flight: not written yet either. */
  private writing = 0;

  constructor(private readonly options: BatchWriterOptions) {}

  /** Queues a history row for the next `writeHistory`. */
  addHistory(row: HistoryRow): void {
    this.history.push(row);
  }

  /** History rows are waiting. */
  get hasHistory(): boolean {
    return this.history.length > 0;
  }

  /** The session was deleted: its queued history rows are dropped. */
  forgetSession(sessionId: string): void {
    this.history = this.history.filter((row) => row.sessionId !== sessionId);
  }

  /** Updates queued or being written, not yet in the database (for `pendingUpdates`). */
  unwritten(rooms: Iterable<Room>): number {
    let count = this.writing;
    for (const room of rooms) count += room.pending.length;
    return count;
  }

  // ------------------------------------------------------------------ updates

  /**
   * Appends the rooms' queued updates in one statement. If the database refuses the batch, each
   * room's updates are written on their own, and a room's updates that are refused are written one
   * by one: whatever one row holds, the others are written. When the database is unreachable
   * instead, everything goes back to the front of the rooms' queues, in order, for the next batch.
   */
  async writeUpdates(rooms: Room[]): Promise<void> {
    const taken = rooms
      .filter((r) => r.pending.length > 0)
      .map((room) => ({ room, updates: room.pending.splice(0) }));
    if (taken.length === 0) return;
    const count = taken.reduce((n, t) => n + t.updates.length, 0);
    this.writing += count;
    try {
      await this.writeTaken(taken);
    } finally {
      this.writing -= count;
    }
  }

  private async writeTaken(taken: { room: Room; updates: StoredUpdate[] }[]): Promise<void> {
    const { documents } = this.options.deps;
    try {
      await documents.append(taken.flatMap((t) => t.updates));
      for (const t of taken) this.options.counters.persistedUpdates += t.updates.length;
      this.options.failures.succeeded();
      return;
    } catch (error) {
      if (!isRowRefusal(error)) {
        for (const t of taken) t.room.pending.unshift(...t.updates);
        this.options.failures.failed(
          error,
          taken.map((t) => t.room.sessionId),
        );
        return;
      }
    }
    for (const t of taken) await this.appendRoomUpdates(t.room, t.updates);
  }

  private async appendRoomUpdates(room: Room, updates: StoredUpdate[]): Promise<void> {
    let refusal: unknown;
    try {
      await this.options.deps.documents.append(updates);
      this.options.counters.persistedUpdates += updates.length;
      return;
    } catch (error) {
      if (!isRowRefusal(error)) {
        room.pending.unshift(...updates);
        this.options.failures.failed(error, [room.sessionId]);
        return;
      }
      refusal = error;
    }
    // The session row itself is gone (the log's one foreign key), not just expired: a workspace
    // keeps an expired session's record, and its room's edits with it.
    if (sessionGone(refusal) || room.status === "gone") {
      this.droppedOfGoneSession(room, updates.length);
      return;
    }
    await this.appendUpdatesOneByOne(room, updates);
  }

  private async appendUpdatesOneByOne(room: Room, updates: StoredUpdate[]): Promise<void> {
    const { documents } = this.options.deps;
    for (const [i, update] of updates.entries()) {
      try {
        await documents.append([update]);
        this.options.counters.persistedUpdates++;
      } catch (error) {
        if (!isRowRefusal(error)) {
          room.pending.unshift(...updates.slice(i));
          this.options.failures.failed(error, [room.sessionId]);
          return;
        }
        if (sessionGone(error)) {
          this.droppedOfGoneSession(room, updates.length - i);
          return;
        }
        // Later updates build on this one: the log keeps it, if only without its author.
        let kept: boolean;
        try {
          kept = await this.writeStripped(() => documents.append([{ ...update, actor: null }]));
        } catch (failure) {
          // Not the row's fault this time: it waits, with those after it, for the next batch.
          room.pending.unshift(...updates.slice(i));
          this.options.failures.failed(failure, [room.sessionId]);
          return;
        }
        if (kept) this.options.counters.persistedUpdates++;
        this.rejectRow("document_updates", room.sessionId, error, kept);
      }
    }
  }

  private droppedOfGoneSession(room: Room, count: number): void {
    this.options.deps.logger.warn("dropped updates of a session that no longer exists", {
      sessionId: room.sessionId,
      count,
    });
    if (room.status !== "gone") this.options.sessionGone(room.sessionId);
  }

  /**
   * Writes a refused row again without what a client supplied: true if written, false if refused
   * again (it is left out). A failure that is not the row's (the database went away meanwhile) is
   * thrown: the row waits for the next batch.
   */
  private async writeStripped(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isRowRefusal(error)) return false;
      throw error;
    }
  }

  // ------------------------------------------------------------------ history

  /**
   * Writes the queued history rows in one statement; if the database refuses it, row by row (a
   * deleted session's rows and rows it cannot store are left out). Unreachable: they wait.
   */
  async writeHistory(): Promise<void> {
    if (this.history.length === 0) return;
    const { db } = this.options.deps;
    const rows = this.history;
    this.history = [];
    try {
      await appendHistory(db, rows);
      return;
    } catch (error) {
      if (!isRowRefusal(error)) {
        this.requeueHistory(rows, error);
        return;
      }
    }
    for (const [i, row] of rows.entries()) {
      try {
        await appendHistory(db, [row]);
      } catch (error) {
        if (!isRowRefusal(error)) {
          this.requeueHistory(rows.slice(i), error);
          return;
        }
        // A session deleted meanwhile is not news; anything else is.
        if (sessionGone(error)) continue;
        let kept: boolean;
        try {
          kept = await this.writeStripped(() => appendHistory(db, [{ ...row, actor: null, payload: "{}" }]));
        } catch (failure) {
          this.requeueHistory(rows.slice(i), failure);
          return;
        }
        this.rejectRow("history_entries", row.sessionId, error, kept);
      }
    }
  }

  /** History rows wait for the database, the oldest dropped past `MAX_PENDING_HISTORY`. */
  private requeueHistory(rows: HistoryRow[], error: unknown): void {
    this.history = [...rows, ...this.history];
    const excess = this.history.length - MAX_PENDING_HISTORY;
    if (excess > 0) {
      this.history.splice(0, excess);
      this.options.counters.historyDropped += excess;
    }
    this.options.failures.failed(
      error,
      rows.map((row) => row.sessionId),
    );
  }

  /**
   * A row the database refuses whatever happens: logged once (without its data) and counted. An
   * update left out of the log is still in the live document: the next compaction stores it.
   */
  private rejectRow(
    table: "document_updates" | "history_entries",
    sessionId: string,
    error: unknown,
    kept: boolean,
  ): void {
    this.options.counters.rejectedRows++;
    this.options.deps.logger.error(
      kept
        ? "a row was refused by the database; written without its author"
        : "a row was refused by the database and left out",
      { table, sessionId, error: describeWriteError(error) },
    );
  }
}
