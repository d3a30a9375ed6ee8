/**
 * Per-client limits behind a real load balancer: HAProxy (`option forwardfor`, as the shipped
 * Compose file has it) in front of a node that trusts it. Each user keeps limits of their own, and
 * a client that writes its own X-Forwarded-For does not escape them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Balancer, haproxyBinary, serverNodes } from "./cluster-support.ts";

/** A session create from a chosen loopback address (127.0.0.x): a distinct user to the balancer. */
function createFrom(
  url: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: hostname,
        port,
        path: "/api/sessions",
        method: "POST",
        localAddress,
        agent: false,
        headers: { "content-type": "application/json", ...headers },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end("{}");
  });
}

describe.skipIf(!haproxyBinary)("per-client limits behind a load balancer", () => {
  const [node] = serverNodes(1, {
    // The balancer connects from 127.0.0.1; users come from other loopback addresses.
    TRUSTED_PROXIES: "127.0.0.1",
    SESSIONS_PER_MINUTE_PER_CLIENT: "2",
    LOG_LEVEL: "warn",
    DATA_DIR: mkdtempSync(join(tmpdir(), "pairpad-client-address-")),
  });
  if (!node) throw new Error("no node");
  const balancer = new Balancer([node]);
  beforeAll(async () => {
    await node.start();
    await balancer.start();
  }, 120_000);
  afterAll(async () => {
    await balancer.stop();
    await node.kill();
  });

  test("each user behind the balancer has limits of their own; a forged X-Forwarded-For changes nothing", async () => {
    const url = balancer.url;
    expect([await createFrom(url, "127.0.0.2"), await createFrom(url, "127.0.0.2")]).toEqual([201, 201]);
    expect(await createFrom(url, "127.0.0.2")).toBe(429);
    // Another user through the same balancer is not held back by the first one's use.
    expect(await createFrom(url, "127.0.0.3")).toBe(201);
    // The first user claims to be someone else: the balancer appends the address it saw.
    expect(await createFrom(url, "127.0.0.2", { "x-forwarded-for": "198.51.100.7" })).toBe(429);
    // Straight to the node, a header from an untrusted peer is not believed either.
    expect(await createFrom(node.url, "127.0.0.2", { "x-forwarded-for": "198.51.100.8" })).toBe(429);
  }, 60_000);
});
