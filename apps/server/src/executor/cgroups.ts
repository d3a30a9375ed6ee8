import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface CgroupLimits {
  memoryBytes: number;
  pids: number;
}

export interface CgroupStats {
  /** The kernel's OOM killer killed a process of this cgroup (memory.oom_control / memory.events). */
  oomKilled: boolean;
  /** Peak memory use, when the kernel reports it. */
  memoryPeakKb?: number;
  /** A fork or clone was refused by the pids limit. */
  pidsLimited: boolean;
}

/** The cgroup(s) of one sandboxed phase. A process joins by writing its pid into each of `procsFiles`. */
export interface RunCgroup {
  readonly procsFiles: string[];
  stats(): Promise<CgroupStats>;
  /** Kills every process in the cgroup, without letting any of them fork meanwhile. */
  kill(): Promise<void>;
  remove(): Promise<void>;
}

export interface CgroupHost {
  readonly version: 1 | 2;
  /** Where the per-run cgroups are created, for logs. */
  readonly parents: string[];
  create(name: string, limits: CgroupLimits): Promise<RunCgroup>;
  /** Removes the (empty) parent cgroups this host created. */
  close(): Promise<void>;
}

const PARENT = "pairpad";

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return "";
  }
}

/** "key value" lines (memory.oom_control, memory.events, pids.events). */
function field(text: string, key: string): number {
  for (const line of text.split("\n")) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === key) return Number(v) || 0;
  }
  return 0;
}

async function pidsOf(dir: string): Promise<number[]> {
  const text = await readText(join(dir, "cgroup.procs"));
  return text
    .split("\n")
    .map((line) => Number(line))
    .filter((pid) => pid > 0);
}

function killAll(pids: number[]) {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitEmpty(dirs: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = (await Promise.all(dirs.map(pidsOf))).flat();
    if (remaining.length === 0) return true;
    if (Date.now() > deadline) return false;
    killAll(remaining);
    await sleep(5);
  }
}

async function removeDirs(dirs: string[]) {
  for (const dir of dirs) {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await rmdir(dir);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") break;
        if (code !== "EBUSY" || attempt === 49) throw error;
        killAll(await pidsOf(dir));
        await sleep(10);
      }
    }
  }
}

interface Mount {
  mountPoint: string;
  root: string;
  fsType: string;
  superOptions: string[];
}

async function mounts(): Promise<Mount[]> {
  const text = await readText("/proc/self/mountinfo");
  const result: Mount[] = [];
  for (const line of text.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const fields = left.split(" ");
    const [fsType, , superOptions] = right.split(" ");
    if (!fsType?.startsWith("cgroup")) continue;
    result.push({
      mountPoint: (fields[4] ?? "").replace(/\\040/g, " "),
      root: fields[3] ?? "/",
      fsType,
      superOptions: (superOptions ?? "").split(","),
    });
  }
  return result;
}

/** Our own cgroup path per v1 controller (and "" for v2), from /proc/self/cgroup. */
async function ownPaths(): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const line of (await readText("/proc/self/cgroup")).split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of (match[1] ?? "").split(",")) result.set(controller, match[2] ?? "/");
  }
  return result;
}

/** The directory of `ownPath` under a mount whose own root may be a sub-cgroup (as in containers). */
function under(mount: Mount, ownPath: string): string {
  const relative =
    mount.root !== "/" && ownPath.startsWith(mount.root) ? ownPath.slice(mount.root.length) : ownPath;
  return join(mount.mountPoint, relative);
}

