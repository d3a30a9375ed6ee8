/**
 * What one `/metrics` scrape costs with many rooms loaded: a server started here (embedded PGlite),
 * N sessions each with one open WebSocket (so N live rooms), then scrapes over HTTP, timed from the
 * client (request to last byte), p50 / p99 / max, and the process's CPU time per scrape.
 *
 *   bun bench/metrics.ts [rooms=1000] [scrapes=200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashToken, newInterviewerToken, newSessionId } from "@pairpad/api/session/ids";
import { sessions } from "@pairpad/db/schema";
import { startServer } from "../apps/server/src/main.ts";

const roomCount = Number(process.argv[2] ?? 1000);
const scrapes = Number(process.argv[3] ?? 200);
const dataDir = mkdtempSync(join(tmpdir(), "pairpad-bench-metrics-"));
const server = await startServer(
  { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "warn", DATA_DIR: dataDir, SANDBOX_PREWARM: 0 },
  {},
);

const now = new Date();
const ids = Array.from({ length: roomCount }, () => newSessionId());
for (let i = 0; i < ids.length; i += 500) {
  await server.deps.db.insert(sessions).values(
    ids.slice(i, i + 500).map((id) => ({
      id,
      title: "bench",
      language: "python" as const,
      interviewerTokenHash: hashToken(newInterviewerToken()),
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    })),
  );
}

const sockets: WebSocket[] = [];
for (let i = 0; i < ids.length; i += 50) {
  await Promise.all(
    ids.slice(i, i + 50).map(
      (id) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws/sessions/${id}`);
          ws.binaryType = "arraybuffer";
          // The server's first frame (its sync step 1) means the room is loaded.
          ws.onmessage = () => resolve();
          ws.onerror = () => reject(new Error(`socket ${id} failed`));
          sockets.push(ws);
        }),
    ),
  );
}

const scrape = async () => {
  const started = performance.now();
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return { ms: performance.now() - started, text };
};
const first = await scrape();
const rooms = first.text.match(/^pairpad_rooms (\d+)/m)?.[1];
if (Number(rooms) !== roomCount) {
  throw new Error(`expected ${roomCount} rooms loaded, the scrape says ${rooms}`);
}
for (let i = 0; i < 20; i++) await scrape();
const times: number[] = [];
const cpuBefore = process.cpuUsage();
for (let i = 0; i < scrapes; i++) times.push((await scrape()).ms);
const cpu = process.cpuUsage(cpuBefore);
// Client and server share this process: the CPU figure is an upper bound of the server's part.
const cpuPerScrape = (cpu.user + cpu.system) / 1000 / scrapes;
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
console.log(
  `/metrics with ${roomCount} rooms and ${sockets.length} sockets: ${first.text.length} bytes, ` +
    `p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${at(1).toFixed(2)} ms over ${scrapes} scrapes; ` +
    `CPU ${cpuPerScrape.toFixed(2)} ms per scrape (client and server together)`,
);

for (const ws of sockets) ws.close();
await server.stop();
rmSync(dataDir, { recursive: true, force: true });
