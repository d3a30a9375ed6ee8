import { closeAll, connectAll, drive, LatencyWindow, RawClient, traffic } from "./client.ts";
import { cpuSeconds, cpuSplit, ownCpuSeconds, rssBytes, threadCpu, threadShares } from "./proc.ts";
import { createRooms, type Target } from "./servers.ts";

/** Figures of one scenario on one server; `null` where it could not be measured. */
export type Figures = Record<string, number | null>;

export interface WsConfig {
  /** Multiplies every measuring duration (BENCH_SCALE / --scale). */
  scale: number;
  log: (line: string) => void;
}

const ms = (cfg: WsConfig, base: number) => Math.max(500, Math.round(base * cfg.scale));

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** RSS as the median of five readings 100 ms apart (garbage collection makes single readings jumpy). */
async function steadyRss(target: Target): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    if (i > 0) await Bun.sleep(100);
    readings.push(rssBytes(target.pid));
  }
  return readings.sort((a, b) => a - b)[2] as number;
}

/**
 * Waits for a server's start-up memory to settle before the first reading: until three readings a
 * second apart agree within 1 MiB (at most 30 s). The embedded PGlite's thread used to drop ~370 MiB
 * of start-up garbage at its first idle GC, ~10 s after start, which made the per-connection figure
 * swing between runs (14 to 45 KiB); it now collects that at once, and this wait catches any other
 * late drop, for every server alike.
 */
async function memoryBaseline(target: Target): Promise<void> {
  const readings: number[] = [];
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    readings.push(rssBytes(target.pid));
    const last = readings.slice(-3);
    if (last.length === 3 && Math.max(...last) - Math.min(...last) < 2 ** 20) return;
    await Bun.sleep(1000);
  }
}

interface HeapDump {
  heapSize: number;
  heapCapacity: number;
}

/**
 * BENCH_HEAP=1, our server only: a heap dump after each memory reading (SIGUSR2 to
 * servers/pairpad.ts, which collects garbage first, so later readings are lower than without it).
 * Live heap against heap capacity tells retained objects from garbage the GC has not returned.
 */
async function heapDump(target: Target): Promise<HeapDump | null> {
  if (process.env.BENCH_HEAP !== "1" || !target.log) return null;
  const before = (await Bun.file(target.log).text()).length;
  process.kill(target.pid, "SIGUSR2");
  for (let i = 0; i < 50; i++) {
    await Bun.sleep(100);
    const m = /heap (\{.*\})/.exec((await Bun.file(target.log).text()).slice(before));
    if (m) return JSON.parse(m[1] as string) as HeapDump;
  }
  return null;
}

/** Waits until `done()` holds or `limitMs` passes. */
async function until(done: () => boolean, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!done() && performance.now() < deadline) await Bun.sleep(20);
}

/**
 * Waits until the server is quiet (under 5% of a core over 250 ms, at most `limitMs`): work a
 * server defers after joins (presence, announcements, loading) must not count as per-update cost.
 * Returns how long that took.
 */
async function settle(target: Target, limitMs = 10_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    const c0 = cpuSeconds(target.cpuPids);
    await Bun.sleep(250);
    if (cpuSeconds(target.cpuPids) - c0 < 0.0125) break;
  }
  return performance.now() - t0;
}

/** Measures `work` with the server's CPU and this generator's CPU around it. */
async function withCpu<T>(
  target: Target,
  work: () => Promise<T>,
): Promise<{ result: T; serverCpu: number; genCpu: number; wall: number }> {
  const s0 = cpuSeconds(target.cpuPids);
  const g0 = ownCpuSeconds();
  const t0 = performance.now();
  const result = await work();
  return {
    result,
    serverCpu: cpuSeconds(target.cpuPids) - s0,
    genCpu: ownCpuSeconds() - g0,
    wall: (performance.now() - t0) / 1000,
  };
}

interface Rooms {
  writers: RawClient[];
  observers: RawClient[];
  latencies: LatencyWindow;
}

