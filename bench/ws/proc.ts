import { readdirSync, readFileSync } from "node:fs";

// Server CPU and memory from /proc: the server process and any processes it spawned.

const CLK_TCK = 100;

/** A `stat` file (`/proc/<pid>/stat` or a thread's): the command name and the fields after it. */
function readStat(path: string): { name: string; fields: string[] } | undefined {
  try {
    const stat = readFileSync(path, "utf8");
    // The command name (field 2) may contain spaces; fields after it are split from ")".
    const end = stat.lastIndexOf(")");
    return { name: stat.slice(stat.indexOf("(") + 1, end), fields: stat.slice(end + 2).split(" ") };
  } catch {
    return undefined;
  }
}

function statFields(pid: number): string[] | undefined {
  return readStat(`/proc/${pid}/stat`)?.fields;
}

/** `pid` and its descendants. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const child = Number(entry);
    if (!Number.isInteger(child)) continue;
    const ppid = Number(statFields(child)?.[1]);
    if (!parents.has(ppid)) parents.set(ppid, []);
    parents.get(ppid)?.push(child);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i] as number) ?? []));
  return tree;
}

/** CPU seconds (user + system) used so far by the processes `pids` and their descendants. */
export function cpuSeconds(pids: number[]): number {
  const { user, system } = cpuSplit(pids);
  return user + system;
}

/** User and system CPU seconds used so far by the processes `pids` and their descendants. */
export function cpuSplit(pids: number[]): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const p of pids.flatMap(processTree)) {
    const f = statFields(p);
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat; here indexes 11 and 12.
    if (f) {
      user += Number(f[11]);
      system += Number(f[12]);
    }
  }
  return { user: user / CLK_TCK, system: system / CLK_TCK };
}

/** Resident set size in bytes of `pid` and its descendants. */
export function rssBytes(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {}
  }
  return kb * 1024;
}

/** CPU seconds used by this (load-generating) process so far. */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds the whole machine has spent busy (all processes, all cores) since boot. */
export function machineBusySeconds(): number {
  const cpu =
    readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
  const busy = cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
  return busy / CLK_TCK;
}

/**
 * CPU seconds per thread name of one process (`/proc/<pid>/task/<tid>`): separates, for example,
 * our server's event-loop thread from its database worker and Bun's own helper threads.
 */
export function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
    if (!stat) continue;
    const name = Number(tid) === pid ? "main" : stat.name;
    byName.set(name, (byName.get(name) ?? 0) + (Number(stat.fields[11]) + Number(stat.fields[12])) / CLK_TCK);
  }
  return byName;
}

/** Per-thread CPU between two `threadCpu` readings, as shares of `seconds`, largest first. */
export function threadShares(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
): string {
  return [...after.entries()]
    .map(([name, cpu]) => [name, (cpu - (before.get(name) ?? 0)) / seconds] as const)
    .filter(([, share]) => share >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([name, share]) => `${name} ${(share * 100).toFixed(0)}%`)
    .join(", ");
}
