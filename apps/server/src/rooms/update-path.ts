import type { Clock, Logger } from "@pairpad/api/ports";
import * as Y from "yjs";
import type { AwarenessLimits } from "./awareness.ts";
import { CloseCode } from "./close-codes.ts";
import type { RoomConfig } from "./config.ts";
import type { Connection } from "./connection.ts";
import type { Fanout } from "./fanout.ts";
import { captureUpdate } from "./origins.ts";
import { PeerKind } from "./peer-messages.ts";
import type { Presence } from "./presence.ts";
import { awarenessFrame, updateFrame } from "./protocol.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";
import { type ClientSection, checkUpdate, type UpdateLayout, withoutSections } from "./update-format.ts";
import type { UpdateLog } from "./update-log.ts";

/** A client's change the room refuses: the socket layer closes the sender with this code. */
export class RefusedChange extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(reason);
  }
}

export interface UpdatePathOptions {
  config: RoomConfig;
  counters: RoomCounters;
  logger: Logger;
  clock: Clock;
  fanout: Fanout;
  log: UpdateLog;
  presence: Presence;
}

/**
 * What a room does with a client's document update or awareness, once the socket layer decoded it:
 * check, apply, relay the frame as received to the room's other sockets, publish to the other
 * nodes, queue for the update log. Plain synchronous calls, nothing allocated beyond the log's copy.
 */
export class UpdatePath {
  private readonly config: RoomConfig;
  private readonly counters: RoomCounters;
  private readonly fanout: Fanout;
  private readonly log: UpdateLog;
  private readonly awarenessLimits: AwarenessLimits;

  constructor(private readonly options: UpdatePathOptions) {
    this.config = options.config;
    this.counters = options.counters;
    this.fanout = options.fanout;
    this.log = options.log;
    this.awarenessLimits = {
      maxClients: this.config.maxAwarenessClients,
      maxBytes: this.config.maxAwarenessBytes,
    };
  }

  /** The hot path: apply, relay the frame as received, publish to the other nodes, queue for the log. */
  receiveUpdate(conn: Connection, room: Room, update: Uint8Array, frame: Uint8Array | null): void {
    if (conn.role === "observer" || room.locked) {
      this.counters.updatesIgnored++;
      return;
    }
    // Read whole before applying: Yjs integrates an update's structs before it reads its delete
    // set, so a broken one would be half in the document when it throws (and then refused).
    const layout = checkUpdate(update);
    const own = this.ownStructs(conn, room, update, layout);
    if (own === null) return;
    if (own !== update) {
      update = own;
      frame = null;
    }
    if (room.approxBytes + update.length > this.config.maxDocumentBytes) this.checkDocumentSize(room, update);
    const applied = this.applyClientUpdate(room, conn, update, layout);
    this.accepted(conn, room, applied, applied === update ? frame : null);
  }

  /**
   * A client's answer to our sync step 1: mostly nothing new (a reconnect), so only what actually
   * changed the document is relayed and logged.
   */
  receiveStep2(conn: Connection, room: Room, update: Uint8Array): void {
    if (conn.role === "observer" || room.locked) {
      this.counters.updatesIgnored++;
      return;
    }
    if (room.approxBytes + update.length > this.config.maxDocumentBytes) {
      this.receiveUpdate(conn, room, update, null);
      return;
    }
    const layout = checkUpdate(update);
    const own = this.ownStructs(conn, room, update, layout);
    if (own === null) return;
    update = own;
    const news = captureUpdate(room.doc, conn, () => this.applyClientUpdate(room, conn, update, layout));
    if (news) this.accepted(conn, room, news, null);
  }

  receiveAwareness(conn: Connection, room: Room, update: Uint8Array, frame: Uint8Array): void {
    this.counters.awarenessIn++;
    const applied = room.awareness.apply(update, conn, Date.now(), {
      limits: this.awarenessLimits,
      role: conn.role,
    });
    for (const id of applied.set) conn.clientIds.add(id);
    if (applied.update) {
      // Echoed to the sender too: a lone y-websocket client reconnects after 30 s of silence.
      this.fanout.toClients(room, applied.update === update ? frame : awarenessFrame(applied.update));
      this.fanout.toNodes(room, PeerKind.awareness, applied.update);
    }
    if (applied.set.length > 0) this.options.presence.updateIdentity(room, conn);
  }