async function openRooms(target: Target, rooms: number, observersPerRoom: number): Promise<Rooms> {
  const ids = await createRooms(target, rooms);
  const latencies = new LatencyWindow();
  const writers = await connectAll(rooms, (i) => new RawClient(target, ids[i] as string));
  const observers = await connectAll(
    rooms * observersPerRoom,
    (i) => new RawClient(target, ids[i % rooms] as string, { latencies }),
  );
  return { writers, observers, latencies };
}

/** Drives updates for warm-up then a measured window; latencies of the window's updates only. */
async function measureLoad(
  target: Target,
  room: Rooms,
  rate: number,
  warmupMs: number,
  windowMs: number,
  observersPerUpdate: number,
) {
  await settle(target);
  await drive(room.writers, rate, warmupMs);
  const s0 = cpuSplit(target.cpuPids);
  const t0 = threadCpu(target.pid);
  const g0 = ownCpuSeconds();
  room.latencies.open();
  const sentTimer = performance.now();
  await drive(room.writers, rate, windowMs);
  const sendSeconds = (performance.now() - sentTimer) / 1000;
  const s1 = cpuSplit(target.cpuPids);
  const serverCpu = s1.user + s1.system - s0.user - s0.system;
  const serverSysShare = (s1.system - s0.system) / sendSeconds;
  const threads = threadShares(t0, threadCpu(target.pid), sendSeconds);
  const genCpu = ownCpuSeconds() - g0;
  const sent = room.latencies.close();
  const expected = sent * observersPerUpdate;
  await until(() => room.latencies.samples.length >= expected, 2000);
  const sorted = room.latencies.samples.slice().sort((a, b) => a - b);
  return {
    sent,
    sendRate: sent / sendSeconds,
    delivered: sorted.length,
    deliveredRatio: expected === 0 ? 0 : sorted.length / expected,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : null,
    serverCpu,
    genCpuShare: genCpu / sendSeconds,
    serverCpuShare: serverCpu / sendSeconds,
    serverSysShare,
    threads,
  };
}

/** 1. propagation: 100 rooms × (1 writer + 3 observers), 10 updates/s per room. */
export async function propagation(target: Target, cfg: WsConfig): Promise<Figures> {
  const rooms = 100;
  const observers = 3;
  const room = await openRooms(target, rooms, observers);
  try {
    const m = await measureLoad(target, room, rooms * 10, ms(cfg, 2000), ms(cfg, 8000), observers);
    cfg.log(
      `  propagation: sent ${m.sent} (${m.sendRate.toFixed(0)}/s), delivered ${(m.deliveredRatio * 100).toFixed(2)}%, ` +
        `server CPU ${(m.serverCpuShare * 100).toFixed(0)}% (kernel ${(m.serverSysShare * 100).toFixed(0)}%), ` +
        `generator CPU ${(m.genCpuShare * 100).toFixed(0)}%\n  server threads: ${m.threads}`,
    );
    return {
      "prop.p50": m.p50,
      "prop.p99": m.p99,
      "prop.max": m.max,
      "prop.cpuPerDelivery": m.delivered ? (m.serverCpu / m.delivered) * 1e6 : null,
      "prop.delivered": m.deliveredRatio * 100,
    };
  } finally {
    closeAll([...room.writers, ...room.observers]);
  }
}

/** 2. fan-out: 1 writer and 500 observers in one room; server CPU per update per observer. */
export async function fanout(target: Target, cfg: WsConfig): Promise<Figures> {
  const observers = 500;
  const room = await openRooms(target, 1, observers);
  try {
    // What the server spends with 501 sockets open and no traffic (timers, presence, persistence).
    const settledMs = await settle(target);
    const quiet = await withCpu(target, () => Bun.sleep(ms(cfg, 1000)));
    const m = await measureLoad(target, room, 40, ms(cfg, 1000), ms(cfg, 6000), observers);
    cfg.log(
      `  fan-out: sent ${m.sent}, delivered ${(m.deliveredRatio * 100).toFixed(2)}%, ` +
        `server CPU ${(m.serverCpuShare * 100).toFixed(0)}% (kernel ${(m.serverSysShare * 100).toFixed(0)}%, ` +
        `${((quiet.serverCpu / quiet.wall) * 100).toFixed(0)}% before any update, quiet ${settledMs.toFixed(0)} ms after joins), generator CPU ${(m.genCpuShare * 100).toFixed(0)}%`,
    );
    return {
      "fanout.cpuPerDelivery": m.delivered ? (m.serverCpu / m.delivered) * 1e6 : null,
      "fanout.p99": m.p99,
      "fanout.delivered": m.deliveredRatio * 100,
    };
  } finally {
    closeAll([...room.writers, ...room.observers]);
  }
}

