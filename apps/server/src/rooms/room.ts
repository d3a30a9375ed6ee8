import { CODE_TEXT, META_MAP, type StoredUpdate } from "@pairpad/api/documents/store";
import * as Y from "yjs";
import { AwarenessStates } from "./awareness.ts";
import type { Connection } from "./connection.ts";
import { syncStep2Frame } from "./protocol.ts";

export interface EditTally {
  updates: number;
  from: Date;
  to: Date;
}

/** One loaded session: its Y.Doc, awareness, sockets, and what is not yet written to the database. */
export class Room {
  readonly doc = new Y.Doc();
  /** Bun pub/sub topic of the room's sockets. */
  readonly topic: string;
  readonly connections = new Set<Connection>();
  readonly awareness = new AwarenessStates();
  status: "loading" | "live" | "unloading" | "gone" = "loading";
  /** Upgrades accepted for this room whose socket is not open yet; they keep the room loaded. */
  pendingJoins = 0;
  /** No document updates accepted (the session ended). */
  locked = false;
  /** Last valid `meta.language`, to revert a client that writes an unknown one. */
  language: string | null = null;
  /** Upper bound of the encoded document size: exact at load and compaction, plus updates since. */
  approxBytes = 0;
  /** Updates not yet appended to the update log. */
  pending: StoredUpdate[] = [];
  /** Edits per author since `editWindowStart`, summarised into one history entry each. */
  edits = new Map<string, EditTally>();
  editWindowStart = 0;
  updatesSinceCompact = 0;
  lastCompactAt = 0;
  unloadTimer: ReturnType<typeof setTimeout> | undefined;
  unsubscribe: (() => Promise<void>) | null = null;
  /** Bus messages that arrived while loading, applied once the stored state is in. */
  early: Uint8Array[] | null = [];
  private stateFrame: Uint8Array | null = null;
  private digestHash: bigint | null = null;

  constructor(readonly sessionId: string) {
    this.topic = `room:${sessionId}`;
  }

  get text(): Y.Text {
    return this.doc.getText(CODE_TEXT);
  }

  get meta(): Y.Map<unknown> {
    return this.doc.getMap(META_MAP);
  }

  /** Sync step 2 with the whole document, encoded once per change however many clients join. */
  fullStateFrame(): Uint8Array {
    this.stateFrame ??= syncStep2Frame(Y.encodeStateAsUpdate(this.doc));
    return this.stateFrame;
  }

  /**
   * A hash of the state vector and the delete set (deletions do not move the state vector): two
   * nodes with the same hash have the same document. Computed once per change.
   */
  stateHash(): bigint {
    this.digestHash ??= Bun.hash.wyhash(Y.encodeSnapshot(Y.snapshot(this.doc)));
    return this.digestHash;
  }

  /** Tallies an accepted edit of `actor`, for the edit summaries in the history. */
  countEdit(actor: string, at: Date): void {
    const tally = this.edits.get(actor);
    if (tally) {
      tally.updates++;
      tally.to = at;
    } else {
      if (this.edits.size === 0) this.editWindowStart = at.getTime();
      this.edits.set(actor, { updates: 1, from: at, to: at });
    }
  }

  changed(bytes: number): void {
    this.stateFrame = null;
    this.digestHash = null;
    this.approxBytes += bytes;
    this.updatesSinceCompact++;
  }
}
