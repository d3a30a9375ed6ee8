// `bun run bench`: the WebSocket scenarios against our server and the reference servers, then the
// REST/tRPC session bench, printed as tables (and saved to bench/results/latest.json).
//
//   bun run bench [--servers=pairpad,y-websocket,y-websocket-leveldb,hocuspocus] [--scenarios=propagation,...]
//                 (scenarios: propagation, fanout, idle, idleCpu, joinStorm, throughput)
//                 [--scale=1] [--rest-seconds=5] [--no-rest] [--no-ws]
//
// Environment equivalents: BENCH_SERVERS, BENCH_SCENARIOS, BENCH_SCALE, BENCH_REST_SECONDS.
// Diagnostics: BENCH_DATABASE_URL (+ BENCH_DATABASE_PID) adds `pairpad-pg`, our server on
// PostgreSQL; BENCH_PROFILE_DIR writes CPU profiles of our server; BENCH_LOOP_LAG=1 logs its
// event-loop stalls (logs in $TMPDIR/pairpad-bench-<server>.log).

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { restTable, runRestBench } from "./rest/main.ts";
import { parseList, runWsBench, wsTable } from "./ws/main.ts";
import { SCENARIOS, type ScenarioName } from "./ws/scenarios.ts";
import { SERVER_NAMES } from "./ws/servers.ts";

const { values } = parseArgs({
  options: {
    servers: { type: "string", default: process.env.BENCH_SERVERS },
    scenarios: { type: "string", default: process.env.BENCH_SCENARIOS },
    scale: { type: "string", default: process.env.BENCH_SCALE ?? "1" },
    "rest-seconds": { type: "string", default: process.env.BENCH_REST_SECONDS ?? "5" },
    "no-rest": { type: "boolean", default: false },
    "no-ws": { type: "boolean", default: false },
  },
});

const started = performance.now();
const log = (line: string) => console.error(line);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Bun ${Bun.version}, Node ${
  Bun.spawnSync(["node", "--version"]).stdout.toString().trim() || "?"
}`;
log(`machine: ${machine}`);
// Other work on the machine skews every figure: say so in the output.
const busyBefore = loadavg()[0] ?? 0;
if (busyBefore > 0.5)
  log(`warning: load average ${busyBefore.toFixed(2)} before the run; figures may be skewed`);

const servers = parseList(values.servers, SERVER_NAMES, "server");
const ws = values["no-ws"]
  ? {}
  : await runWsBench({
      servers,
      scenarios: parseList(values.scenarios, Object.keys(SCENARIOS) as ScenarioName[], "scenario"),
      scale: Number(values.scale),
      log,
    });

let rest: Awaited<ReturnType<typeof runRestBench>> | undefined;
if (!values["no-rest"] && servers.includes("pairpad")) {
  try {
    rest = await runRestBench({ seconds: Number(values["rest-seconds"]), connections: 10, log });
  } catch (e) {
    log(`[rest] failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const seconds = (performance.now() - started) / 1000;
const out: string[] = [
  `machine: ${machine}; whole run ${seconds.toFixed(0)} s; load average before ${busyBefore.toFixed(2)}`,
];
if (Object.keys(ws).length)
  out.push("", "WebSocket (y-protocols), one fresh server process per scenario:", "", wsTable(ws));
if (rest) out.push("", "Sessions over HTTP (our server, autocannon, 10 connections):", "", restTable(rest));
console.log(out.join("\n"));

const dir = join(import.meta.dir, "results");
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, "latest.json"),
  `${JSON.stringify({ at: new Date().toISOString(), machine, seconds, ws, rest }, null, 2)}\n`,
);