async function writable(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

class V1Cgroup implements RunCgroup {
  constructor(private readonly dirs: { memory: string; pids: string; freezer: string }) {}

  get procsFiles() {
    return Object.values(this.dirs).map((dir) => join(dir, "cgroup.procs"));
  }

  async stats(): Promise<CgroupStats> {
    const [oom, peak, pidsEvents] = await Promise.all([
      readText(join(this.dirs.memory, "memory.oom_control")),
      readText(join(this.dirs.memory, "memory.max_usage_in_bytes")),
      readText(join(this.dirs.pids, "pids.events")),
    ]);
    const peakBytes = Number(peak.trim());
    return {
      oomKilled: field(oom, "oom_kill") > 0,
      memoryPeakKb: peakBytes > 0 ? Math.round(peakBytes / 1024) : undefined,
      pidsLimited: field(pidsEvents, "max") > 0,
    };
  }

  async kill(): Promise<void> {
    // The usual case: the pid namespace died with the program and took everything with it.
    if ((await Promise.all(Object.values(this.dirs).map(pidsOf))).flat().length === 0) return;
    const state = join(this.dirs.freezer, "freezer.state");
    try {
      await writeFile(state, "FROZEN");
      for (let i = 0; i < 100 && (await readText(state)).trim() !== "FROZEN"; i++) await sleep(2);
    } catch {
      // Freezing is an optimisation against forks racing the kill; the loop below copes without it.
    }
    killAll((await Promise.all([this.dirs.freezer, this.dirs.pids, this.dirs.memory].map(pidsOf))).flat());
    await writeFile(state, "THAWED").catch(() => {});
    await waitEmpty(Object.values(this.dirs), 5000);
  }

  async remove(): Promise<void> {
    await removeDirs(Object.values(this.dirs));
  }
}

class V2Cgroup implements RunCgroup {
  constructor(private readonly dir: string) {}

  get procsFiles() {
    return [join(this.dir, "cgroup.procs")];
  }

  async stats(): Promise<CgroupStats> {
    const [events, peak, pidsEvents] = await Promise.all([
      readText(join(this.dir, "memory.events")),
      readText(join(this.dir, "memory.peak")),
      readText(join(this.dir, "pids.events")),
    ]);
    const peakBytes = Number(peak.trim());
    return {
      oomKilled: field(events, "oom_kill") > 0,
      memoryPeakKb: peakBytes > 0 ? Math.round(peakBytes / 1024) : undefined,
      pidsLimited: field(pidsEvents, "max") > 0,
    };
  }

  async kill(): Promise<void> {
    if ((await pidsOf(this.dir)).length === 0) return;
    const killFile = join(this.dir, "cgroup.kill");
    if (existsSync(killFile)) {
      await writeFile(killFile, "1").catch(() => {});
    } else {
      await writeFile(join(this.dir, "cgroup.freeze"), "1").catch(() => {});
      killAll(await pidsOf(this.dir));
      await writeFile(join(this.dir, "cgroup.freeze"), "0").catch(() => {});
    }
    await waitEmpty([this.dir], 5000);
  }

  async remove(): Promise<void> {
    await removeDirs([this.dir]);
  }
}

async function openV1(all: Mount[], own: Map<string, string>): Promise<CgroupHost | string> {
  const parents: Record<"memory" | "pids" | "freezer", string> = { memory: "", pids: "", freezer: "" };
  for (const controller of ["memory", "pids", "freezer"] as const) {
    const mount = all.find((m) => m.fsType === "cgroup" && m.superOptions.includes(controller));
    if (!mount) return `no cgroup v1 ${controller} controller mounted`;
    // Nest under our own cgroup when we may (its limits then cover the runs too), else at the root.
    const candidates = [
      join(under(mount, own.get(controller) ?? "/"), PARENT),
      join(mount.mountPoint, PARENT),
    ];
    let chosen = "";
    for (const candidate of candidates) {
      if (await writable(candidate)) {
        chosen = candidate;
        break;
      }
    }
    if (!chosen) return `cannot create a ${controller} cgroup under ${candidates.join(" or ")}`;
    parents[controller] = chosen;
  }
  return {
    version: 1,
    parents: Object.values(parents),
    async create(name, limits) {
      const dirs = {
        memory: join(parents.memory, name),
        pids: join(parents.pids, name),
        freezer: join(parents.freezer, name),
      };
      try {
        // Recreated on demand: another executor sharing the parent may have removed it on close.
        for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
        await writeFile(join(dirs.memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
        // No swap: the memory+swap limit equals the memory limit (absent when swap accounting is off).
        await writeFile(join(dirs.memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes)).catch(
          () => {},
        );
        await writeFile(join(dirs.pids, "pids.max"), String(limits.pids));
      } catch (error) {
        await removeDirs(Object.values(dirs)).catch(() => {});
        throw error;
      }
      return new V1Cgroup(dirs);
    },
    async close() {
      await Promise.all(Object.values(parents).map((dir) => rmdir(dir).catch(() => {})));
    },
  };
}

async function openV2(mount: Mount, own: Map<string, string>): Promise<CgroupHost | string> {
  const controllers = (await readText(join(mount.mountPoint, "cgroup.controllers"))).split(/\s+/);
  if (!controllers.includes("memory") || !controllers.includes("pids")) {
    return "cgroup v2 without the memory and pids controllers";
  }
  const base = under(mount, own.get("") ?? "/");
  const enable = (dir: string) => writeFile(join(dir, "cgroup.subtree_control"), "+memory +pids");
  try {
    await enable(base);
  } catch {
    // "No internal processes": move ourselves into a leaf so our cgroup may delegate controllers.
    const leaf = join(base, `${PARENT}-server`);
    try {
      await mkdir(leaf, { recursive: true });
      for (const pid of await pidsOf(base)) await writeFile(join(leaf, "cgroup.procs"), String(pid));
      await enable(base);
    } catch (error) {
      return `cannot delegate memory and pids controllers under ${base}: ${(error as Error).message}`;
    }
  }
  const parent = join(base, PARENT);
  try {
    await mkdir(parent, { recursive: true });
    await enable(parent);
  } catch (error) {
    return `cannot create ${parent}: ${(error as Error).message}`;
  }
  return {
    version: 2,
    parents: [parent],
    async create(name, limits) {
      const dir = join(parent, name);
      try {
        // Another executor sharing the parent may have removed it on close: recreate it, delegated.
        if (!existsSync(parent)) {
          await mkdir(parent, { recursive: true });
          await enable(parent);
        }
        await mkdir(dir);
        await writeFile(join(dir, "memory.max"), String(limits.memoryBytes));
        await writeFile(join(dir, "memory.swap.max"), "0").catch(() => {});
        await writeFile(join(dir, "pids.max"), String(limits.pids));
      } catch (error) {
        await removeDirs([dir]).catch(() => {});
        throw error;
      }
      return new V2Cgroup(dir);
    },
    async close() {
      await rmdir(parent).catch(() => {});
    },
  };
}

/** Finds the host's cgroup hierarchy (v2 when it has the controllers, else v1), or says why there is none. */
export async function openCgroups(): Promise<CgroupHost | string> {
  const all = await mounts();
  const own = await ownPaths();
  const v2 = all.find((m) => m.fsType === "cgroup2");
  if (v2 && (await readText(join(v2.mountPoint, "cgroup.controllers"))).includes("memory")) {
    return openV2(v2, own);
  }
  if (all.some((m) => m.fsType === "cgroup")) return openV1(all, own);
  return "no cgroup filesystem mounted";
}

/** True while a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Cgroups left by a previous process that died mid-run (empty ones only; the kernel refuses the rest).
 * Cgroups named after a live server process (`run-<pid>-…`: another executor, here or in another server
 * sharing the parent) are theirs and left alone.
 */
export async function removeStale(host: CgroupHost): Promise<void> {
  for (const parent of host.parents) {
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const owner = Number(/^run-(\d+)-/.exec(entry.name)?.[1]);
      if (owner && processAlive(owner)) continue;
      const dir = join(parent, entry.name);
      killAll(await pidsOf(dir));
      await rmdir(dir).catch(() => {});
    }
  }
}
