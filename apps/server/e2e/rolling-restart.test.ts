/**
 * A rolling restart with nothing lost: two real server processes on PostgreSQL and Redis behind a
 * real HAProxy; clients edit through it with the standard y-websocket provider, a run is in flight
 * and an SSE subscriber (the `eventsource` package) listens. Each node in turn gets SIGTERM and is
 * started again. Run twice in a row on the same cluster.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { EventSource } from "eventsource";
import postgres from "postgres";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { eventually } from "../src/testing.ts";
import { Balancer, haproxyBinary, type ServerNode, serverNodes } from "./cluster-support.ts";
import { freshPostgres } from "./realtime-support.ts";

setDefaultTimeout(300_000);

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const missing = [
  !databaseUrl && "DATABASE_URL",
  !redisUrl && "REDIS_URL",
  !haproxyBinary && "haproxy",
].filter(Boolean);
if (missing.length > 0) {
  console.warn(`rolling-restart.test.ts skipped: needs ${missing.join(", ")} (CI has them)`);
}

type RunResponse = { status: string; stdout: string; runId: string };
type Client = { doc: Y.Doc; provider: WebsocketProvider; text: Y.Text; made: string[] };

interface SseEvent {
  id: string;
  type: string;
  runId?: string;
  snapshotId?: string;
}

describe.skipIf(missing.length > 0)("rolling restart behind HAProxy on PostgreSQL and Redis", () => {
  let drop: () => Promise<void>;
  let sql: postgres.Sql;
  let nodes: ServerNode[];
  let balancer: Balancer;

  beforeAll(async () => {
    const db = await freshPostgres(databaseUrl as string);
    drop = db.drop;
    sql = postgres(db.url, { max: 1, onnotice: () => {} });
    nodes = serverNodes(2, {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl as string,
      REDIS_PREFIX: `pairpad-rolling-${crypto.randomUUID()}:`,
      LOG_LEVEL: "debug",
      SANDBOX_PREWARM: "1",
      SHUTDOWN_TIMEOUT_SECONDS: "60",
      // Long enough to see /readyz answer 503 before the node stops accepting.
      SHUTDOWN_DELAY_SECONDS: "0.5",
    });
    await Promise.all(nodes.map((node) => node.start()));
    balancer = new Balancer(nodes);
    await balancer.start();
  });

  afterAll(async () => {
    await balancer?.stop();
    await Promise.all((nodes ?? []).map((node) => node.kill()));
    await sql?.end();
    await drop?.();
  });

  const api = (path: string, init?: RequestInit) => fetch(`${balancer.url}/api${path}`, init);
  const post = (path: string, body: unknown) =>
    api(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  /** Waits until HAProxy sends requests to `node` again (its checks saw it ready). */
  async function balancedTo(node: ServerNode): Promise<void> {
    await eventually(async () => {
      const before = await runsServedBy(node);
      for (let i = 0; i < 4; i++) await fetch(`${balancer.url}/api/languages`);
      expect(await runsServedBy(node)).toBeGreaterThan(before);
    }, 60_000);
  }

  async function runsServedBy(node: ServerNode): Promise<number> {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    const line = text
      .split("\n")
      .find(
        (l) =>
          l.startsWith("pairpad_http_request_duration_seconds_count{") &&
          l.includes('route="/api/languages"'),
      );
    return Number(line?.split(" ").pop() ?? 0);
  }

  async function connectionsOn(node: ServerNode): Promise<number> {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    return Number(text.match(/^pairpad_ws_connections (\d+)/m)?.[1] ?? 0);
  }

  async function runningOn(node: ServerNode): Promise<number> {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    return Number(text.match(/^pairpad_runs_active (\d+)/m)?.[1] ?? 0);
  }

  for (const round of [1, 2]) {
    test(`round ${round}: SIGTERM each node in turn while clients edit, a run is in flight and SSE listens`, async () => {
      const created = (await (
        await post("/sessions", { title: `Rolling ${round}`, language: "python" })
      ).json()) as { id: string; interviewerToken: string };
      const sessionId = created.id;
      /** What a run reads; like the code, it must never reach the logs. */
      const stdin = `STDIN-${crypto.randomUUID()}`;

      // SSE subscriber through the balancer; it resumes by itself with Last-Event-ID.
      const events: SseEvent[] = [];
      const input = encodeURIComponent(JSON.stringify({ id: sessionId }));
      const source = new EventSource(`${balancer.url}/trpc/events.session?input=${input}`);
      source.onmessage = (message) => {
        const data = JSON.parse(message.data) as { type: string; runId?: string; snapshot?: { id: string } };
        events.push({
          id: message.lastEventId,
          type: data.type,
          runId: data.runId,
          snapshotId: data.snapshot?.id,
        });
      };

      let closes: Array<number | string> = [];
      const clients: Client[] = ["Ada", "Grace", "Linus"].map((name) => {
        const doc = new Y.Doc();
        const provider = new WebsocketProvider(
          `${balancer.url.replace("http", "ws")}/ws/sessions`,
          sessionId,
          doc,
          {
            WebSocketPolyfill: WebSocket as never,
            disableBc: true,
            maxBackoffTime: 500,
          },
        );
        provider.awareness.setLocalStateField("user", { name, color: "#3f51b5", role: "candidate" });
        // How each socket that was open closed (a failed attempt to connect is not counted).
        provider.on("connection-close", (event) => {
          if (provider.wsconnected) closes.push(event?.code ?? "closed here");
        });
        return { doc, provider, text: doc.getText("code"), made: [] };
      });
      await eventually(() => expect(clients.every((c) => c.provider.synced)).toBe(true), 30_000);

      // Every client types all along, connected or not: edits made while away sync on reconnect.
      /** Every run made in this session (some land on the node that keeps running). */
      const runIds: string[] = [];
      /** A run through the balancer that is running on `node`; runs landing elsewhere are let finish. */
      async function runInFlightOn(node: ServerNode): Promise<Promise<RunResponse>> {
        for (let attempt = 0; attempt < 20; attempt++) {
          const run = post("/execute", {
            language: "python",
            code: "import time\ntime.sleep(2.5)\nprint('survived')",
            stdin,
            sessionId,
          }).then((r) => r.json() as Promise<RunResponse>);
          const where = await eventually(async () => {
            for (const candidate of nodes) if ((await runningOn(candidate)) > 0) return candidate;
            throw new Error("the run has not started yet");
          }, 30_000);
          if (where === node) return run;
          runIds.push((await run).runId);
        }
        throw new Error(`no run landed on ${node.name}`);
      }
      let typing = true;
      const typists = clients.map(async (client, i) => {
        for (let n = 0; typing; n++) {
          const token = `<${round}.${i}.${n}>`;
          // At either end, so that no token is ever split by another.
          client.text.insert(Math.random() < 0.5 ? 0 : client.text.length, token);
          client.made.push(token);
          await Bun.sleep(40);
        }
      });
      // Snapshots saved all along: each one announced on the event stream, none may be missing.
      const saved: string[] = [];
      let saving = true;
      const saver = (async () => {
        while (saving) {
          const response = await post(`/sessions/${sessionId}/code`, { label: "tick" }).catch(() => null);
          if (response?.ok) saved.push(((await response.json()) as { id: string }).id);
          await Bun.sleep(150);
        }
      })();

      try {
        await eventually(() => expect(events.some((e) => e.type === "snapshot-saved")).toBe(true), 30_000);
        for (const victim of [0, 1]) {
          const node = nodes[victim] as ServerNode;
          const run = await runInFlightOn(node);
          const sockets = await connectionsOn(node);
          closes = [];
          const stopped = node.terminate();
          // Not ready any more while it drains, then not accepting at all; its run goes on.
          await eventually(async () => expect((await fetch(`${node.url}/readyz`)).status).toBe(503), 10_000);
          await eventually(async () => {
            const refused = await fetch(`${node.url}/api/languages`).then(
              () => false,
              () => true,
            );
            expect(refused).toBe(true);
          }, 10_000);
          const result = await run;
          expect(result).toMatchObject({ status: "ok", stdout: "survived\n" });
          runIds.push(result.runId);
          expect(await stopped).toBe(0);
          expect(node.logs.some((line) => line.includes('"message":"drained"'))).toBe(true);
          await eventually(() => expect(clients.every((c) => c.provider.wsconnected)).toBe(true), 30_000);
          // Its sockets were closed as "going away" (1001), and only those.
          expect(closes).toEqual(Array(sockets).fill(1001));
          if (victim === 1) expect(sockets).toBe(clients.length);
          await Bun.sleep(300); // edits keep flowing through the other node
          await node.start();
          await balancedTo(node);
        }
      } finally {
        typing = false;
        saving = false;
        await Promise.all([...typists, saver]);
      }

      // Every client converges on one document holding every edit anyone made.
      await eventually(() => {
        const texts = clients.map((c) => c.text.toString());
        for (const text of texts) expect(text).toBe(texts[0] as string);
      }, 60_000);
      const final = clients[0]?.text.toString() ?? "";
      const made = clients.flatMap((c) => c.made);
      expect(made.filter((token) => !final.includes(token))).toEqual([]);
      expect(made.length).toBeGreaterThan(100);

      // The stored document has it all too (read through the balancer from the live room).
      const stored = (await (await api(`/sessions/${sessionId}/code`)).json()) as { code: string };
      expect(stored.code).toBe(final);

      // The SSE stream resumed after each restart without a gap and without a repeat.
      await eventually(() => {
        const announced = events.filter((e) => e.type === "snapshot-saved").map((e) => e.snapshotId);
        expect(saved.filter((id) => !announced.includes(id))).toEqual([]);
      }, 30_000);
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const finished = events.filter((e) => e.type === "run-finished").map((e) => e.runId);
      expect(finished.sort()).toEqual([...runIds].sort());
      source.close();
      for (const client of clients) client.provider.destroy();

      // Nothing was logged twice: no Yjs item id in two rows of the update log, one history row per run.
      // The update log alone rebuilds the document every client ended with: each node flushed it
      // (the node still running writes its last edits within a flush interval, hence the wait).
      await eventually(async () => {
        const rows = await sql<{ update: Uint8Array }[]>`
          select update from document_updates where session_id = ${sessionId} order by id`;
        const seen = new Map<number, Array<[number, number]>>();
        const overlaps: string[] = [];
        for (const row of rows) {
          for (const struct of Y.decodeUpdate(new Uint8Array(row.update)).structs) {
            if (!(struct instanceof Y.Item)) continue;
            const { client, clock } = struct.id;
            const ranges = seen.get(client) ?? [];
            const end = clock + struct.length;
            if (ranges.some(([from, to]) => clock < to && from < end)) overlaps.push(`${client}:${clock}`);
            ranges.push([clock, end]);
            seen.set(client, ranges);
          }
        }
        expect(rows.length).toBeGreaterThan(0);
        expect(overlaps).toEqual([]);
        const rebuilt = new Y.Doc();
        for (const row of rows) Y.applyUpdate(rebuilt, new Uint8Array(row.update));
        expect(rebuilt.getText("code").toString()).toBe(final);
      }, 10_000);
      const history = await sql<{ run_id: string }[]>`
        select payload->>'runId' as run_id from history_entries where session_id = ${sessionId} and kind = 'run'`;
      expect(history.map((h) => h.run_id).sort()).toEqual([...runIds].sort());

      // No node logged the interviewer token, the code (the document's or a run's) or a run's stdin.
      const logged = nodes.flatMap((node) => node.logs).join("\n");
      for (const secret of [
        created.interviewerToken,
        stdin,
        "time.sleep",
        made[0] as string,
        made.at(-1) as string,
      ])
        expect(logged.includes(secret) ? `found ${secret}` : "absent").toBe("absent");
    });
  }
});
