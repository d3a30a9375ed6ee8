import { parseArgs } from "node:util";
import { cpuSeconds, machineBusySeconds, ownCpuSeconds } from "./proc.ts";
import { type Figures, SCENARIOS, type ScenarioName, type WsConfig } from "./scenarios.ts";
import { SERVER_NAMES, type ServerName, startServer } from "./servers.ts";
import { type Metric, renderTable } from "./table.ts";

export const WS_METRICS: Metric[] = [
  { key: "prop.p50", label: "1 propagation p50, 100 rooms", unit: "ms", better: "lower", digits: 2 },
  { key: "prop.p99", label: "1 propagation p99, 100 rooms", unit: "ms", better: "lower", digits: 2 },
  { key: "prop.max", label: "1 propagation max, 100 rooms", unit: "ms", better: "lower", digits: 1 },
  { key: "prop.cpuPerDelivery", label: "1 server CPU per delivered update", unit: "µs", better: "lower" },
  {
    key: "fanout.cpuPerDelivery",
    label: "2 fan-out CPU per update per observer",
    unit: "µs",
    better: "lower",
    digits: 2,
  },
  { key: "fanout.p99", label: "2 fan-out p99, 500 observers", unit: "ms", better: "lower" },
  { key: "idle.overall", label: "3 memory per connection, rooms included", unit: "KiB", better: "lower" },
  { key: "idle.perConn", label: "3 memory per extra connection in a room", unit: "KiB", better: "lower" },
  { key: "idle.perRoom", label: "3 memory per room", unit: "KiB", better: "lower" },
  {
    key: "idleCpu.share",
    label: "3 idle CPU, 500 rooms × 2 sockets",
    unit: "% of a core",
    better: "lower",
    digits: 2,
  },
  { key: "join.p50", label: "4 join storm sync p50, 1 MB × 50", unit: "ms", better: "lower", digits: 0 },
  { key: "join.p99", label: "4 join storm sync p99, 1 MB × 50", unit: "ms", better: "lower", digits: 0 },
  { key: "join.cpu", label: "4 join storm server CPU", unit: "ms", better: "lower", digits: 0 },
  { key: "tput.rate", label: "5 max updates/s with p99 < 50 ms", unit: "upd/s", better: "higher", digits: 0 },
];

export interface WsOptions {
  servers: ServerName[];
  scenarios: ScenarioName[];
  scale: number;
  log?: (line: string) => void;
}

/** Runs every scenario on every server, each scenario on a freshly started server process. */
export async function runWsBench(opts: WsOptions): Promise<Record<string, Figures>> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const cfg: WsConfig = { scale: opts.scale, log };
  const results: Record<string, Figures> = {};
  const started = performance.now();
  for (const name of opts.servers) {
    const figures: Figures = {};
    results[name] = figures;
    for (const scenario of opts.scenarios) {
      log(`[ws] ${name}: ${scenario} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      let target: Awaited<ReturnType<typeof startServer>> | undefined;
      try {
        target = await startServer(name);
        // CPU of everything else on the machine during the scenario: other work skews the figures.
        const before = {
          machine: machineBusySeconds(),
          server: cpuSeconds(target.cpuPids),
          own: ownCpuSeconds(),
        };
        const t0 = performance.now();
        Object.assign(figures, await SCENARIOS[scenario](target, cfg));
        const foreign =
          machineBusySeconds() -
          before.machine -
          (cpuSeconds(target.cpuPids) - before.server) -
          (ownCpuSeconds() - before.own);
        // Process and machine counters tick separately: small negative remainders mean none.
        const share = Math.max(0, foreign / ((performance.now() - t0) / 1000));
        log(
          `  other processes used ${(share * 100).toFixed(0)}% of a core meanwhile${share > 0.1 ? " (figures skewed)" : ""}`,
        );
      } catch (e) {
        log(`  ${name} ${scenario} failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await target?.stop();
      }
    }
  }
  return results;
}

export function wsTable(results: Record<string, Figures>): string {
  return renderTable(
    WS_METRICS,
    Object.entries(results).map(([name, figures]) => ({
      name,
      role: name === "pairpad" ? "ours" : name === "pairpad-pg" ? "variant" : "peer",
      figures,
    })),
  );
}

export function parseList<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (!value) return [...all];
  const picked = value.split(",").map((s) => s.trim()) as T[];
  for (const p of picked)
    if (!all.includes(p)) throw new Error(`unknown ${what} "${p}"; known: ${all.join(", ")}`);
  return picked;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      servers: { type: "string", default: process.env.BENCH_SERVERS },
      scenarios: { type: "string", default: process.env.BENCH_SCENARIOS },
      scale: { type: "string", default: process.env.BENCH_SCALE ?? "1" },
    },
  });
  const results = await runWsBench({
    servers: parseList(values.servers, SERVER_NAMES, "server"),
    scenarios: parseList(values.scenarios, Object.keys(SCENARIOS) as ScenarioName[], "scenario"),
    scale: Number(values.scale),
  });
  console.log(wsTable(results));
}
