import { closeSync, existsSync, lstatSync, readlinkSync } from "node:fs";
import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type {
  Executor,
  LanguageId,
  LanguageInfo,
  RunRequest,
  RunResult,
} from "@pairpad/api/execution/executor";
import { type CgroupHost, openCgroups, type RunCgroup, removeStale } from "./cgroups.ts";
import {
  type DetectedLanguage,
  detectLanguages,
  LanguageUnavailableError,
  type RecipeContext,
  recipes,
  toolPrefixes,
} from "./languages.ts";
import {
  CappedOutput,
  compileVerdict,
  defaultCompileLimits,
  defaultRunLimits,
  type PhaseLimits,
  type PhaseOutcome,
  runVerdict,
  splitExitStatus,
} from "./outcome.ts";

export interface SandboxExecutorOptions {
  /** Limits of the run phase (merged over the defaults). */
  runLimits?: Partial<PhaseLimits>;
  /** Limits of the compile phase (merged over the defaults). */
  compileLimits?: Partial<PhaseLimits>;
  /** Host directory under which each run gets a fresh work dir. Default: `$TMPDIR/pairpad-runs`. */
  workRoot?: string;
  /** Runs execute as host uids `uidBase … uidBase + uidCount - 1`, one per concurrent run. Default 60000, 1000. */
  uidBase?: number;
  uidCount?: number;
  /** Where toolchains are looked up. Default: `/usr/local/bin:/usr/bin:/bin` plus the directory of this Bun. */
  toolPath?: string;
  /** Default: `bwrap` on the tool path. */
  bwrapPath?: string;
  /**
   * Without cgroups there are no memory or pids limits; by default the executor then refuses to run
   * (every language reports why). Set false to run with rlimits only (development machines).
   */
  requireCgroups?: boolean;
}

/** Where the work dir appears inside the sandbox. */
const BOX = "/box";
/** System directories bound read-only; everything else on the host is invisible. */
const SYSTEM_DIRS = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
const WRAPPER = [
  // Join the run's cgroups before anything else runs, so nothing escapes the limits; then exec on.
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"',
];

let runCounter = 0;

/**
 * Runs code under bubblewrap: new user, pid, net, ipc, uts, cgroup and mount namespaces; a read-only view
 * of the system directories only; a fresh work dir and private /tmp and /dev/shm per run; an unprivileged
 * host uid per concurrent run; cgroup memory and pids limits; rlimits for CPU time, file size and open
 * files; a wall-clock timeout; the whole process tree killed at the end.
 */
export class SandboxExecutor implements Executor {
  readonly kind = "sandbox" as const;
  readonly runLimits: PhaseLimits;
  readonly compileLimits: PhaseLimits;
  private readonly workRoot: string;
  private readonly uidBase: number;
  private readonly uidCount: number;
  private readonly toolPath: string;
  private readonly requireCgroups: boolean;
  private readonly usedUids = new Set<number>();
  private setup?: Promise<Setup>;

  constructor(private readonly options: SandboxExecutorOptions = {}) {
    this.runLimits = { ...defaultRunLimits, ...options.runLimits };
    this.compileLimits = { ...defaultCompileLimits, ...options.compileLimits };
    this.workRoot = options.workRoot ?? join(tmpdir(), "pairpad-runs");
    this.uidBase = options.uidBase ?? 60000;
    this.uidCount = options.uidCount ?? 1000;
    this.toolPath =
      options.toolPath ?? ["/usr/local/bin", "/usr/bin", "/bin", dirname(process.execPath)].join(":");
    this.requireCgroups = options.requireCgroups ?? true;
  }

  async languages(): Promise<LanguageInfo[]> {
    const setup = await this.ready();
    return Object.values(setup.languages).map(({ info }) =>
      setup.unavailable && info.available ? { ...info, available: false, reason: setup.unavailable } : info,
    );
  }

  async run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    const setup = await this.ready();
    const language = setup.languages[request.language];
    if (!language) throw new LanguageUnavailableError(request.language, "unknown language");
    if (!language.info.available) {
      throw new LanguageUnavailableError(request.language, language.info.reason ?? "unavailable");
    }
    if (setup.unavailable) throw new LanguageUnavailableError(request.language, setup.unavailable);

