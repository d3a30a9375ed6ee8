import * as Y from "yjs";
import { CODE_TEXT, META_MAP } from "../documents/names.ts";
import type { TimelineUpdate } from "./timeline.ts";

export interface ReplayState {
  code: string;
  language: string | null;
  /** How many updates are applied. */
  position: number;
}

/** A span of the code and who wrote it. */
export interface AuthoredSpan {
  from: number;
  to: number;
  actor: string | null;
  /** The role the server knew for the author's connection (null: not recorded). */
  role: TimelineUpdate["role"];
}

/**
 * Rebuilds the shared document at any point of a recorded session. Moving forward applies the
 * next updates; moving back starts from the nearest checkpoint (a saved state every
 * `checkpointEvery` updates), so scrubbing an hour of keystrokes stays cheap both ways.
 */
export class Replayer {
  private doc = new Y.Doc();
  private position = 0;
  private readonly checkpoints = new Map<number, Uint8Array>();
  /** Yjs client id → author, learnt from the updates. */
  private readonly authors = new Map<number, Pick<TimelineUpdate, "actor" | "role">>();

  constructor(
    readonly updates: TimelineUpdate[],
    private readonly checkpointEvery = 250,
  ) {
    this.checkpoints.set(0, Y.encodeStateAsUpdate(this.doc));
  }

  get length(): number {
    return this.updates.length;
  }

  /** Number of updates that happened at or before `time` (ms since the epoch). */
  indexAt(time: number): number {
    let lo = 0;
    let hi = this.updates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.updates[mid]?.at ?? 0) <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The document as it was at `time`. */
  at(time: number): ReplayState {
    return this.seek(this.indexAt(time));
  }

  /** The document after the first `position` updates. */
  seek(position: number): ReplayState {
    const target = Math.max(0, Math.min(position, this.updates.length));
    // Start from the nearest saved state at or before the target, unless the current one is nearer.
    const base = Math.floor(target / this.checkpointEvery) * this.checkpointEvery;
    const checkpoint = this.checkpoints.get(base);
    if (target < this.position || (checkpoint && base > this.position)) {
      this.doc.destroy();
      this.doc = new Y.Doc();
      const start = checkpoint ? base : 0;
      const state = this.checkpoints.get(start);
      if (state) Y.applyUpdate(this.doc, state);
      this.position = start;
    }
    while (this.position < target) {
      const entry = this.updates[this.position];
      if (entry) {
        this.learnAuthor(entry);
        Y.applyUpdate(this.doc, entry.update);
      }
      this.position++;
      if (this.position % this.checkpointEvery === 0 && !this.checkpoints.has(this.position)) {
        this.checkpoints.set(this.position, Y.encodeStateAsUpdate(this.doc));
      }
    }
    return this.state();
  }

  state(): ReplayState {
    const language = this.doc.getMap(META_MAP).get("language");
    return {
      code: this.doc.getText(CODE_TEXT).toString(),
      language: typeof language === "string" ? language : null,
      position: this.position,
    };
  }

  /** Who wrote each part of the code at the current position. */
  authorship(): AuthoredSpan[] {
    const spans: AuthoredSpan[] = [];
    let offset = 0;
    let item = this.doc.getText(CODE_TEXT)._start;
    while (item) {
      if (!item.deleted && item.countable) {
        const author = this.authors.get(item.id.client);
        const actor = author?.actor ?? null;
        const role = author?.role ?? null;
        const last = spans.at(-1);
        if (last && last.actor === actor && last.role === role && last.to === offset) last.to += item.length;
        else spans.push({ from: offset, to: offset + item.length, actor, role });
        offset += item.length;
      }
      item = item.right;
    }
    return spans;
  }

  private learnAuthor(entry: TimelineUpdate) {
    if (entry.actor === null) return;
    try {
      for (const struct of Y.decodeUpdate(entry.update).structs) {
        if (!this.authors.has(struct.id.client))
          this.authors.set(struct.id.client, { actor: entry.actor, role: entry.role });
      }
    } catch {
      // An undecodable update cannot have been applied either; nothing to attribute.
    }
  }
}
