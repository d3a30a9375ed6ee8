import { afterAll, beforeAll, expect, test } from "bun:test";
import type { AppRouter } from "@pairpad/api";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import type { RunningServer } from "./main.ts";
import { eventually, startTestServer } from "./testing.ts";

let server: RunningServer;
const [pglite] = testDatabaseTargets();

beforeAll(async () => {
  if (!pglite) throw new Error("no test database");
  server = await startTestServer(pglite);
});
afterAll(() => server.stop());

function client(token?: string) {
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: `${server.url}/trpc`, EventSource }),
        false: httpBatchLink({ url: `${server.url}/trpc`, headers }),
      }),
    ],
  });
}

test("session events stream over SSE to every subscriber, in order", async () => {
  const anonymous = client();
  const session = await anonymous.session.create.mutate({ title: "Events", language: "python" });
  const interviewer = client(session.interviewerToken);
  const seen: string[][] = [[], []];
  const subscriptions = [0, 1].map((i) =>
    anonymous.events.session.subscribe(
      { id: session.id },
      {
        onData: (event) =>
          seen[i]?.push(
            event.data.type === "session-updated" ? `updated:${event.data.session.title}` : event.data.type,
          ),
      },
    ),
  );
  try {
    // The subscription is live once an event published after it arrives; retry until then.
    await eventually(async () => {
      await anonymous.code.save.mutate({ id: session.id, label: "ping" });
      expect(seen[0]).toContain("snapshot-saved");
      expect(seen[1]).toContain("snapshot-saved");
    });
    await interviewer.session.update.mutate({ id: session.id, title: "Renamed" });
    await interviewer.session.update.mutate({ id: session.id, status: "ended" });
    await eventually(() => {
      for (const events of seen) {
        const tail = events.filter((e) => e !== "snapshot-saved");
        expect(tail).toEqual(["updated:Renamed", "session-ended", "updated:Renamed"]);
      }
    });
  } finally {
    for (const s of subscriptions) s.unsubscribe();
  }
});

test("a subscription to an unknown session fails with NOT_FOUND instead of hanging", async () => {
  const error = await new Promise<unknown>((resolve) => {
    const sub = client().events.session.subscribe(
      { id: "AAAAAAAAAAAAAAAAAAAAAA" },
      {
        onError: (e) => {
          sub.unsubscribe();
          resolve(e);
        },
        onData: () => resolve(new Error("unexpected data")),
      },
    );
  });
  expect(String((error as { data?: { code?: string } }).data?.code ?? error)).toContain("NOT_FOUND");
});
