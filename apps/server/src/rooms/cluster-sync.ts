import type { Logger } from "@pairpad/api/ports";
import * as Y from "yjs";
import type { Bus } from "../bus/bus.ts";
import type { Cluster } from "./cluster.ts";
import type { Fanout } from "./fanout.ts";
import type { ForwardedCommands } from "./forwarded-commands.ts";
import { fromPeer } from "./origins.ts";
import {
  decodePeerMessage,
  encodeDigest,
  encodeRoomMessage,
  encodeSyncReply,
  nodeChannel,
  PeerKind,
  type PeerMessage,
  roomChannel,
} from "./peer-messages.ts";
import { awarenessFrame } from "./protocol.ts";
import type { Room } from "./room.ts";
import type { RoomCounters } from "./stats.ts";

export interface ClusterSyncOptions {
  bus: Bus;
  nodeId: string;
  logger: Logger;
  counters: RoomCounters;
  /** The live rooms of this node (owned by the registry). */
  rooms: ReadonlyMap<string, Room>;
  fanout: Fanout;
  cluster: Cluster;
  commands: ForwardedCommands;
  closing(): boolean;
}

/**
 * A room's document and awareness kept the same on every node that has it loaded: other nodes'
 * updates and awareness applied as they come over the bus, a sync request when a room loads, and
 * digests (anti-entropy) that heal what a lost bus message left apart.
 */
export class ClusterSync {
  private readonly nodeId: string;
  private readonly fanout: Fanout;
  private unsubscribeNode: (() => Promise<void>) | null = null;

  constructor(private readonly options: ClusterSyncOptions) {
    this.nodeId = options.nodeId;
    this.fanout = options.fanout;
  }