/** 3. idle: 2,000 connections over 500 rooms; memory per connection and per room. */
export async function idle(target: Target, cfg: WsConfig): Promise<Figures> {
  const rooms = 500;
  const perRoom = 4;
  const ids = await createRooms(target, rooms);
  const pause = ms(cfg, 1000);
  await settle(target);
  await memoryBaseline(target);
  const r0 = await steadyRss(target);
  const h0 = await heapDump(target);
  // One connection per room first (room + connection), then the rest (connections only).
  const first = await connectAll(rooms, (i) => new RawClient(target, ids[i] as string));
  await settle(target);
  await Bun.sleep(pause);
  const r1 = await steadyRss(target);
  const h1 = await heapDump(target);
  const rest = await connectAll(
    rooms * (perRoom - 1),
    (i) => new RawClient(target, ids[i % rooms] as string),
  );
  await settle(target);
  await Bun.sleep(pause);
  const r2 = await steadyRss(target);
  const h2 = await heapDump(target);
  const idleCpu = await withCpu(target, () => Bun.sleep(ms(cfg, 1000)));
  closeAll([...first, ...rest]);
  const perConn = (r2 - r1) / (rooms * (perRoom - 1));
  const perRoomBytes = (r1 - r0) / rooms - perConn;
  cfg.log(
    `  idle: RSS ${(r0 / 2 ** 20).toFixed(1)} → ${(r1 / 2 ** 20).toFixed(1)} → ${(r2 / 2 ** 20).toFixed(1)} MiB, ` +
      `idle server CPU ${((idleCpu.serverCpu / idleCpu.wall) * 100).toFixed(1)}%`,
  );
  if (h0 && h1 && h2) {
    const mib = (f: (h: HeapDump) => number) =>
      [h0, h1, h2].map((h) => (f(h) / 2 ** 20).toFixed(1)).join(" → ");
    cfg.log(
      `  idle heap after a forced GC: live ${mib((h) => h.heapSize)} MiB, capacity ${mib((h) => h.heapCapacity)} MiB`,
    );
  }
  return {
    "idle.overall": (r2 - r0) / (rooms * perRoom) / 1024,
    "idle.perConn": perConn / 1024,
    "idle.perRoom": perRoomBytes / 1024,
    "idle.rss": r2 / 2 ** 20,
  };
}

/**
 * 3. idle CPU: 500 rooms × 2 connections that send nothing (an interview paused, tabs left open),
 * measured over 30 s after the joins settle; per-thread shares say which thread wakes up.
 */
export async function idleCpu(target: Target, cfg: WsConfig): Promise<Figures> {
  const rooms = 500;
  const ids = await createRooms(target, rooms);
  const clients = await connectAll(rooms * 2, (i) => new RawClient(target, ids[i % rooms] as string));
  try {
    await settle(target);
    // Past the first flush, compaction and join-announcement windows after the joins.
    await Bun.sleep(ms(cfg, 5000));
    const t0 = threadCpu(target.pid);
    const measured = await withCpu(target, () => Bun.sleep(ms(cfg, 30_000)));
    const share = measured.serverCpu / measured.wall;
    cfg.log(
      `  idle CPU: ${(share * 100).toFixed(2)}% of a core over ${measured.wall.toFixed(0)} s ` +
        `(${threadShares(t0, threadCpu(target.pid), measured.wall) || "no thread ≥ 0.5%"})`,
    );
    return { "idleCpu.share": share * 100 };
  } finally {
    closeAll(clients);
  }
}

