import type { Clock, Logger } from "@pairpad/api/ports";
import type { Server } from "bun";
import * as Y from "yjs";
import type { Bus } from "../bus/bus.ts";
import type { Cluster } from "./cluster.ts";
import type { Connection } from "./connection.ts";
import { applyCapturing, captureUpdate, fromPeer, type fromStorage, ServerChange } from "./origins.ts";
import { encodeRoomMessage, PeerKind, roomChannel } from "./peer-messages.ts";
import { updateFrame } from "./protocol.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";
import type { UpdateLog } from "./update-log.ts";

export interface FanoutOptions {
  bus: Bus;
  nodeId: string;
  logger: Logger;
  clock: Clock;
  counters: RoomCounters;
  cluster: Cluster;
  log: UpdateLog;
}

/**
 * Where a room's changes go: its sockets (one Bun topic, fanned out in native code), the other
 * nodes (the room's bus channel), and, for the server's own changes, the update log. Also the
 * server's own changes to a room and state merged in from storage or a peer.
 */
export class Fanout {
  /** Bun's server, known from the first upgrade; until then no room has a socket. */
  server: Server<Connection> | null = null;

  constructor(private readonly options: FanoutOptions) {}

  /** To every socket of the room on this node. */
  toClients(room: Room, frame: Uint8Array): void {
    this.server?.publish(room.topic, frame);
  }

  /**
   * A room's update or awareness to the other nodes. A node that knows of no other node skips it:
   * a node that starts says hello first, and a room it loads later catches up through the sync
   * request anyway.
   */
  toNodes(room: Room, kind: typeof PeerKind.update | typeof PeerKind.awareness, payload: Uint8Array): void {
    if (this.options.cluster.remoteNodes === 0) return;
    this.toChannel(roomChannel(room.sessionId), encodeRoomMessage(kind, this.options.nodeId, payload));
  }

  toChannel(channel: string, data: Uint8Array): void {
    this.options.counters.peerMessagesOut++;
    this.options.bus.publish(channel, data).catch((error) => {
      this.options.logger.warn("bus publish failed", {
        channel,
        sessionId: channel.startsWith("room:") ? channel.slice("room:".length) : undefined,
        error: String(error),
      });
    });
  }

  /** An update the server made (or resent whole): to the sockets, the other nodes and the log. */
  everywhere(room: Room, update: Uint8Array, actor: string | null): void {
    this.toClients(room, updateFrame(update));
    this.toNodes(room, PeerKind.update, update);
    this.options.log.queue(room, { sessionId: room.sessionId, update, actor, at: this.options.clock() });
  }

  /** Applies a change of the server's as one transaction and sends it everywhere. */
  change(room: Room, origin: ServerChange, edit: (doc: Y.Doc) => void): void {
    const bytes = captureUpdate(room.doc, origin, () => room.doc.transact(() => edit(room.doc), origin));
    if (!bytes) return;
    room.changed(bytes.length);
    this.everywhere(room, bytes, origin.actor);
  }

  /** Sets `meta` keys that differ, as a change of the server's. */
  setMeta(room: Room, values: Record<string, unknown>, actor: string | null, sideEffects: boolean): void {
    if (room.status !== "live") return;
    this.change(room, new ServerChange(actor, sideEffects), () => {
      for (const [key, value] of Object.entries(values))
        if (room.meta.get(key) !== value) room.meta.set(key, value);
    });
  }

  /** Another node's update (already in its log), applied and relayed to this node's sockets. */
  applyPeerUpdate(room: Room, update: Uint8Array): void {
    Y.applyUpdate(room.doc, update, fromPeer);
    room.changed(update.length);
    this.options.log.noteChange();
    this.toClients(room, updateFrame(update));
  }

  /** Applies state from storage or a peer; whatever was new to this node goes to its clients. */
  applyFrom(room: Room, update: Uint8Array, origin: typeof fromPeer | typeof fromStorage): void {
    const bytes = applyCapturing(room.doc, update, origin);
    if (!bytes) return;
    room.changed(bytes.length);
    this.options.log.noteChange();
    this.toClients(room, updateFrame(bytes));
  }
}