    const recipe = recipes[request.language];
    const uid = this.takeUid();
    if (uid === null) return internal("Too many runs at once for the sandbox's uid range");
    const id = `run-${process.pid}-${++runCounter}`;
    const hostWork = join(this.workRoot, id);
    try {
      await mkdir(hostWork, { mode: 0o700 });
      const sourceFile = recipe.sourceFile(request.code);
      await writeFile(join(hostWork, sourceFile), request.code, { mode: 0o600 });
      await chown(join(hostWork, sourceFile), uid, uid);
      await chown(hostWork, uid, uid);
      const context = (limits: PhaseLimits): RecipeContext => ({
        tools: language.tools,
        workDir: BOX,
        sourceFile,
        memoryBytes: limits.memoryBytes,
        args: request.args ?? [],
      });
      const phase = (name: string, argv: string[], limits: PhaseLimits, stdin: string) =>
        this.phase(
          setup,
          { id: `${id}-${name}`, argv, limits, stdin, uid, hostWork, env: recipe.env },
          signal,
        );

      let compileOutput: string | undefined;
      if (recipe.compile) {
        const compiled = await phase(
          "compile",
          recipe.compile(context(this.compileLimits)),
          this.compileLimits,
          "",
        );
        const failed = compileVerdict(compiled, this.compileLimits);
        if (failed) return failed;
        compileOutput = [compiled.stdout, compiled.stderr].filter(Boolean).join("\n");
      }
      const ran = await phase(
        "run",
        recipe.run(context(this.runLimits)),
        this.runLimits,
        request.stdin ?? "",
      );
      return runVerdict(recipe, ran, this.runLimits, compileOutput);
    } catch (error) {
      console.error(`sandbox: ${request.language} run ${id} failed`, error);
      return internal(`Sandbox failure: ${(error as Error).message}`);
    } finally {
      // rm does not follow symlinks the code may have left in its work dir.
      await rm(hostWork, { recursive: true, force: true }).catch((error) =>
        console.error(`sandbox: cannot remove ${hostWork}`, error),
      );
      this.usedUids.delete(uid);
    }
  }

  async close(): Promise<void> {
    const setup = await this.setup?.catch(() => undefined);
    await setup?.cgroups?.close();
  }

  private ready(): Promise<Setup> {
    this.setup ??= this.prepare();
    return this.setup;
  }

  private async prepare(): Promise<Setup> {
    const problems: string[] = [];
    const bwrap = this.options.bwrapPath ?? Bun.which("bwrap", { PATH: this.toolPath });
    if (!bwrap) problems.push(`bwrap not found on ${this.toolPath}`);
    const prlimit = Bun.which("prlimit", { PATH: this.toolPath });
    if (!prlimit) problems.push("prlimit (util-linux) not found");
    const setpriv = Bun.which("setpriv", { PATH: this.toolPath });
    if (!setpriv) problems.push("setpriv (util-linux) not found");
    if (process.getuid?.() !== 0)
      problems.push("the sandbox needs root to switch to per-run uids and cgroups");

    let cgroups: CgroupHost | undefined;
    const opened = await openCgroups();
    if (typeof opened === "string") {
      if (this.requireCgroups) problems.push(`no cgroups for memory and pids limits: ${opened}`);
    } else {
      cgroups = opened;
      await removeStale(cgroups);
    }
    await mkdir(this.workRoot, { recursive: true, mode: 0o711 });
    await chmod(this.workRoot, 0o711);

    const languages = await detectLanguages(this.toolPath, probe);
    const tools = Object.values(languages).flatMap((l) => Object.values(l.tools));
    const binds = systemBinds();
    for (const prefix of toolPrefixes(tools, SYSTEM_DIRS)) binds.push("--ro-bind", prefix, prefix);
    const toolDirs = [...new Set(tools.map((tool) => dirname(tool)))];
    return {
      languages,
      cgroups,
      binds,
      bwrap: bwrap ?? "bwrap",
      prlimit: prlimit ?? "prlimit",
      setpriv: setpriv ?? "setpriv",
      path: [...new Set(["/usr/local/bin", "/usr/bin", "/bin", ...toolDirs])].join(":"),
      unavailable: problems.length > 0 ? problems.join("; ") : undefined,
    };
  }

  private takeUid(): number | null {
    for (let i = 0; i < this.uidCount; i++) {
      const uid = this.uidBase + ((runCounter + i) % this.uidCount);
      if (!this.usedUids.has(uid)) {
        this.usedUids.add(uid);
        return uid;
      }
    }
    return null;
  }

  private async phase(setup: Setup, spec: PhaseSpec, signal?: AbortSignal): Promise<PhaseOutcome> {
    const { limits } = spec;
    let cgroup: RunCgroup | undefined;
    if (setup.cgroups)
      cgroup = await setup.cgroups.create(spec.id, { memoryBytes: limits.memoryBytes, pids: limits.pids });
    const env: Record<string, string> = {
      PATH: setup.path,
      HOME: "/tmp",
      TMPDIR: "/tmp",
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
      ...spec.env,
    };
    const argv = [
      "/bin/sh",
      "-c",
      ...WRAPPER,
      "sh",
      String(cgroup?.procsFiles.length ?? 0),
      ...(cgroup?.procsFiles ?? []),
      setup.prlimit,
      `--cpu=${limits.cpuTimeSeconds}:${limits.cpuTimeSeconds + 1}`,
      `--fsize=${limits.fileSizeBytes}`,
      `--nofile=${limits.openFiles}`,
      "--core=0",
      // Without a pids cgroup, RLIMIT_NPROC (per uid, and each concurrent run has its own uid) stands in.
      ...(cgroup ? [] : [`--nproc=${limits.pids}`]),
      setup.setpriv,
      `--reuid=${spec.uid}`,
      `--regid=${spec.uid}`,
      "--clear-groups",
      "--no-new-privs",
      setup.bwrap,
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
      "--hostname",
      "pairpad",
      ...setup.binds,
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--size",
      String(limits.tmpBytes),
      "--tmpfs",
      "/tmp",
      "--size",
      String(limits.tmpBytes),
      "--tmpfs",
      "/dev/shm",
      "--bind",
      spec.hostWork,
      BOX,
      "--chdir",
      BOX,
      "--remount-ro",
      "/",
      "--clearenv",
      ...Object.entries(env).flatMap(([key, value]) => ["--setenv", key, value]),
      "--json-status-fd",
      "3",
      "--",
      ...spec.argv,
    ];

    const stdout = new CappedOutput(limits.outputBytes);
    const stderr = new CappedOutput(limits.outputBytes);
    let timedOut = false;
    let outputLimited = false;
    let cancelled = false;
    const started = performance.now();
    const proc = Bun.spawn(argv, { stdio: ["pipe", "pipe", "pipe", "pipe"], env: {} });
    const statusFd = proc.stdio[3] as unknown as number;

    let killing: Promise<void> | undefined;
    const stop = () => {
      killing ??= (async () => {
        proc.kill("SIGKILL");
        await cgroup?.kill();
      })();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, limits.wallTimeMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();

    // The program may never read its stdin, or exit early: a broken pipe here is not a fault.
    const feeding = (async () => {
      try {
        if (spec.stdin) proc.stdin.write(spec.stdin);
        await proc.stdin.end();
      } catch {}
    })();
    const flood = () => {
      outputLimited = true;
      stop();
    };
    await Promise.all([
      stdout.drain(proc.stdout, flood),
      stderr.drain(proc.stderr, flood),
      proc.exited,
      feeding,
    ]);
    const timeMs = performance.now() - started;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);

    let status = "";
    try {
      status = await Bun.file(statusFd).text();
    } catch {}
    try {
      closeSync(statusFd);
    } catch {}
    const childStarted = /"child-pid"/.test(status);
    const exitMatch = /"exit-code":\s*(\d+)/.exec(status);

    let stats: Awaited<ReturnType<RunCgroup["stats"]>> | undefined;
    if (cgroup) {
      stats = await cgroup.stats();
      // Whatever outlived the program (daemonised children) dies with its cgroup.
      await (killing ?? cgroup.kill());
      await cgroup.remove();
    } else {
      await killing;
    }

    const killedByUs = timedOut || outputLimited || cancelled;
    const exit = exitMatch ? splitExitStatus(Number(exitMatch[1])) : { exitCode: null, signal: "SIGKILL" };
    const stderrText = stderr.text();
    return {
      started: childStarted || killedByUs,
      exitCode: killedByUs && !exitMatch ? null : exit.exitCode,
      signal: killedByUs && !exitMatch ? "SIGKILL" : exit.signal,
      stdout: stdout.text(),
      stderr: stderrText,
      truncated: stdout.truncated || stderr.truncated,
      outputLimited,
      timedOut,
      oomKilled: stats?.oomKilled ?? false,
      cancelled,
      timeMs,
      memoryKb: stats?.memoryPeakKb,
      internalError: childStarted
        ? undefined
        : `the sandbox did not start (exit ${proc.exitCode ?? proc.signalCode}): ${stderrText.slice(0, 500)}`,
    };
  }
}

