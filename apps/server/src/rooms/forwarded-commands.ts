import type { Logger } from "@pairpad/api/ports";
import { encodeJsonMessage, nodeChannel, PeerKind } from "./peer-messages.ts";

/** A directory call that another node may carry out for us (where the room is loaded). */
export type Command =
  | { op: "read" }
  | { op: "replace"; code: string; actor: string }
  | { op: "meta"; values: Record<string, unknown>; actor: string | null };

/** `id` is unique across nodes and the same for every attempt of one call. */
export type CommandReply = { id: string; ok: true; result: unknown } | { id: string; ok: false };

/** Attempts of a forwarded change, `timeoutMs` each, while its node still has the room. */
const COMMAND_ATTEMPTS = 3;
/** How long a node remembers the changes it carried out for others, so a retry is not applied twice. */
const REMEMBER_COMMANDS_MS = 5 * 60_000;
const MAX_REMEMBERED_COMMANDS = 10_000;

export interface ForwardedCommandsOptions {
  nodeId: string;
  /** How long one attempt waits for the other node's answer. */
  timeoutMs: number;
  logger: Logger;
  /** Other nodes that have the session's room loaded, most recently heard first. */
  nodesWith(sessionId: string): string[];
  publish(channel: string, data: Uint8Array): void;
  /** This node is shutting down: a call that gets no answer is not tried again. */
  closing(): boolean;
  /** Carries out a command on the room if this node has it live; `undefined` when it does not. */
  runHere(sessionId: string, command: Command): { result: unknown } | undefined;
}

/**
 * Directory calls for rooms another node holds: sent to that node and answered over the bus. A
 * change is never applied twice: a retry carries the same id, and the node that carried it out
 * answers a retry from memory.
 */
export class ForwardedCommands {
  private readonly requests = new Map<string, (reply: CommandReply | null) => void>();
  /** Replies to changes carried out for other nodes, by request id, oldest first. */
  private readonly handled = new Map<string, { reply: CommandReply; at: number }>();
  private nextRequest = 1;

  constructor(private readonly options: ForwardedCommandsOptions) {}

  /** Runs `command` on a node that has the room; `stored()` when none has it (or none does any more). */
  async forward(sessionId: string, command: Command, stored: () => Promise<unknown>): Promise<unknown> {
    const id = `${this.options.nodeId}:${this.nextRequest++}`;
    for (const node of this.options.nodesWith(sessionId)) {
      for (let attempt = 1; ; attempt++) {
        const reply = await this.request(node, id, sessionId, command);
        if (reply?.ok) return reply.result;
        // It answered that it does not have the room: nothing was applied there.
        if (reply || command.op === "read") break;
        // No answer: the change may have been applied and only the reply lost. Asking again with
        // the same id is safe (the node remembers it); applying it elsewhere is not, as long as
        // the node still has the room (once it unloads, its state is in the database).
        if (!this.options.nodesWith(sessionId).includes(node)) break;
        if (attempt === COMMAND_ATTEMPTS || this.options.closing()) {
          throw Object.assign(new Error(`the node holding session ${sessionId} does not answer`), {
            code: "ETIMEDOUT",
          });
        }
      }
    }
    return stored();
  }

  /** Another node asks this one to carry out a command. */
  onCommand(origin: string, body: unknown): void {
    const { id, sessionId, command } = body as { id: string; sessionId: string; command: Command };
    let reply: CommandReply = this.handled.get(id)?.reply ?? { id, ok: false };
    if (!reply.ok) {
      try {
        const here = this.options.runHere(sessionId, command);
        if (here) {
          reply = { id, ok: true, result: here.result ?? null };
          if (command.op !== "read") this.remember(reply);
        }
      } catch (error) {
        this.options.logger.warn("forwarded call failed", { sessionId, error: String(error) });
      }
    }
    this.options.publish(nodeChannel(origin), encodeJsonMessage(PeerKind.reply, this.options.nodeId, reply));
  }

  onReply(body: unknown): void {
    const reply = body as CommandReply;
    this.requests.get(reply.id)?.(reply);
  }

  /** Calls still waiting get no answer (shutdown). */
  stop(): void {
    for (const finish of this.requests.values()) finish(null);
  }

  /** A change carried out for another node: a retry of the same request gets this reply again. */
  private remember(reply: CommandReply): void {
    const now = Date.now();
    this.handled.set(reply.id, { reply, at: now });
    for (const [id, entry] of this.handled) {
      if (now - entry.at < REMEMBER_COMMANDS_MS && this.handled.size <= MAX_REMEMBERED_COMMANDS) break;
      this.handled.delete(id);
    }
  }

  private request(
    node: string,
    id: string,
    sessionId: string,
    command: Command,
  ): Promise<CommandReply | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), this.options.timeoutMs);
      const finish = (reply: CommandReply | null) => {
        clearTimeout(timer);
        this.requests.delete(id);
        resolve(reply);
      };
      this.requests.set(id, finish);
      this.options.publish(
        nodeChannel(node),
        encodeJsonMessage(PeerKind.command, this.options.nodeId, { id, sessionId, command }),
      );
    });
  }
}
