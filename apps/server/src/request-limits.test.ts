/** Issue 10, finding 18 (the REST/tRPC part): session creation per client, and tRPC batch size. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { MAX_TRPC_BATCH } from "./http.ts";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`request limits (${target.name})`, () => {
    let server: RunningServer;

    beforeAll(async () => {
      server = await startTestServer(target, { SESSIONS_PER_MINUTE_PER_CLIENT: 5 });
    });
    afterAll(() => server.stop());

    test("a client creates a limited number of sessions a minute: then 429 with Retry-After", async () => {
      const before = await server.deps.db.$count(sessions);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await fetch(`${server.url}/api/sessions`, { method: "POST" })).status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
      const refused = await fetch(`${server.url}/api/sessions`, { method: "POST" });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ code: "TOO_MANY_REQUESTS" });
      const trpc = await fetch(`${server.url}/trpc/session.create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(trpc.status).toBe(429);
      expect(await server.deps.db.$count(sessions)).toBe(before + 5);
    });

    test("a tRPC batch over the cap is refused whole; one within it is answered", async () => {
      const batch = (n: number) => {
        const paths = Array.from({ length: n }, () => "languages.list").join(",");
        return fetch(`${server.url}/trpc/${paths}?batch=1`);
      };
      const huge = await batch(300);
      expect(huge.status).toBe(400);
      const body = (await huge.json()) as
        | Array<{ error: { data: { code: string } } }>
        | { error: { data: { code: string } } };
      expect(JSON.stringify(body)).toContain("BAD_REQUEST");
      expect((await batch(MAX_TRPC_BATCH + 1)).status).toBe(400);
      const fine = await batch(MAX_TRPC_BATCH);
      expect(fine.status).toBe(200);
      expect(((await fine.json()) as unknown[]).length).toBe(MAX_TRPC_BATCH);
    });
  });
}
