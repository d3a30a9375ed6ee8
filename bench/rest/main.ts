import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { cpuSeconds } from "../ws/proc.ts";
import { startServer, type Target } from "../ws/servers.ts";
import { type Metric, renderTable } from "../ws/table.ts";

// Session create and get on our server, through the REST adapter and through tRPC, with
// autocannon (run by Node, as its own process) as the HTTP load generator.

export const REST_METRICS: Metric[] = [
  { key: "create.rps", label: "session create throughput", unit: "req/s", better: "higher", digits: 0 },
  { key: "create.p50", label: "session create p50", unit: "ms", better: "lower", digits: 1 },
  { key: "create.p99", label: "session create p99", unit: "ms", better: "lower", digits: 1 },
  {
    key: "create.cpu",
    label: "session create server CPU per request",
    unit: "µs",
    better: "lower",
    digits: 0,
  },
  { key: "get.rps", label: "session get throughput", unit: "req/s", better: "higher", digits: 0 },
  { key: "get.p50", label: "session get p50", unit: "ms", better: "lower", digits: 1 },
  { key: "get.p99", label: "session get p99", unit: "ms", better: "lower", digits: 1 },
  { key: "get.cpu", label: "session get server CPU per request", unit: "µs", better: "lower", digits: 0 },
];

export interface RestOptions {
  /** Seconds per run of autocannon. */
  seconds: number;
  connections: number;
  log?: (line: string) => void;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function autocannonScript(): string {
  for (let dir = join(import.meta.dir, ".."); dir !== dirname(dir); dir = dirname(dir)) {
    const script = join(dir, "node_modules", "autocannon", "autocannon.js");
    if (existsSync(script)) return script;
  }
  throw new Error("autocannon not installed: run `bun install`");
}

interface Run {
  method: "GET" | "POST";
  url: string;
  body?: string;
}

async function load(target: Target, run: Run, opts: RestOptions) {
  const args = [
    "node",
    autocannonScript(),
    "--json",
    "--connections",
    String(opts.connections),
    "--duration",
    String(opts.seconds),
    "--method",
    run.method,
  ];
  if (run.body) args.push("--headers", "content-type=application/json", "--body", run.body);
  args.push(run.url);
  const cpu0 = cpuSeconds(target.cpuPids);
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const cpu = cpuSeconds(target.cpuPids) - cpu0;
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${err}`);
  const r = JSON.parse(out) as AutocannonResult;
  const failed = r.non2xx + r.errors + r.timeouts;
  if (failed > 0) opts.log?.(`  ${run.method} ${run.url}: ${failed} failed of ${r.requests.total}`);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpu: r.requests.total ? (cpu / r.requests.total) * 1e6 : null,
  };
}

export async function runRestBench(
  opts: RestOptions,
): Promise<Record<string, Record<string, number | null>>> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const target = await startServer("pairpad");
  try {
    const id = await target.createRoom();
    const body = JSON.stringify({ title: "bench", language: "javascript" });
    const api = `${target.origin}/api`;
    const trpc = `${target.origin}/trpc`;
    const results: Record<string, Record<string, number | null>> = { REST: {}, tRPC: {} };
    const runs: [string, string, Run][] = [
      ["REST", "create", { method: "POST", url: `${api}/sessions`, body }],
      ["REST", "get", { method: "GET", url: `${api}/sessions/${id}` }],
      ["tRPC", "create", { method: "POST", url: `${trpc}/session.create`, body }],
      [
        "tRPC",
        "get",
        { method: "GET", url: `${trpc}/session.get?input=${encodeURIComponent(JSON.stringify({ id }))}` },
      ],
    ];
    // A first request per route so that neither side pays for warming up inside the measurement.
    for (const [, , run] of runs) {
      const headers = run.body ? { "content-type": "application/json" } : undefined;
      const res = await fetch(run.url, { method: run.method, body: run.body, headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${run.method} ${run.url}: ${res.status}`);
    }
    for (const [surface, op, run] of runs) {
      log(`[rest] ${surface} ${op}`);
      const m = await load(target, run, { ...opts, log });
      const figures = results[surface] as Record<string, number | null>;
      figures[`${op}.rps`] = m.rps;
      figures[`${op}.p50`] = m.p50;
      figures[`${op}.p99`] = m.p99;
      figures[`${op}.cpu`] = m.cpu;
    }
    return results;
  } finally {
    await target.stop();
  }
}

export function restTable(results: Record<string, Record<string, number | null>>): string {
  return renderTable(
    REST_METRICS,
    Object.entries(results).map(([name, figures]) => ({ name, role: "variant", figures })),
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: process.env.BENCH_REST_SECONDS ?? "5" },
      connections: { type: "string", default: process.env.BENCH_REST_CONNECTIONS ?? "10" },
    },
  });
  const results = await runRestBench({
    seconds: Number(values.seconds),
    connections: Number(values.connections),
  });
  console.log(restTable(results));
}
