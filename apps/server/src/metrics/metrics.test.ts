import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { getMetricsFromIterator, type PromMetrics } from "prom2javascript";
import type { RunningServer } from "../main.ts";
import { connectProvider, eventually, startTestServer } from "../testing.ts";

type Sample = { labels: Record<string, string>; value?: number; count?: number };

/** Scrapes and parses with a Prometheus text-format parser (which throws on a malformed line). */
async function scrape(server: RunningServer): Promise<{ text: string; families: PromMetrics }> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  const text = await response.text();
  return { text, families: await getMetricsFromIterator(text.split("\n")[Symbol.iterator]()) };
}

function family(families: PromMetrics, name: string, type: string) {
  const found = families[name];
  if (!found) throw new Error(`${name} is not in the exposition`);
  expect(found.type).toBe(type);
  return found;
}

const samples = (families: PromMetrics, name: string, labels: Record<string, string>) =>
  ((families[name]?.data ?? []) as Sample[]).filter((m) =>
    Object.entries(labels).every(([k, v]) => m.labels[k] === v),
  );

/** A counter's or gauge's value for the series with these labels (0 when absent). */
const value = (families: PromMetrics, name: string, labels: Record<string, string> = {}) =>
  samples(families, name, labels)[0]?.value ?? 0;

/** A histogram's observation count over the series with these labels (0 when absent). */
const count = (families: PromMetrics, name: string, labels: Record<string, string> = {}) =>
  samples(families, name, labels).reduce((n, m) => n + (m.count ?? 0), 0);

for (const target of testDatabaseTargets()) {
  describe(`/metrics after a session with edits and runs (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(target);
    });
    afterAll(() => server.stop());

    test("histograms and counters move, routes are patterns, the exposition parses", async () => {
      const before = (await scrape(server)).families;

      const created = (await (
        await fetch(`${server.url}/api/sessions?ref=mail`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Metrics", language: "python" }),
        })
      ).json()) as { id: string };
      expect((await fetch(`${server.url}/api/sessions/${created.id}`)).status).toBe(200);

      const alice = connectProvider(server, created.id, "Alice");
      const bob = connectProvider(server, created.id, "Bob");
      try {
        await eventually(() => expect(alice.provider.synced && bob.provider.synced).toBe(true));
        for (let i = 0; i < 20; i++) alice.text.insert(alice.text.length, `print(${i})\n`);
        await eventually(() => expect(bob.text.toString()).toBe(alice.text.toString()));
        const run = await fetch(`${server.url}/api/execute`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ language: "python", code: "print(6 * 7)", sessionId: created.id }),
        });
        expect(await run.json()).toMatchObject({ status: "ok", stdout: "42\n" });
        // The edits reach the update log within a flush interval.
        await eventually(async () => {
          const { families } = await scrape(server);
          expect(value(families, "pairpad_update_log_persisted_updates_total")).toBeGreaterThanOrEqual(20);
        });

        const { text, families } = await scrape(server);
        // Route labels are patterns: no session id, no query string anywhere in the exposition.
        expect(text).not.toContain(created.id);
        expect(text).not.toContain("ref=mail");
        family(families, "pairpad_http_request_duration_seconds", "histogram");
        const created201 = { method: "POST", route: "/api/sessions", status: "201" };
        expect(count(families, "pairpad_http_request_duration_seconds", created201)).toBe(1);
        const got = { method: "GET", route: "/api/sessions/{id}", status: "200" };
        expect(count(families, "pairpad_http_request_duration_seconds", got)).toBe(1);
        expect(
          count(families, "pairpad_http_request_duration_seconds", { route: "/metrics" }),
        ).toBeGreaterThanOrEqual(
          count(before, "pairpad_http_request_duration_seconds", { route: "/metrics" }) + 1,
        );
        expect(
          count(families, "pairpad_http_request_duration_seconds", {
            route: "/ws/sessions/{id}",
            status: "101",
          }),
        ).toBe(2);

        family(families, "pairpad_run_duration_seconds", "histogram");
        expect(count(families, "pairpad_run_duration_seconds", { language: "python", status: "ok" })).toBe(1);
        expect(count(families, "pairpad_run_queue_wait_seconds", { language: "python", status: "ok" })).toBe(
          1,
        );

        family(families, "pairpad_update_log_flush_duration_seconds", "histogram");
        expect(
          count(families, "pairpad_update_log_flush_duration_seconds", { outcome: "ok" }),
        ).toBeGreaterThan(count(before, "pairpad_update_log_flush_duration_seconds", { outcome: "ok" }));
        family(families, "pairpad_ws_messages_received_total", "counter");
        expect(
          value(families, "pairpad_ws_messages_received_total", { kind: "update" }),
        ).toBeGreaterThanOrEqual(20);
        expect(value(families, "pairpad_ws_messages_received_total", { kind: "awareness" })).toBeGreaterThan(
          0,
        );
        expect(value(families, "pairpad_ws_connections")).toBe(2);
        expect(value(families, "pairpad_rooms")).toBe(1);
        expect(value(families, "pairpad_update_log_backlog")).toBeGreaterThanOrEqual(0);
        family(families, "pairpad_bus_reconnects_total", "counter");
        family(families, "pairpad_sandbox_pool", "gauge");

        family(families, "process_cpu_seconds_total", "counter");
        expect(value(families, "process_cpu_seconds_total")).toBeGreaterThan(
          value(before, "process_cpu_seconds_total"),
        );
        expect(value(families, "process_resident_memory_bytes")).toBeGreaterThan(0);
        expect(value(families, "process_open_fds")).toBeGreaterThan(0);
      } finally {
        alice.provider.destroy();
        bob.provider.destroy();
      }
      await eventually(async () =>
        expect(value((await scrape(server)).families, "pairpad_ws_connections")).toBe(0),
      );
    });
  });
}
