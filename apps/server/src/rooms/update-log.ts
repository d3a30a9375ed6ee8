import type { DocumentStore, StoredUpdate } from "@pairpad/api/documents/store";
import { appendHistory, type HistoryRow } from "@pairpad/api/history/history";
import type { Clock, Logger } from "@pairpad/api/ports";
import { findLiveSession } from "@pairpad/api/session/sessions";
import type { Db } from "@pairpad/db/client";
import * as Y from "yjs";
import type { RoomConfig } from "./config.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";
import { describeWriteError, isRowRefusal, sqlStateOf } from "./write-errors.ts";

/** Updates a room holds for the log before they are merged into one (database unreachable). */
const MAX_PENDING = 20_000;
/** History rows held while the database is unreachable; older ones are dropped past it. */
const MAX_PENDING_HISTORY = 20_000;

export interface UpdateLogOptions {
  deps: { db: Db; documents: DocumentStore; logger: Logger; clock: Clock };
  config: RoomConfig;
  counters: RoomCounters;
  /** The live rooms of this node, whose queues the flush writes. */
  rooms: ReadonlyMap<string, Room>;
  /**
   * Merges a room's stored state into its live document before compacting (healing anything that
   * reached the database but not this node); what is new goes to the room's clients.
   */
  mergeStored(room: Room, state: Uint8Array): void;
}

/**
 * The update log writer: what the rooms queue (their updates, history rows) is written off the hot
 * path, within a flush interval, one batch at a time and in order; rooms are compacted into
 * `document_states`. A database that is away keeps everything queued; a row it refuses never
 * holds up the others. The flush timer runs only while there is work: armed by what is queued,
 * or set for the next compaction or edit summary due; idle rooms wake nothing.
 */
export class UpdateLog {
  /** `join`/`leave`/`edit` history rows, written together with the next flush of the update log. */
  private history: HistoryRow[] = [];
  private persisting: Promise<void> = Promise.resolve();
  private persistBusy = false;
  private persistFailing = false;
  /** Updates taken from the rooms' queues by the write in flight: not written yet either. */
  private writing = 0;
  private readonly config: RoomConfig;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The timer is set for the next flush interval (not for a later compaction or summary). */
  private soon = false;
  private stopped = false;

  constructor(private readonly options: UpdateLogOptions) {
    this.config = options.config;
  }

  queue(room: Room, update: StoredUpdate): void {
    room.pending.push(update);
    if (!this.soon) this.arm(this.config.flushIntervalMs);
    // The database is away for long: keep the document, give up keystroke granularity.
    if (room.pending.length > MAX_PENDING) {
      const first = room.pending[0] as StoredUpdate;
      room.pending = [{ ...update, at: first.at, update: Y.mergeUpdates(room.pending.map((p) => p.update)) }];
    }
  }

  /** A room's document changed without an update to log (from a peer): its compaction comes due. */
  noteChange(): void {
    if (!this.timer) this.plan();
  }

