import { randomBytes } from "node:crypto";
import Redis, { type RedisOptions } from "ioredis";
import type { Bus } from "./bus.ts";

type Handler = (payload: Uint8Array) => void;

/**
 * The bus between the nodes of a deployment, over Redis pub/sub. Publishing and subscribing use
 * separate connections (a subscribed connection can do nothing else); payloads are binary both
 * ways (`messageBuffer`). Channels are prefixed so several deployments can share one Redis.
 */
export class RedisBus implements Bus {
  readonly nodeId = randomBytes(6).toString("hex");
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Subscriptions in flight per channel, so a quick unsubscribe/subscribe pair stays ordered. */
  private readonly changes = new Map<string, Promise<unknown>>();
  private readonly reconnectListeners: Array<() => void> = [];

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      if (!name.startsWith(this.prefix)) return;
      const handlers = this.handlers.get(name.slice(this.prefix.length));
      if (!handlers) return;
      const payload = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      for (const handler of handlers) handler(payload);
    });
    // Connection errors while Redis is away surface as failed publishes (logged by the callers)
    // and in /readyz; unhandled here, ioredis would print each reconnect attempt.
    for (const connection of [publisher, subscriber]) connection.on("error", () => {});
    // "ready" after the first connect is a reconnect; messages published while the connection was
    // down never reach it.
    subscriber.on("ready", () => {
      // ioredis re-sends the subscriptions right after emitting "ready": queued behind them, a
      // ping answers once they are active, so listeners hear the answers to what they publish.
      queueMicrotask(() => void this.reconnected().catch(() => {}));
    });
  }

  private async reconnected(): Promise<void> {
    await this.subscriber.ping();
    if (this.publisher.status !== "ready") {
      await new Promise((resolve) => this.publisher.once("ready", resolve));
    }
    for (const listener of this.reconnectListeners) listener();
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  /** Connects both connections; rejects if Redis cannot be reached. */
  static async connect(
    url: string,
    options: { prefix?: string; redis?: RedisOptions } = {},
  ): Promise<RedisBus> {
    const settings: RedisOptions = { maxRetriesPerRequest: 3, lazyConnect: true, ...options.redis };
    const publisher = new Redis(url, { ...settings, connectionName: "pairpad-bus-pub" });
    const subscriber = new Redis(url, { ...settings, connectionName: "pairpad-bus-sub" });
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw error;
    }
    return new RedisBus(publisher, subscriber, options.prefix ?? "pairpad:");
  }

  async publish(channel: string, payload: Uint8Array): Promise<void> {
    const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    await this.publisher.publish(this.prefix + channel, buffer);
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    const name = this.prefix + channel;
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
    }
    handlers.add(handler);
    // Redis confirms each SUBSCRIBE; later messages are delivered in order on this connection.
    await this.serialise(channel, () => this.subscriber.subscribe(name));
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      const current = this.handlers.get(channel);
      current?.delete(handler);
      if (current && current.size === 0) {
        this.handlers.delete(channel);
        await this.serialise(channel, () =>
          // Someone may have subscribed again meanwhile.
          this.handlers.has(channel) ? Promise.resolve() : this.subscriber.unsubscribe(name),
        );
      }
    };
  }

  private serialise(channel: string, step: () => Promise<unknown>): Promise<unknown> {
    const previous = this.changes.get(channel) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(step);
    this.changes.set(channel, next);
    void next
      .finally(() => {
        if (this.changes.get(channel) === next) this.changes.delete(channel);
      })
      .catch(() => {});
    return next;
  }

  async ping(): Promise<void> {
    await this.publisher.ping();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
