// Our server as `apps/server/src/start.ts` runs it, minus building the web client (the bench
// never loads it): configuration from the environment, stopped cleanly on SIGTERM.
import { heapStats, memoryUsage } from "bun:jsc";
import { startServer } from "../../../apps/server/src/main.ts";

const running = await startServer();

// BENCH_LOOP_LAG=1: how late a 5 ms timer fires, i.e. how long the event loop was blocked, logged
// once a second and summarised on exit (the bench's diagnostic of latency tails).
const lags: number[] = [];
if (process.env.BENCH_LOOP_LAG === "1") {
  let last = performance.now();
  let windowStart = last;
  let windowMax = 0;
  let windowStalls = 0;
  setInterval(() => {
    const now = performance.now();
    const lag = now - last - 5;
    last = now;
    lags.push(lag);
    windowMax = Math.max(windowMax, lag);
    if (lag > 10) windowStalls++;
    if (now - windowStart >= 1000) {
      console.error(
        `lag ${new Date().toISOString()}: max ${windowMax.toFixed(1)} ms, stalls > 10 ms: ${windowStalls}`,
      );
      windowStart = now;
      windowMax = 0;
      windowStalls = 0;
    }
  }, 5);
}

// SIGUSR2: log the JS heap's object counts by type and the process's memory (diagnostic of the
// memory figures: diff two dumps taken around opening rooms or connections).
process.on("SIGUSR2", () => {
  Bun.gc(true);
  const stats = heapStats();
  console.error(
    `heap ${JSON.stringify({
      memory: process.memoryUsage(),
      // mimalloc's committed bytes: native memory outside the JS heap (sockets, buffers, workers).
      native: memoryUsage(),
      heapSize: stats.heapSize,
      heapCapacity: stats.heapCapacity,
      extraMemorySize: stats.extraMemorySize,
      objects: stats.objectTypeCounts,
    })}`,
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    if (lags.length) {
      const sorted = lags.slice().sort((a, b) => a - b);
      const at = (p: number) => (sorted[Math.floor(p * (sorted.length - 1))] as number).toFixed(1);
      const over = (ms: number) => lags.filter((l) => l > ms).length;
      console.error(
        `event-loop lag over ${lags.length} ticks: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ` +
          `stalls > 10 ms: ${over(10)}, > 50 ms: ${over(50)}`,
      );
    }
    await running.stop();
    process.exit(0);
  });
}
