import { randomBytes } from "node:crypto";
import type { Bus } from "./bus.ts";

/** The bus of a single node: delivers to this process's subscribers only. */
export class LocalBus implements Bus {
  readonly nodeId = randomBytes(6).toString("hex");
  private readonly channels = new Map<string, Set<(payload: Uint8Array) => void>>();

  async publish(channel: string, payload: Uint8Array): Promise<void> {
    for (const handler of this.channels.get(channel) ?? []) {
      queueMicrotask(() => handler(payload));
    }
  }

  async subscribe(channel: string, handler: (payload: Uint8Array) => void) {
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.channels.delete(channel);
    };
  }

  /** In-process delivery never drops a message. */
  onReconnect(): void {}

  async ping(): Promise<void> {}
  async close(): Promise<void> {
    this.channels.clear();
  }
}
