import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { retryableAssertion } from "../rooms/test-support.ts";
import { RedisBus } from "./redis-bus.ts";

const url = process.env.REDIS_URL;

describe.skipIf(!url)("RedisBus on a real Redis", () => {
  let a: RedisBus;
  let b: RedisBus;
  const prefix = `pairpad-test-${crypto.randomUUID()}:`;

  beforeAll(async () => {
    a = await RedisBus.connect(url as string, { prefix });
    b = await RedisBus.connect(url as string, { prefix });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  test("binary payloads cross between nodes byte for byte, in order", async () => {
    const received: Uint8Array[] = [];
    const stop = await b.subscribe("room:x", (payload) => received.push(new Uint8Array(payload)));
    const payloads = [
      new Uint8Array([0, 255, 1, 128, 0]),
      new Uint8Array(70_000).map((_, i) => i % 256),
      new Uint8Array(0),
    ];
    for (const p of payloads) await a.publish("room:x", p);
    await retryableAssertion(() => expect(received).toEqual(payloads));
    await stop();
    // A marker published after the stray message, heard on b's same connection: Redis delivers in
    // publication order, so once the marker is here the stray one would have been too.
    const markers: number[] = [];
    const stopMarker = await b.subscribe("room:x-marker", (p) => markers.push(p[0] as number));
    await a.publish("room:x", new Uint8Array([9]));
    await a.publish("room:x-marker", new Uint8Array([1]));
    await retryableAssertion(() => expect(markers).toEqual([1]));
    await stopMarker();
    expect(received.length).toBe(payloads.length);
  });

  test("several handlers on one channel; unsubscribing one keeps the other", async () => {
    const first: number[] = [];
    const second: number[] = [];
    const stopFirst = await b.subscribe("room:y", (p) => first.push(p[0] as number));
    const stopSecond = await b.subscribe("room:y", (p) => second.push(p[0] as number));
    await a.publish("room:y", new Uint8Array([1]));
    await retryableAssertion(() => expect([first, second]).toEqual([[1], [1]]));
    await stopFirst();
    await a.publish("room:y", new Uint8Array([2]));
    await retryableAssertion(() => expect(second).toEqual([1, 2]));
    expect(first).toEqual([1]);
    await stopSecond();
  });

  test("a node hears its own messages too (rooms skip them by node id)", async () => {
    const own: number[] = [];
    const stop = await a.subscribe("self", (p) => own.push(p[0] as number));
    await a.publish("self", new Uint8Array([7]));
    await retryableAssertion(() => expect(own).toEqual([7]));
    await stop();
    expect(a.nodeId).not.toBe(b.nodeId);
  });
});