  /** Listens on this node's own channel; after a bus outage, catches up with the others. */
  async start(): Promise<void> {
    const { bus, cluster, logger } = this.options;
    this.unsubscribeNode = await bus.subscribe(nodeChannel(this.nodeId), (data) => this.onNodeMessage(data));
    bus.onReconnect(() => {
      if (this.options.closing()) return;
      logger.info("bus reconnected; catching up with the other nodes");
      cluster.reannounce();
      this.catchUpShared();
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribeNode?.().catch(() => {});
  }

  /**
   * The room's bus handler, made outside the registry's `load`: a closure made in an async function
   * keeps all of that function's locals alive (the session row, the stored state) as long as it lives.
   */
  subscribe(room: Room): Promise<() => Promise<void>> {
    return this.options.bus.subscribe(roomChannel(room.sessionId), (data) => this.onRoomMessage(room, data));
  }

  /** The room is loaded: what came over the bus while its stored state was read goes in now. */
  replayEarly(room: Room): void {
    const early = room.early ?? [];
    room.early = null;
    for (const data of early) this.onRoomMessage(room, data);
  }

  /** Catches up with the nodes that have the room loaded already. */
  requestSync(room: Room): void {
    this.fanout.toChannel(
      roomChannel(room.sessionId),
      encodeRoomMessage(PeerKind.syncRequest, this.nodeId, Y.encodeStateVector(room.doc)),
    );
  }

  /** Another node was seen with this room loaded: compare digests. */
  roomSeen(sessionId: string): void {
    const room = this.options.rooms.get(sessionId);
    if (room?.status === "live") this.publishDigest(room, false);
  }

  /**
   * Anti-entropy: a digest of every room another node has loaded too. Cheap when nothing differs
   * (a state vector and a hash each way); a node that differs answers with what is missing.
   */
  catchUpShared(): void {
    const { cluster, rooms } = this.options;
    if (cluster.remoteNodes === 0) return;
    for (const room of rooms.values()) {
      if (room.status === "live" && cluster.nodesWith(room.sessionId).length > 0)
        this.publishDigest(room, false);
    }
  }

  private publishDigest(room: Room, answer: boolean): void {
    this.fanout.toChannel(
      roomChannel(room.sessionId),
      encodeDigest(this.nodeId, Y.encodeStateVector(room.doc), room.stateHash(), answer),
    );
  }

  private decodePeer(data: Uint8Array, sessionId?: string): PeerMessage | null {
    try {
      const message = decodePeerMessage(data);
      if (message.origin === this.nodeId) return null;
      this.options.counters.peerMessagesIn++;
      return message;
    } catch (error) {
      this.options.logger.warn("unreadable bus message", { sessionId, error: String(error) });
      return null;
    }
  }

  /** A message on a room's channel: another node's update, awareness, sync request or digest. */
  private onRoomMessage(room: Room, data: Uint8Array): void {
    if (room.early) {
      room.early.push(data);
      return;
    }
    if (room.status !== "live" && room.status !== "unloading") return;
    const message = this.decodePeer(data, room.sessionId);
    if (!message) return;
    try {
      if (message.kind === PeerKind.update) {
        this.fanout.applyPeerUpdate(room, message.payload);
      } else if (message.kind === PeerKind.awareness) {
        const applied = room.awareness.apply(message.payload, message.origin, Date.now());
        if (applied.update) this.fanout.toClients(room, awarenessFrame(applied.update));
      } else if (message.kind === PeerKind.syncRequest) {
        const update = Y.encodeStateAsUpdate(room.doc, message.payload);
        const reply = encodeSyncReply(
          this.nodeId,
          room.sessionId,
          update,
          room.awareness.encodeAll(),
          Y.encodeStateVector(room.doc),
        );
        this.fanout.toChannel(nodeChannel(message.origin), reply);
      } else if (message.kind === PeerKind.catchUp) {
        this.fanout.applyFrom(room, message.payload, fromPeer);
      } else if (message.kind === PeerKind.digest) {
        if (room.status !== "live" || message.hash === room.stateHash()) return;
        // What the sender lacks (the delete set always goes: deletions leave no trace in the
        // state vector), and our digest so that it sends what we lack.
        this.fanout.toChannel(
          roomChannel(room.sessionId),
          encodeRoomMessage(
            PeerKind.catchUp,
            this.nodeId,
            Y.encodeStateAsUpdate(room.doc, message.stateVector),
          ),
        );
        if (!message.answer) this.publishDigest(room, true);
      }
    } catch (error) {
      this.options.logger.warn("bus message could not be applied", {
        sessionId: room.sessionId,
        error: String(error),
      });
    }
  }

  /** A message to this node: the answer to its sync request, or a forwarded directory call. */
  private onNodeMessage(data: Uint8Array): void {
    const message = this.decodePeer(data);
    if (!message) return;
    if (message.kind === PeerKind.syncReply) {
      const room = this.options.rooms.get(message.sessionId);
      if (room?.status !== "live") return;
      try {
        this.fanout.applyFrom(room, message.update, fromPeer);
        // Two-way: what this node has and the replier lacks (edits made here while it caught up).
        // Other nodes may have it already: a catch-up, so only what is new reaches their clients.
        const back = Y.encodeStateAsUpdate(room.doc, message.stateVector);
        if (back.length > 2) {
          this.fanout.toChannel(
            roomChannel(room.sessionId),
            encodeRoomMessage(PeerKind.catchUp, this.nodeId, back),
          );
        }
        if (message.awareness.length > 0) {
          const applied = room.awareness.apply(message.awareness, message.origin, Date.now());
          if (applied.update) this.fanout.toClients(room, awarenessFrame(applied.update));
        }
      } catch (error) {
        this.options.logger.warn("sync reply could not be applied", {
          sessionId: room.sessionId,
          error: String(error),
        });
      }
    } else if (message.kind === PeerKind.command) {
      this.options.commands.onCommand(message.origin, message.body);
    } else if (message.kind === PeerKind.reply) {
      this.options.commands.onReply(message.body);
    }
  }
}
