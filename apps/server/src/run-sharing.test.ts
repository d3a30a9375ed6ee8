import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import http from "node:http";
import type { AppRouter } from "@pairpad/api";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { RunningServer } from "./main.ts";
import { eventually, startTestServer } from "./testing.ts";

const post = (server: RunningServer, path: string, body: unknown) =>
  fetch(`${server.url}/api${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** A POST from a chosen loopback address (127.0.0.x): a distinct client to the server. */
function postFrom(
  server: RunningServer,
  localAddress: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }> {
  const url = new URL(`${server.url}/api${path}`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        agent: false,
        headers: { "content-type": "application/json" },
        signal,
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json: JSON.parse(text) }),
        );
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

for (const target of testDatabaseTargets()) {
  describe(`the run queue is shared fairly and abandoned runs are dropped (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      // As in production: two runs at once, 32 waiting; a client's share is a quarter of that (9).
      server = await startTestServer(target, { MAX_CONCURRENT_RUNS: 2, RUN_QUEUE_SIZE: 32 });
    });
    afterAll(() => server.stop());
    const idle = () =>
      eventually(() => {
        expect(server.deps.runQueue.running).toBe(0);
        expect(server.deps.runQueue.waiting).toBe(0);
      });

    test("40 sleeping runs from one client do not starve a second client; leaving drops them all", async () => {
      const leave = new AbortController();
      const flood = Array.from({ length: 40 }, () =>
        postFrom(
          server,
          "127.0.0.2",
          "/execute",
          { language: "python", code: "import time\ntime.sleep(4)\nprint('a')" },
          leave.signal,
        ).catch(() => null),
      );
      await eventually(() => expect(server.deps.runQueue.running).toBe(2));
      const share = server.deps.runQueue.maxPerOwner;
      // Everything past the client's share is refused at once with 429 and when to come back.
      const refused = (await Promise.all(flood.slice(share))).filter((r) => r !== null);
      expect(refused).toHaveLength(40 - share);
      for (const response of refused) {
        expect(response.status).toBe(429);
        expect(response.json.code).toBe("TOO_MANY_REQUESTS");
        expect(String(response.json.message)).toContain("running or waiting");
        expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
      }
      let floodAnswered = 0;
      for (const pending of flood.slice(0, share)) void pending.then(() => floodAnswered++);

      const other = await postFrom(server, "127.0.0.3", "/execute", {
        language: "python",
        code: "print('b')",
      });
      expect(other.status).toBe(200);
      expect(other.json).toMatchObject({ status: "ok", stdout: "b\n" });
      // The second client went ahead of the first one's backlog (it needs several more rounds).
      expect(floodAnswered).toBeLessThan(share - 2);

      // The first client disconnects: its waiting runs never start, its running ones are killed.
      leave.abort();
      await idle();
    }, 30_000);

    test("a session holds at most its share whichever clients run in it; another session still runs", async () => {
      const created = (await (await post(server, "/sessions", {})).json()) as { id: string };
      const leave = new AbortController();
      const code = "import time\ntime.sleep(4)";
      // Two clients (the interviewer and the candidate, say) flood the same session together.
      const flood = ["127.0.0.4", "127.0.0.5"].flatMap((address) =>
        Array.from({ length: 6 }, () =>
          postFrom(
            server,
            address,
            "/execute",
            { language: "python", code, sessionId: created.id },
            leave.signal,
          ).catch(() => null),
        ),
      );
      await eventually(() => expect(server.deps.runQueue.running).toBe(2));
      const share = server.deps.runQueue.maxPerOwner;
      const refused = await eventually(async () => {
        const answered = await Promise.all(
          flood.map((pending) => Promise.race([pending, Bun.sleep(50).then(() => undefined)])),
        );
        const refusals = answered.filter((r) => r?.status === 429);
        expect(refusals).toHaveLength(flood.length - share);
        return refusals;
      });
      for (const response of refused) expect(String(response?.json.message)).toContain("this session has");

      // A third client in its own session is not held back by the crowded one.
      const other = await postFrom(server, "127.0.0.6", "/execute", {
        language: "python",
        code: "print('c')",
      });
      expect(other.status).toBe(200);
      expect(other.json).toMatchObject({ status: "ok", stdout: "c\n" });
      leave.abort();
      await idle();
    }, 30_000);

    test("a disconnected client's run stops over REST and over tRPC; the session sees it cancelled", async () => {
      const created = (await (await post(server, "/sessions", {})).json()) as { id: string };
      const code = "import time\nprint('start', flush=True)\ntime.sleep(30)";
      const rest = new AbortController();
      const restRun = fetch(`${server.url}/api/execute`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ language: "python", code, sessionId: created.id }),
        signal: rest.signal,
      }).catch(() => null);
      await eventually(() => expect(server.deps.runQueue.running).toBe(1));
      rest.abort();
      expect(await restRun).toBeNull();
      await idle();

      const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });
      const viaTrpc = new AbortController();
      const trpcRun = trpc.execute.run
        .mutate({ language: "python", code, sessionId: created.id }, { signal: viaTrpc.signal })
        .catch(() => null);
      await eventually(() => expect(server.deps.runQueue.running).toBe(1));
      viaTrpc.abort();
      expect(await trpcRun).toBeNull();
      await idle();

      await eventually(async () => {
        const history = (await (
          await fetch(`${server.url}/api/sessions/${created.id}/history?kind=run`)
        ).json()) as { items: Array<{ payload: { status: string; stderr: string } }> };
        expect(history.items).toHaveLength(2);
        for (const item of history.items) {
          expect(item.payload.status).toBe("internal_error");
          expect(item.payload.stderr).toContain("cancelled");
        }
      });
    }, 30_000);
  });
}