/** 4. join storm: 50 clients join at once a room holding a 1 MB document; time to sync. */
export async function joinStorm(target: Target, cfg: WsConfig): Promise<Figures> {
  const docBytes = 1 << 20;
  const chunk = 16 << 10;
  const joiners = 50;
  const [id] = await createRooms(target, 1);
  const room = id as string;
  // The seeding client stays: it keeps the document in memory on servers without persistence.
  const seed = new RawClient(target, room);
  await seed.synced;
  const filler = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(Math.ceil(chunk / 36)).slice(0, chunk);
  for (let i = 0; i < docBytes / chunk; i++) {
    seed.appendText(filler);
    while (seed.buffered > 1 << 20) await Bun.sleep(5);
  }
  // Wait until the server holds the whole document.
  for (let tries = 0; ; tries++) {
    const probe = new RawClient(target, room);
    await probe.synced;
    probe.close();
    if (probe.syncBytes >= docBytes) break;
    if (tries > 100) throw new Error(`document never reached ${docBytes} bytes (${probe.syncBytes})`);
    await Bun.sleep(50);
  }
  await Bun.sleep(ms(cfg, 500));
  const rssBefore = rssBytes(target.pid);
  const storm = await withCpu(target, async () => {
    const clients = Array.from({ length: joiners }, () => new RawClient(target, room));
    await Promise.all(clients.map((c) => c.synced));
    return clients;
  });
  const rssAfter = rssBytes(target.pid);
  const times = storm.result.map((c) => c.syncedAt - c.startedAt).sort((a, b) => a - b);
  const opens = storm.result.map((c) => c.openedAt - c.startedAt).sort((a, b) => a - b);
  const short = storm.result.filter((c) => c.syncBytes < docBytes).length;
  closeAll([seed, ...storm.result]);
  cfg.log(
    `  join storm: ${joiners} × ${(storm.result[0]?.syncBytes ?? 0) / 1024} KiB, server CPU ${(storm.serverCpu * 1000).toFixed(0)} ms, ` +
      `RSS +${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MiB, upgrade accepted p50 ${percentile(opens, 50)?.toFixed(0)} ms ` +
      `p99 ${percentile(opens, 99)?.toFixed(0)} ms${short ? `, ${short} short syncs` : ""}`,
  );
  return {
    "join.p50": percentile(times, 50),
    "join.p99": percentile(times, 99),
    "join.cpu": storm.serverCpu * 1000,
  };
}

/**
 * 5. throughput: 20 rooms × (1 writer + 3 observers). The aggregate update rate doubles until a
 * step fails (p99 latency ≥ 50 ms, fewer than 99.9% of deliveries, or the generator falls behind),
 * then two bisection steps narrow the highest passing rate.
 */
export async function throughput(target: Target, cfg: WsConfig): Promise<Figures> {
  const rooms = 20;
  const observers = 3;
  const room = await openRooms(target, rooms, observers);
  const step = async (rate: number): Promise<boolean> => {
    const m = await measureLoad(target, room, rate, ms(cfg, 500), ms(cfg, 2500), observers);
    const ok = m.p99 !== null && m.p99 < 50 && m.deliveredRatio >= 0.999 && m.sendRate >= rate * 0.95;
    cfg.log(
      `  throughput ${rate}/s: p99 ${m.p99?.toFixed(1)} ms, delivered ${(m.deliveredRatio * 100).toFixed(2)}%, ` +
        `server CPU ${(m.serverCpuShare * 100).toFixed(0)}%, generator CPU ${(m.genCpuShare * 100).toFixed(0)}% ${ok ? "ok" : "FAIL"}`,
    );
    // Let the server drain any backlog before the next step: wait for 300 ms without traffic.
    await until(() => performance.now() - traffic.lastReceiveAt > 300, 10_000);
    return ok;
  };
  let pass = 0;
  let fail = 0;
  try {
    for (let rate = 500; rate <= 64_000; rate *= 2) {
      if (!(await step(rate))) {
        fail = rate;
        break;
      }
      pass = rate;
    }
    for (let i = 0; i < 2 && fail > 0 && pass > 0; i++) {
      const mid = Math.round((pass + fail) / 2);
      if (await step(mid)) pass = mid;
      else fail = mid;
    }
  } finally {
    closeAll([...room.writers, ...room.observers]);
  }
  return { "tput.rate": pass, "tput.deliveries": pass * observers };
}

export const SCENARIOS = { propagation, fanout, idle, idleCpu, joinStorm, throughput } as const;
export type ScenarioName = keyof typeof SCENARIOS;
