import type { Logger, Participant } from "@pairpad/api/ports";
import type { Bus } from "../bus/bus.ts";
import { controlChannel } from "./peer-messages.ts";

type WireParticipant = Omit<Participant, "since"> & { since: string };

/** JSON messages on `rooms:control`, seen by every node. */
type ControlMessage =
  /** Heartbeat: everything a node has loaded, replacing what others knew of it. */
  | { type: "presence"; node: string; rooms: Record<string, WireParticipant[]> }
  /** One room of a node changed; `participants: null` means it unloaded it. */
  | { type: "room"; node: string; sessionId: string; participants: WireParticipant[] | null }
  /** A node started: the others send their heartbeat now instead of at the next interval. */
  | { type: "hello"; node: string }
  | { type: "bye"; node: string }
  | { type: "close"; node: string; sessionId: string; reason: "deleted" | "expired" };

interface NodeView {
  heardAt: number;
  rooms: Map<string, Participant[]>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const toWire = (p: Participant): WireParticipant => ({ ...p, since: p.since.toISOString() });
const fromWire = (p: WireParticipant): Participant => ({ ...p, since: new Date(p.since) });

export interface ClusterOptions {
  bus: Bus;
  nodeId: string;
  heartbeatMs: number;
  logger: Logger;
  /** This node's loaded rooms and their participants. */
  local(): Map<string, Participant[]>;
  /** A session was deleted or expired (told by any node): disconnect its sockets here. */
  onClose(sessionId: string, reason: "deleted" | "expired"): void;
  /** A node said goodbye or was forgotten: drop what was relayed from it. */
  onNodeGone(nodeId: string): void;
  /** Another node was seen with this room loaded (it loaded it, or this node just learnt of it). */
  onRoomSeen?(sessionId: string): void;
}

/**
 * What this node knows of the others: which rooms each has loaded and who is connected there.
 * Each node announces changes as they happen and everything on a heartbeat; a node unheard for
 * three heartbeats (crashed, partitioned) is forgotten, so its users drop out of presence.
 */
export class Cluster {
  private readonly nodes = new Map<string, NodeView>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => Promise<void>) | null = null;

  private readonly bus: Bus;
  private readonly nodeId: string;
  private readonly heartbeatMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: ClusterOptions) {
    this.bus = options.bus;
    this.nodeId = options.nodeId;
    this.heartbeatMs = options.heartbeatMs;
    this.logger = options.logger;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(controlChannel, (payload) => this.receive(payload));
    this.heartbeat = setInterval(() => {
      this.announceAll();
      this.expire();
    }, this.heartbeatMs);
    this.heartbeat.unref?.();
    this.announceAll();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.sendNow({ type: "bye", node: this.nodeId });
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  announceRoom(sessionId: string, participants: Participant[] | null): void {
    // Alone: nobody to tell (a node that appears says hello and gets everything then).
    if (this.nodes.size === 0) return;
    this.send({
      type: "room",
      node: this.nodeId,
      sessionId,
      participants: participants?.map(toWire) ?? null,
    });
  }

  /** Everything this node has, now (after the bus reconnects: the others may have forgotten us). */
  reannounce(): void {
    this.announceAll();
  }

  closeSession(sessionId: string, reason: "deleted" | "expired"): Promise<void> {
    return this.sendNow({ type: "close", node: this.nodeId, sessionId, reason });
  }

  /** Other nodes that have the room loaded, most recently heard first. */
  nodesWith(sessionId: string): string[] {
    const now = Date.now();
    return [...this.nodes.entries()]
      .filter(([, view]) => view.rooms.has(sessionId) && now - view.heardAt < this.heartbeatMs * 3)
      .sort(([, a], [, b]) => b.heardAt - a.heardAt)
      .map(([node]) => node);
  }

  remoteParticipants(sessionId: string): Participant[] {
    const now = Date.now();
    const all: Participant[] = [];
    for (const view of this.nodes.values()) {
      if (now - view.heardAt < this.heartbeatMs * 3) all.push(...(view.rooms.get(sessionId) ?? []));
    }
    return all;
  }

  get remoteNodes(): number {
    return this.nodes.size;
  }

  private announceAll(): void {
    if (this.nodes.size === 0) {
      // Alone, as far as this node knows: a hello is enough for a node that missed ours (one
      // started during a bus outage) to find us, without encoding every participant each time.
      this.send({ type: "hello", node: this.nodeId });
      return;
    }
    const rooms: Record<string, WireParticipant[]> = {};
    for (const [sessionId, participants] of this.options.local()) rooms[sessionId] = participants.map(toWire);
    this.send({ type: "presence", node: this.nodeId, rooms });
  }

  private expire(): void {
    const now = Date.now();
    for (const [node, view] of this.nodes) {
      if (now - view.heardAt >= this.heartbeatMs * 3) {
        this.nodes.delete(node);
        this.options.onNodeGone(node);
      }
    }
  }

  private view(node: string): NodeView {
    let view = this.nodes.get(node);
    if (!view) {
      view = { heardAt: Date.now(), rooms: new Map() };
      this.nodes.set(node, view);
    }
    view.heardAt = Date.now();
    return view;
  }

  private receive(payload: Uint8Array): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(decoder.decode(payload)) as ControlMessage;
    } catch (error) {
      this.logger.warn("unreadable control message", { error: String(error) });
      return;
    }
    if (message.node === this.nodeId) return;
    switch (message.type) {
      case "presence": {
        const view = this.view(message.node);
        const known = view.rooms;
        view.rooms = new Map(Object.entries(message.rooms).map(([id, list]) => [id, list.map(fromWire)]));
        for (const id of view.rooms.keys()) if (!known.has(id)) this.options.onRoomSeen?.(id);
        break;
      }
      case "room": {
        const view = this.view(message.node);
        const seen = !view.rooms.has(message.sessionId);
        if (message.participants) view.rooms.set(message.sessionId, message.participants.map(fromWire));
        else view.rooms.delete(message.sessionId);
        if (message.participants && seen) this.options.onRoomSeen?.(message.sessionId);
        break;
      }
      case "hello":
        this.view(message.node);
        this.announceAll();
        break;
      case "bye":
        this.nodes.delete(message.node);
        this.options.onNodeGone(message.node);
        break;
      case "close":
        this.options.onClose(message.sessionId, message.reason);
        break;
    }
  }

  private send(message: ControlMessage): void {
    void this.sendNow(message);
  }

  private async sendNow(message: ControlMessage): Promise<void> {
    try {
      await this.bus.publish(controlChannel, encoder.encode(JSON.stringify(message)));
    } catch (error) {
      this.logger.warn("could not reach the other nodes", { error: String(error), type: message.type });
    }
  }
}
