import type { DocumentStore, StoredUpdate } from "@pairpad/api/documents/store";
import type { HistoryRow } from "@pairpad/api/history/history";
import type { Clock, Logger } from "@pairpad/api/ports";
import type { Db } from "@pairpad/db/client";
import * as Y from "yjs";
import { BatchWriter } from "./batch-writer.ts";
import { Compaction } from "./compaction.ts";
import type { RoomConfig } from "./config.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";
import { WriteFailures } from "./write-errors.ts";

/** Updates a room holds for the log before they are merged into one (database unreachable). */
const MAX_PENDING = 20_000;

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
  /**
   * A write found that the session no longer exists: it was deleted where this node did not hear of
   * it (the close went out while the bus was away). Its sockets should be told, as for a close.
   */
  sessionGone(sessionId: string): void;
}

/**
 * What the rooms hand off the hot path — their updates, history rows, edit summaries — and when it
 * is written: within a flush interval, one persistence task at a time and in order. The writing
 * itself (batches, a refused row isolated) is `batch-writer.ts`; folding the log into
 * `document_states` is `compaction.ts`. The flush timer runs only while there is work: armed by
 * what is queued, or set for the next compaction or edit summary due; idle rooms wake nothing.
 */
export class UpdateLog {
  private readonly config: RoomConfig;
  private readonly writer: BatchWriter;
  private readonly compaction: Compaction;
  private readonly failures: WriteFailures;
  private persisting: Promise<void> = Promise.resolve();
  private persistBusy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The timer is set for the next flush interval (not for a later compaction or summary). */
  private soon = false;
  private stopped = false;

  constructor(private readonly options: UpdateLogOptions) {
    const { deps, config, counters } = options;
    this.config = config;
    this.failures = new WriteFailures(counters, deps.logger);
    this.writer = new BatchWriter({
      deps,
      counters,
      failures: this.failures,
      sessionGone: options.sessionGone,
    });
    this.compaction = new Compaction({
      documents: deps.documents,
      config,
      counters,
      logger: deps.logger,
      mergeStored: options.mergeStored,
      sessionGone: options.sessionGone,
    });
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

  /** A `join`, `leave` or other history row, written with the next flush. */
  addHistory(row: HistoryRow): void {
    this.writer.addHistory(row);
    if (!this.soon) this.arm(this.config.flushIntervalMs);
  }

  /** The session was deleted: its queued history rows are dropped. */
  forgetSession(sessionId: string): void {
    this.writer.forgetSession(sessionId);
  }

  /** Updates queued or being written, not yet in the database (for `pendingUpdates`). */
  unwritten(rooms: Iterable<Room>): number {
    return this.writer.unwritten(rooms);
  }

  /** No flush after this one (shutdown: the rooms are saved by their unload). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Everything of one room, for its unload: throws (the room stays loaded) if its updates are not all written. */
  saveRoom(room: Room): Promise<void> {
    return this.persist(async () => {
      await this.writer.writeUpdates([room]);
      if (room.pending.length > 0) throw new Error("updates could not be written");
      if (room.updatesSinceCompact > 0) await this.compaction.compact(room);
      this.queueEditSummaries(room, true);
      await this.writer.writeHistory();
    });
  }

  /** Writes every live room's queued updates and the queued history now (shutdown, before the sockets close). */
  flushAll(): Promise<void> {
    return this.persist(async () => {
      await this.writer.writeUpdates(this.liveRooms());
      await this.writer.writeHistory();
    }).catch((error) => this.failures.failed(error, []));
  }

  /** Resolves once the persistence work queued so far is done. */
  idle(): Promise<void> {
    return this.persisting;
  }

  // ------------------------------------------------------------------ the flush and its timer

  private liveRooms(): Room[] {
    return [...this.options.rooms.values()].filter((r) => r.status === "live");
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
    if (this.writer.hasHistory) next = 0;
    for (const room of this.options.rooms.values()) {
      if (next === 0) break;
      if (room.status !== "live") continue;
      if (room.pending.length > 0) next = 0;
      next = Math.min(next, this.compaction.nextDue(room));
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
      const live = this.liveRooms();
      await this.writer.writeUpdates(live);
      const now = Date.now();
      for (const room of live) {
        if (this.compaction.isDue(room, now) && room.pending.length === 0)
          await this.compaction.compact(room).catch((error) => this.failures.failed(error, [room.sessionId]));
        this.queueEditSummaries(room, false);
      }
      await this.writer.writeHistory();
    })
      .catch((error) => this.failures.failed(error, []))
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
    if (this.writer.hasHistory) return true;
    for (const room of rooms) {
      if (room.pending.length > 0 || room.updatesSinceCompact > 0 || room.edits.size > 0) return true;
    }
    return false;
  }

  /** One `edit` history entry per author per window, written with the next history flush. */
  private queueEditSummaries(room: Room, all: boolean): void {
    if (room.edits.size === 0) return;
    if (!all && Date.now() - room.editWindowStart < this.config.editSummaryMs) return;
    const at = this.options.deps.clock().getTime();
    for (const [actor, tally] of room.edits) {
      this.writer.addHistory({
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
