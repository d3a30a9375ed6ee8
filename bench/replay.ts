/**
 * Replay of a one-hour interview of ~20,000 keystroke updates: how long the timeline takes to
 * load over REST, and what scrubbing costs (random seeks, like dragging the slider; sequential
 * steps, like playing). Usage: bun bench/replay.ts [--updates 20000]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { startServer } from "../apps/server/src/main.ts";
import { DocumentStore, type StoredUpdate } from "../packages/api/src/documents/store.ts";
import { Replayer } from "../packages/api/src/playback/replayer.ts";
import {
  decodeTimeline,
  type TimelinePage,
  type TimelineUpdate,
} from "../packages/api/src/playback/timeline.ts";

const count = Number(process.argv[process.argv.indexOf("--updates") + 1]) || 20_000;
const server = await startServer(
  {
    PORT: 0,
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    DATA_DIR: mkdtempSync(join(tmpdir(), "pairpad-bench-")),
  },
  process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {},
);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

try {
  const created = (await (
    await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "replay bench", language: "python" }),
    })
  ).json()) as { id: string; interviewerToken: string };

  // Two people typing for an hour: mostly appends near a moving caret, some deletions.
  const store = new DocumentStore(server.deps.db);
  const docs = [new Y.Doc(), new Y.Doc()];
  const start = Date.now() - 3_600_000;
  let batch: StoredUpdate[] = [];
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < count; i++) {
    const who = random() < 0.8 ? 0 : 1;
    const doc = docs[who] as Y.Doc;
    const text = doc.getText("code");
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => {
      update = u;
    };
    // Each keystroke as its own incremental update, as editors send them.
    doc.once("update", capture);
    if (text.length > 20 && random() < 0.12) text.delete(Math.floor(random() * (text.length - 1)), 1);
    else {
      const at = Math.max(0, text.length - Math.floor(random() * 40));
      text.insert(
        Math.min(at, text.length),
        random() < 0.08 ? "\n" : String.fromCharCode(97 + Math.floor(random() * 26)),
      );
    }
    if (!update) throw new Error("no update");
    Y.applyUpdate(docs[1 - who] as Y.Doc, update);
    batch.push({
      sessionId: created.id,
      update,
      actor: who === 0 ? "Candidate" : "Interviewer",
      at: new Date(start + (i * 3_600_000) / count),
    });
    if (batch.length === 1000) {
      await store.append(batch);
      batch = [];
    }
  }
  await store.append(batch);
  const finalCode = docs[0]?.getText("code").toString() ?? "";

  // Load: every page over REST, then decode.
  const loadStarted = performance.now();
  const updates: TimelineUpdate[] = [];
  let bytes = 0;
  let pages = 0;
  let cursor: number | undefined;
  do {
    const query = new URLSearchParams({ limit: "20000", ...(cursor ? { cursor: String(cursor) } : {}) });
    const response = await fetch(`${server.url}/api/sessions/${created.id}/playback?${query}`, {
      headers: { authorization: `Bearer ${created.interviewerToken}` },
    });
    const body = await response.text();
    bytes += body.length;
    pages++;
    const page = JSON.parse(body) as TimelinePage;
    updates.push(...decodeTimeline(page));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const loadMs = performance.now() - loadStarted;

  const replayer = new Replayer(updates);
  const buildStarted = performance.now();
  const end = replayer.seek(updates.length);
  const firstFullPassMs = performance.now() - buildStarted;
  if (end.code !== finalCode) throw new Error("replay does not rebuild the final code");

  // Scrubbing: random positions, as a dragged slider produces.
  const seeks: number[] = [];
  for (let i = 0; i < 300; i++) {
    const target = Math.floor(random() * updates.length);
    const t0 = performance.now();
    replayer.seek(target);
    seeks.push(performance.now() - t0);
  }
  // Playing: one update at a time, as the 1× to 32× player does.
  replayer.seek(0);
  const steps: number[] = [];
  for (let i = 1; i <= updates.length; i += 1) {
    const t0 = performance.now();
    replayer.seek(i);
    steps.push(performance.now() - t0);
  }

  const row = (name: string, value: string) => console.log(`${name.padEnd(44)} ${value}`);
  console.log(`\nReplay of ${updates.length} updates (${server.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
  row(
    "timeline over REST (all pages) + decode",
    `${loadMs.toFixed(0)} ms, ${pages} page(s), ${(bytes / 1024).toFixed(0)} KiB`,
  );
  row("first pass to the end (builds checkpoints)", `${firstFullPassMs.toFixed(0)} ms`);
  row(
    "random seek (slider drag) p50 / p99 / max",
    `${percentile(seeks, 50).toFixed(2)} / ${percentile(seeks, 99).toFixed(2)} / ${Math.max(...seeks).toFixed(2)} ms`,
  );
  row("play step p50 / p99", `${percentile(steps, 50).toFixed(3)} / ${percentile(steps, 99).toFixed(3)} ms`);
  row("final code length", `${finalCode.length} chars`);
} finally {
  await server.stop();
}