interface Setup {
  languages: Record<LanguageId, DetectedLanguage>;
  cgroups?: CgroupHost;
  binds: string[];
  bwrap: string;
  prlimit: string;
  setpriv: string;
  /** PATH inside the sandbox. */
  path: string;
  /** Why nothing can run here, when so. */
  unavailable?: string;
}

interface PhaseSpec {
  id: string;
  argv: string[];
  limits: PhaseLimits;
  stdin: string;
  uid: number;
  hostWork: string;
  env?: Record<string, string>;
}

/** Binds the system directories read-only, recreating merged-/usr symlinks (/bin → usr/bin) as they are. */
function systemBinds(): string[] {
  const binds: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) binds.push("--symlink", readlinkSync(dir), dir);
    else binds.push("--ro-bind", dir, dir);
  }
  return binds;
}

/** Runs a toolchain's version command (outside the sandbox, with a clean environment). */
async function probe(argv: string[]): Promise<string | null> {
  try {
    const proc = Bun.spawn(argv, {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8" },
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    clearTimeout(timer);
    return code === 0 ? `${out}\n${err}` : null;
  } catch {
    return null;
  }
}

function internal(message: string): RunResult {
  return {
    status: "internal_error",
    stdout: "",
    stderr: message,
    exitCode: null,
    signal: null,
    timeMs: 0,
    truncated: false,
  };
}