  /**
   * The update without the new structs it has under an interviewer's client id, unless an
   * interviewer sent it; null if nothing is left. Yjs keeps the first struct it gets for a clock,
   * so a candidate sending structs in the interviewer's name, ahead of the interviewer's next
   * keystroke, made the server keep its own text and drop the keystroke, which the interviewer
   * still saw. Structs the document already has pass (a resync re-sends others').
   */
  private ownStructs(
    conn: Connection,
    room: Room,
    update: Uint8Array,
    layout: UpdateLayout,
  ): Uint8Array | null {
    if (conn.role === "interviewer") return update;
    let foreign: ClientSection[] | null = null;
    for (const section of layout.sections) {
      if (!room.awareness.isInterviewers(section.client)) continue;
      if (section.end <= Y.getState(room.doc.store, section.client)) continue;
      foreign ??= [];
      foreign.push(section);
    }
    if (!foreign) return update;
    this.counters.updatesIgnored++;
    this.options.logger.warn("structs under an interviewer's client id left out of an update", {
      sessionId: room.sessionId,
      connection: conn.id,
      role: conn.role,
    });
    const own = withoutSections(update, layout, foreign);
    return foreign.length === layout.sections.length && layout.deleteSetAt === update.length - 1 ? null : own;
  }

  /** The running figure only grows: measured exactly before refusing an update that would pass the cap. */
  private checkDocumentSize(room: Room, update: Uint8Array): void {
    room.approxBytes = Y.encodeStateAsUpdate(room.doc).length;
    if (room.approxBytes + update.length <= this.config.maxDocumentBytes) return;
    this.counters.updatesRefused++;
    this.options.logger.warn("update refused: document size cap", {
      sessionId: room.sessionId,
      bytes: room.approxBytes,
      update: update.length,
    });
    // The sender already shows the change; left connected it would silently diverge from
    // everyone else. Closing tells it why, and the others carry on.
    throw new RefusedChange(
      CloseCode.documentTooLarge,
      "the document size limit was reached: your last change was not saved",
    );
  }

  /**
   * Applies a checked update. Should Yjs still throw half-way (a case `checkUpdate` misses), what
   * it did apply goes out as the server's own change, so that the editors, the log and the replay
   * hold what the document holds; the error then closes the sender.
   */
  private applyClientUpdate(
    room: Room,
    conn: Connection,
    update: Uint8Array,
    layout: UpdateLayout,
  ): Uint8Array {
    try {
      // Keystrokes: characters only, nothing waiting for a missing struct that this one may release.
      if (!layout.richContent && room.doc.store.pendingStructs === null) {
        Y.applyUpdate(room.doc, update, conn);
        return update;
      }
      const applied = captureUpdate(room.doc, conn, () =>
        room.doc.transact((transaction) => {
          Y.applyUpdate(room.doc, update, conn);
          keepCodePlain(room, transaction);
        }, conn),
      );
      return applied ?? update;
    } catch (error) {
      this.options.logger.error("a checked update failed to apply; the room is resynchronised", {
        sessionId: room.sessionId,
        connection: conn.id,
      });
      const state = Y.encodeStateAsUpdate(room.doc);
      room.changed(0);
      room.approxBytes = state.length;
      this.fanout.everywhere(room, state, null);
      throw error;
    }
  }

  private accepted(conn: Connection, room: Room, update: Uint8Array, frame: Uint8Array | null): void {
    this.counters.updatesIn++;
    room.changed(update.length);
    conn.ws?.publish(room.topic, frame ?? updateFrame(update));
    this.fanout.toNodes(room, PeerKind.update, update);
    const at = this.options.clock();
    this.log.queue(room, {
      sessionId: room.sessionId,
      // A copy: the socket's receive buffer is not ours to keep.
      update: update.slice(),
      actor: conn.actor,
      at,
      connectionId: conn.id,
      role: conn.role,
    });
    room.countEdit(conn.actor, at);
  }
}

/**
 * Deletes, in the transaction that brought it, whatever the transaction put into the code text other
 * than characters (embeds, formats, values, nested types). The code is plain text by contract, and an
 * editor bound to it (y-codemirror) takes every insert for characters: an embed a candidate put in
 * left everyone's editor one position off from the document for the rest of the session. Deleted in
 * the same transaction, such content reaches no editor.
 */
function keepCodePlain(room: Room, transaction: Y.Transaction): void {
  const code = room.text;
  const { store } = room.doc;
  for (const [client, structs] of store.clients) {
    const from = transaction.beforeState.get(client) ?? 0;
    if (Y.getState(store, client) <= from) continue;
    for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
      const struct = structs[i];
      if (
        struct instanceof Y.Item &&
        struct.parent === code &&
        !struct.deleted &&
        !(struct.content instanceof Y.ContentString)
      ) {
        struct.delete(transaction);
      }
    }
  }
}