  /** No flush after this one (shutdown: the rooms are saved by their unload). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.soon = delay <= this.config.flushIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.soon = false;
      this.flushLive();
    }, delay);
  }

  /** Sets the timer for what comes due next: queued rows now, else the earliest compaction or summary. */
  private plan(): void {
    if (this.stopped || this.persistBusy) return;
    let next = Number.POSITIVE_INFINITY;
    if (this.history.length > 0) next = 0;
    for (const room of this.options.rooms.values()) {
      if (next === 0) break;
      if (room.status !== "live") continue;
      if (room.pending.length > 0) next = 0;
      if (room.updatesSinceCompact > 0)
        next = Math.min(next, room.lastCompactAt + this.config.compactIntervalMs);
      if (room.edits.size > 0) next = Math.min(next, room.editWindowStart + this.config.editSummaryMs);
    }
    if (next === Number.POSITIVE_INFINITY) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.soon = false;
      return;
    }
    this.arm(Math.max(next - Date.now(), this.config.flushIntervalMs));
  }

  /** Runs persistence work one task at a time, so a room's updates are appended in order. */
  private persist<T>(task: () => Promise<T>): Promise<T> {
    const run = this.persisting.then(task);
    this.persisting = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /**
   * The flush: appends every live room's queued updates, compacts the rooms that are due, writes
   * edit summaries and history, then sets the timer for what comes due next.
   */
  private flushLive(): void {
    if (this.persistBusy) return;
    if (!this.due(this.options.rooms.values())) {
      this.plan();
      return;
    }
    this.persistBusy = true;
    void this.persist(async () => {
      const live = [...this.options.rooms.values()].filter((r) => r.status === "live");
      await this.flushUpdates(live);
      const now = Date.now();
      for (const room of live) {
        const due =
          room.updatesSinceCompact >= this.config.compactEvery ||
          (room.updatesSinceCompact > 0 && now - room.lastCompactAt >= this.config.compactIntervalMs);
        if (due && room.pending.length === 0)
          await this.compact(room).catch((error) => this.persistError(error, [room.sessionId]));
        this.queueEditSummaries(room, false);
      }
      await this.flushHistory();
    })
      .catch((error) => this.persistError(error, []))
      .finally(() => {
        this.persistBusy = false;
        this.plan();
      });
  }

  /**
   * Whether a flush has anything to write, compact or summarise. Idle rooms cost a glance each and
   * no allocation: the flush's arrays and promises five times a second were most of an idle
   * server's own CPU (bench/RESULTS.md, idle CPU).
   */
  private due(rooms: Iterable<Room>): boolean {
    if (this.history.length > 0) return true;
    for (const room of rooms) {
      if (room.pending.length > 0 || room.updatesSinceCompact > 0 || room.edits.size > 0) return true;
    }
    return false;
  }

  /** Everything of one room, for its unload: throws (the room stays loaded) if its updates are not all written. */
  saveRoom(room: Room): Promise<void> {
    return this.persist(async () => {
      await this.flushUpdates([room]);
      if (room.pending.length > 0) throw new Error("updates could not be written");
      if (room.updatesSinceCompact > 0) await this.compact(room);
      this.queueEditSummaries(room, true);
      await this.flushHistory();
    });
  }

  /** Writes every live room's queued updates and the queued history now (shutdown, before the sockets close). */
  flushAll(): Promise<void> {
    return this.persist(async () => {
      await this.flushUpdates([...this.options.rooms.values()].filter((r) => r.status === "live"));
      await this.flushHistory();
    }).catch((error) => this.persistError(error, []));
  }

  /** Resolves once the persistence work queued so far is done. */
  idle(): Promise<void> {
    return this.persisting;
  }

  /** A `join`, `leave` or other history row, written with the next flush. */
  addHistory(row: HistoryRow): void {
    this.history.push(row);
    if (!this.soon) this.arm(this.config.flushIntervalMs);
  }

  /** The session was deleted: its queued history rows are dropped. */
  forgetSession(sessionId: string): void {
    this.history = this.history.filter((row) => row.sessionId !== sessionId);
  }

  /** A write failed (logged once until one succeeds), naming the sessions whose rows wait. */
  private persistError(error: unknown, sessionIds: string[]): void {
    this.options.counters.persistFailures++;
    if (this.persistFailing) return;
    this.persistFailing = true;
    const unique = [...new Set(sessionIds)];
    this.options.deps.logger.error("could not write documents; retrying", {
      ...(unique.length === 1 ? { sessionId: unique[0] } : { sessionIds: unique }),
      error: describeWriteError(error),
    });
  }

  /**
   * A row the database refuses whatever happens (bad data, a broken constraint): logged once and
   * counted; it is written again without what a client supplied (its author, a history payload),
   * and left out if even that is refused, so that it never holds up the rows after it. An update
   * left out of the log is still in the live document: the next compaction stores it.
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

  /**
   * Appends the rooms' queued updates in one statement. If the database refuses the batch, each
   * room's updates are written on their own, and a room's updates that are refused are written one
   * by one: whatever one row holds, the others are written. When the database is unreachable
   * instead, everything stays queued, in order, for the next flush.
   */
  private async flushUpdates(rooms: Room[]): Promise<void> {
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
    try {
      await this.options.deps.documents.append(taken.flatMap((t) => t.updates));
      for (const t of taken) this.options.counters.persistedUpdates += t.updates.length;
      this.persistFailing = false;
      return;
    } catch (error) {
      if (!isRowRefusal(error)) {
        for (const t of taken) t.room.pending.unshift(...t.updates);
        this.persistError(
          error,
          taken.map((t) => t.room.sessionId),
        );
        return;
      }
    }
    for (const t of taken) await this.appendRoomUpdates(t.room, t.updates);
  }

  /** Updates queued or being written, not yet in the database (for `pendingUpdates`). */
  unwritten(rooms: Iterable<Room>): number {
    let count = this.writing;
    for (const room of rooms) count += room.pending.length;
    return count;
  }

  private async appendRoomUpdates(room: Room, updates: StoredUpdate[]): Promise<void> {
    try {
      await this.options.deps.documents.append(updates);
      this.options.counters.persistedUpdates += updates.length;
      return;
    } catch (error) {
      if (!isRowRefusal(error)) {
        room.pending.unshift(...updates);
        this.persistError(error, [room.sessionId]);
        return;
      }
    }
    const exists = await findLiveSession(this.options.deps, room.sessionId).then(
      (row) => row !== null,
      () => true,
    );
    if (!exists || room.status === "gone") {
      this.options.deps.logger.warn("dropped updates of a session that no longer exists", {
        sessionId: room.sessionId,
        count: updates.length,
      });
      return;
    }
    await this.appendUpdatesOneByOne(room, updates);
  }

  private async appendUpdatesOneByOne(room: Room, updates: StoredUpdate[]): Promise<void> {
    for (const [i, update] of updates.entries()) {
      try {
        await this.options.deps.documents.append([update]);
        this.options.counters.persistedUpdates++;
      } catch (error) {
        if (!isRowRefusal(error)) {
          room.pending.unshift(...updates.slice(i));
          this.persistError(error, [room.sessionId]);
          return;
        }
        // Later updates build on this one: the log keeps it, if only without its author.
        const kept = await this.options.deps.documents.append([{ ...update, actor: null }]).then(
          () => true,
          () => false,
        );
        if (kept) this.options.counters.persistedUpdates++;
        this.rejectRow("document_updates", room.sessionId, error, kept);
      }
    }
  }

  /**
   * Writes the queued history rows in one statement; if the database refuses it, row by row (a
   * deleted session's rows and rows it cannot store are left out). Unreachable: they wait.
   */
  private async flushHistory(): Promise<void> {
    if (this.history.length === 0) return;
    const rows = this.history;
    this.history = [];
    try {
      await appendHistory(this.options.deps.db, rows);
      return;
    } catch (error) {
      if (!isRowRefusal(error)) {
        this.requeueHistory(rows, error);
        return;
      }
    }
    for (const [i, row] of rows.entries()) {
      try {
        await appendHistory(this.options.deps.db, [row]);
      } catch (error) {
        if (!isRowRefusal(error)) {
          this.requeueHistory(rows.slice(i), error);
          return;
        }
        // A session deleted meanwhile is not news; anything else is.
        if (sqlStateOf(error) === "23503") continue;
        const kept = await appendHistory(this.options.deps.db, [{ ...row, actor: null, payload: "{}" }]).then(
          () => true,
          () => false,
        );
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
    this.persistError(
      error,
      rows.map((row) => row.sessionId),
    );
  }

  /**
   * Folds the log into `document_states`. The stored state is merged into the live document first
   * (healing anything that reached the database but not this node), so the state written contains
   * every update up to the `lastUpdateId` it records.
   */
  private async compact(room: Room): Promise<void> {
    const stored = await this.options.deps.documents.load(room.sessionId);
    this.options.mergeStored(room, stored.state);
    const state = Y.encodeStateAsUpdate(room.doc);
    await this.options.deps.documents.compact(room.sessionId, state, stored.lastUpdateId);
    room.approxBytes = state.length;
    room.updatesSinceCompact = 0;
    room.lastCompactAt = Date.now();
    this.options.counters.compactions++;
  }

  /** One `edit` history entry per author per window, written with the next history flush. */
  private queueEditSummaries(room: Room, all: boolean): void {
    if (room.edits.size === 0) return;
    if (!all && Date.now() - room.editWindowStart < this.config.editSummaryMs) return;
    const at = this.options.deps.clock().getTime();
    for (const [actor, tally] of room.edits) {
      this.history.push({
        sessionId: room.sessionId,
        kind: "edit",
        actor,
        payload: JSON.stringify({
          updates: tally.updates,
          from: tally.from.toISOString(),
          to: tally.to.toISOString(),
        }),
        at,
      });
    }
    room.edits.clear();
  }
}
