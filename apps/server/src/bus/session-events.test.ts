import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RedisBus } from "./redis-bus.ts";
import { BusSessionEvents } from "./session-events.ts";

const url = process.env.REDIS_URL;
type Event = { type: string; n: number };

describe.skipIf(!url)("BusSessionEvents.delivered over a real Redis", () => {
  let bus: RedisBus;
  beforeAll(async () => {
    bus = await RedisBus.connect(url as string, { prefix: `pairpad-test-${crypto.randomUUID()}:` });
  });
  afterAll(() => bus.close());

  test("resolves once every event this node published has come back to its listeners", async () => {
    const events = new BusSessionEvents<Event>(bus);
    const received: number[] = [];
    const stop = events.subscribe("s1", (event) => received.push(event.n));
    await events.ready("s1");
    const count = 300;
    // Asked while the events are still on their way to Redis and back.
    const published = Promise.all(
      Array.from({ length: count }, (_, n) => events.publish("s1", { type: "tick", n })),
    );
    await events.delivered();
    expect(received).toEqual(Array.from({ length: count }, (_, n) => n));
    await published;
    stop();
  });

  test("never waits for events no listener of this node is left to receive", async () => {
    const events = new BusSessionEvents<Event>(bus);
    // Published where nobody here listens: nothing comes back.
    await events.publish("nobody", { type: "tick", n: 1 });
    await events.delivered();
    // Published, then its only listener leaves before it arrives.
    const stop = events.subscribe("s2", () => {});
    await events.ready("s2");
    const published = events.publish("s2", { type: "tick", n: 2 });
    stop();
    await events.delivered();
    await published;
    await events.delivered();
  });
});
