import { chownSync, existsSync, lstatSync, readlinkSync, writeFileSync } from "node:fs";
import { chmod, mkdir, readdir, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type {
  Executor,
  LanguageId,
  LanguageInfo,
  RunLimitsInfo,
  RunRequest,
  RunResult,
} from "@pairpad/api/execution/executor";
import { runPhaseLimits } from "@pairpad/api/execution/executor";
import type { Logger } from "@pairpad/api/ports";
import { createLogger } from "../logger.ts";
import { BOX, Box, type BoxHost } from "./box.ts";
import { type CgroupHost, openCgroups, processAlive, removeStale } from "./cgroups.ts";
import { CompileCache, type CompileCacheOptions, captureProgram, restoreProgram } from "./compile-cache.ts";
import {
  type DetectedLanguage,
  findTools,
  LanguageUnavailableError,
  type RecipeContext,
  recipes,
  startDetection,
  toolPrefixes,
} from "./languages.ts";
import {
  defaultLiveLimits,
  type LiveLimits,
  type LiveResult,
  LiveRun,
  type LiveRunRequest,
  liveCommand,
} from "./live-run.ts";
import {
  compileVerdict,
  defaultCompileLimits,
  defaultRunLimits,
  internalError,
  type PhaseLimits,
  runVerdict,
} from "./outcome.ts";
import { PTY_HELPER } from "./pty-helper.ts";
import type { LanguageRecipe } from "./recipe.ts";
import {
  defaultWorkspaceLimits,
  describeWorkspace,
  unmount,
  Workspace,
  type WorkspaceLimits,
  WRITABLE,
} from "./workspace.ts";

export interface SandboxExecutorOptions {
  /** Where failures are logged (JSON lines); default: errors to stderr. */
  logger?: Logger;
  /** Limits of the run phase (merged over the defaults). */
  runLimits?: Partial<PhaseLimits>;
  /** What a live run (a terminal) may take beyond the run phase's limits (merged over the defaults). */
  liveLimits?: Partial<LiveLimits>;
  /** Limits of the compile phase (merged over the defaults). */
  compileLimits?: Partial<PhaseLimits>;
  /** What a run may write in total under /box, /tmp and /dev/shm (merged over the defaults). */
  workspace?: Partial<WorkspaceLimits>;
  /** How much compiled output is kept to skip recompiling the same code (in memory). */
  compileCache?: CompileCacheOptions;
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
  /**
   * Slots prepared ahead of runs: each a uid, an empty work dir and a sandbox already started with the run
   * phase's limits, waiting for the program. Each serves exactly one run and is then destroyed; the pool
   * is topped up in the background after each run. 0 starts every sandbox on demand. Default: the number
   * of cores, at most 4.
   */
  prewarm?: number;
}

/** System directories bound read-only; everything else on the host is invisible. */
const SYSTEM_DIRS = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

let runCounter = 0;
/** Uids in use by any executor of this process (a slot holds its uid until everything of it is gone). */
const usedUids = new Set<number>();

function takeUid(base: number, count: number): number | null {
  for (let i = 0; i < count; i++) {
    const uid = base + ((runCounter + i) % count);
    if (!usedUids.has(uid)) {
      usedUids.add(uid);
      return uid;
    }
  }
  return null;
}

/** The resources of one run, prepared ahead: its uid, its work dir and the sandbox of its run phase. */
interface Slot {
  id: string;
  uid: number;
  hostWork: string;
  workspace: Workspace;
  box: Box;
}

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
  readonly liveLimits: LiveLimits;
  readonly workspaceLimits: WorkspaceLimits;
  /** Programs already compiled, by source, language and toolchain. */
  readonly compileCache: CompileCache;
  private readonly workRoot: string;
  private readonly uidBase: number;
  private readonly uidCount: number;
  private readonly toolPath: string;
  private readonly requireCgroups: boolean;
  private readonly prewarm: number;
  private readonly idle: Slot[] = [];
  /** Slots being prepared for the pool. */
  private filling = 0;
  /** Releases and refills still in progress, awaited by close(). */
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;
  private closing = new AbortController();
  /** Runs in progress, awaited by close(). */
  private readonly active = new Set<Promise<unknown>>();
  private setup?: Promise<Setup>;
  private readonly logger: Logger;

  constructor(private readonly options: SandboxExecutorOptions = {}) {
    this.logger = options.logger ?? createLogger("error");
    this.runLimits = { ...defaultRunLimits, ...options.runLimits };
    this.compileLimits = { ...defaultCompileLimits, ...options.compileLimits };
    this.liveLimits = { ...defaultLiveLimits, ...options.liveLimits };
    this.workspaceLimits = { ...defaultWorkspaceLimits, ...options.workspace };
    this.compileCache = new CompileCache(options.compileCache);
    this.workRoot = options.workRoot ?? join(tmpdir(), "pairpad-runs");
    this.uidBase = options.uidBase ?? 60000;
    this.uidCount = options.uidCount ?? 1000;
    this.toolPath =
      options.toolPath ?? ["/usr/local/bin", "/usr/bin", "/bin", dirname(process.execPath)].join(":");
    this.requireCgroups = options.requireCgroups ?? true;
    this.prewarm = Math.max(
      0,
      Math.min(options.prewarm ?? Math.min(4, availableParallelism()), this.uidCount),
    );
  }

  async languages(): Promise<LanguageInfo[]> {
    const setup = await this.ready();
    const detected = await Promise.all(Object.values(setup.languages));
    return detected.map(({ info }) =>
      setup.unavailable && info.available ? { ...info, available: false, reason: setup.unavailable } : info,
    );
  }

  async language(id: LanguageId): Promise<LanguageInfo | undefined> {
    const setup = await this.ready();
    const detected = await setup.languages[id];
    if (!detected) return undefined;
    const { info } = detected;
    return setup.unavailable && info.available
      ? { ...info, available: false, reason: setup.unavailable }
      : info;
  }

  limits(): RunLimitsInfo {
    return runLimitsInfo(this.runLimits, this.workspaceLimits);
  }

  async run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    // close() stops the runs in progress, so that nothing of them is left once it returns.
    const closing = this.closing.signal;
    const running = this.runOnce(request, signal ? AbortSignal.any([signal, closing]) : closing);
    const tracked = running.catch(() => {}).finally(() => this.active.delete(tracked));
    this.active.add(tracked);
    return running;
  }

  private runOnce(request: RunRequest, signal: AbortSignal): Promise<RunResult> {
    return this.withProgram(request, signal, async ({ slot, workspace, context, compileOutput, recipe }) => {
      const runLimits = runPhaseLimits(this.runLimits, request.limits);
      const ran = await slot.box.execute(
        {
          argv: recipe.run(context(runLimits)),
          env: recipe.env,
          stdin: request.stdin ?? "",
          limits: runLimits,
        },
        signal,
      );
      if (workspace.full()) ran.writableFull = describeWorkspace(this.workspaceLimits);
      return runVerdict(recipe, ran, runLimits, compileOutput);
    });
  }

  /**
   * A live run: the program (or an interactive interpreter with the code loaded) in the same sandbox
   * and limits as a batch run, behind a pseudo-terminal; see {@link LiveRun}.
   */
  startLive(request: LiveRunRequest, onOutput: (chunk: Uint8Array) => void): LiveRun {
    const run = new LiveRun(request, this.liveLimits);
    const closing = this.closing.signal;
    const signal = AbortSignal.any([run.signal, closing]);
    const running = this.withProgram(request, signal, async (program) => {
      const setup = await this.ready();
      const helper = await this.ptyPython(setup);
      if (!helper) return internalError("Live runs need python3 in the sandbox (for the pseudo-terminal)");
      const argv = liveCommand(request, program.recipe, program.context(this.runLimits), this.toolPath);
      if (typeof argv === "string") return internalError(argv);
      const limits = { wallTimeMs: run.limits.wallTimeMs, outputBytes: run.limits.outputBytes };
      const stream = program.slot.box.stream(
        {
          argv: [helper, "-I", "-S", "-c", PTY_HELPER, String(request.cols), String(request.rows), ...argv],
          env: { ...program.recipe.env, TERM: "xterm-256color" },
          limits,
        },
        (chunk) => {
          run.touch();
          onOutput(chunk);
        },
        signal,
      );
      run.attach(stream.write);
      const outcome = await stream.done;
      if (program.workspace.full()) outcome.writableFull = describeWorkspace(this.workspaceLimits);
      return run.verdict(program.recipe, outcome, { ...this.runLimits, ...limits }, program.compileOutput);
    });
    const tracked = running.catch(() => {}).finally(() => this.active.delete(tracked));
    this.active.add(tracked);
    run.settle(running);
    return run;
  }

  private pythonForPty?: Promise<string | null>;
  private ptyPython(setup: Setup): Promise<string | null> {
    this.pythonForPty ??= setup.languages.python.then((python) =>
      python.info.available ? (python.tools.python3 ?? null) : null,
    );
    return this.pythonForPty;
  }

  private async withProgram<T extends RunResult | LiveResult>(
    request: RunRequest,
    signal: AbortSignal,
    run: (program: Program) => Promise<T>,
  ): Promise<T | RunResult> {
    const setup = await this.ready();
    const language = await setup.languages[request.language];
    if (!language) throw new LanguageUnavailableError(request.language, "unknown language");
    if (!language.info.available) {
      throw new LanguageUnavailableError(request.language, language.info.reason ?? "unavailable");
    }
    if (setup.unavailable) throw new LanguageUnavailableError(request.language, setup.unavailable);

    const recipe = recipes[request.language];
    let slot: Slot | null | undefined = this.takeWarm();
    let compileBox: Box | undefined;
    try {
      slot ??= await this.newSlot(setup);
      if (!slot) return internalError("Too many runs at once for the sandbox's uid range");
      const { uid, hostWork, workspace } = slot;
      const sourceFile = recipe.sourceFile(request.code);
      const sourcePath = join(workspace.path("box"), sourceFile);
      // "wx": a fresh file, never through whatever might already be at that path. Synchronous: a small
      // file, and the thread pool's round trips cost more than the writes.
      writeFileSync(sourcePath, request.code, { mode: 0o600, flag: "wx" });
      chownSync(sourcePath, uid, uid);
      if (recipe.seed) {
        const seedPath = join(workspace.path("box"), recipe.seed.file);
        writeFileSync(seedPath, request.seed ?? recipe.seed.fallback, { mode: 0o600, flag: "wx" });
        chownSync(seedPath, uid, uid);
      }
      const context = (limits: PhaseLimits): RecipeContext => ({
        tools: language.tools,
        workDir: BOX,
        sourceFile,
        memoryBytes: limits.memoryBytes,
        runMemoryBytes: this.runLimits.memoryBytes,
        args: request.args ?? [],
      });

      let compileOutput: string | undefined;
      const compileCommand = recipe.compile?.(context(this.compileLimits));
      const cacheKey =
        compileCommand &&
        CompileCache.key({
          language: request.language,
          toolchain: `${language.info.version} ${Object.values(language.tools).join(" ")}`,
          command: compileCommand,
          source: request.code,
        });
      const cached = cacheKey ? this.compileCache.get(cacheKey) : undefined;
      if (cached) {
        restoreProgram(cached, workspace.path("box"), uid);
        compileOutput = cached.compileOutput;
      } else if (compileCommand && cacheKey) {
        // Compiled code runs in the slot's waiting box, after a compile box sharing its uid and work dir.
        compileBox = await Box.spawn(setup, {
          id: `${slot.id}-compile`,
          limits: this.compileLimits,
          uid,
          hostWork,
        });
        const compiled = await compileBox.execute(
          { argv: compileCommand, env: recipe.env, stdin: "" },
          signal,
        );
        if (workspace.full()) compiled.writableFull = describeWorkspace(this.workspaceLimits);
        const failed = compileVerdict(compiled, this.compileLimits);
        if (failed) return failed;
        compileOutput = [compiled.stdout, compiled.stderr].filter(Boolean).join("\n");
        const skip = [sourceFile, ...(recipe.seed ? [recipe.seed.file] : [])];
        const program = captureProgram(
          workspace.path("box"),
          skip,
          this.compileCache.maxProgramBytes,
          compileOutput,
        );
        if (program) this.compileCache.set(cacheKey, program);
      }
      return await run({ slot, workspace, context, compileOutput, recipe });
    } catch (error) {
      this.logger.error("sandbox run failed", {
        ...request.log,
        language: request.language,
        slot: slot?.id,
        error: String(error),
      });
      return internalError(`Sandbox failure: ${(error as Error).message}`);
    } finally {
      // Every process of the run is dead by now (each box kills its cgroup before reporting); removing
      // the cgroups and the work dir, and preparing the next slot, happen after the result is returned.
      if (slot) this.background(this.release(slot, compileBox));
      this.refill(setup);
    }
  }

  /**
   * Stops the runs in progress (reported as cancelled), kills the waiting sandboxes and returns once every
   * slot is released: no process, cgroup or work dir of this executor is left. Runs started afterwards
   * still work, each with a sandbox started on demand.
   */
  async close(): Promise<void> {
    this.closed = true;
    const closing = this.closing;
    this.closing = new AbortController();
    closing.abort(new Error("The executor is closing"));
    const setup = await this.setup?.catch(() => undefined);
    for (const slot of this.idle.splice(0)) this.background(this.release(slot));
    while (this.active.size > 0 || this.pending.size > 0) {
      await Promise.all([...this.active, ...this.pending]);
    }
    await setup?.cgroups?.close();
  }

  /** The pool as /metrics shows it: sandboxes waiting, being prepared, and runs in progress. */
  poolStats(): { idle: number; preparing: number; running: number } {
    return { idle: this.idle.length, preparing: this.filling, running: this.active.size };
  }

  /** A waiting slot from the pool, if one is ready. */
  private takeWarm(): Slot | undefined {
    for (let slot = this.idle.shift(); slot; slot = this.idle.shift()) {
      if (slot.box.ready) return slot;
      this.background(this.release(slot));
    }
    return undefined;
  }

  /** Tops the pool up to `prewarm` waiting slots, in the background. */
  private refill(setup: Setup) {
    if (this.closed || setup.unavailable) return;
    while (this.idle.length + this.filling < this.prewarm) {
      this.filling++;
      this.background(
        this.newSlot(setup, true)
          .then(async (slot) => {
            if (!slot) return;
            if (this.closed) await this.release(slot);
            else this.idle.push(slot);
          })
          .finally(() => {
            this.filling--;
          }),
      );
    }
  }

  /** A uid, a fresh work dir owned by it, and a sandbox for the run phase waiting in it. */
  private async newSlot(setup: Setup, ahead = false): Promise<Slot | null> {
    const uid = takeUid(this.uidBase, this.uidCount);
    if (uid === null) return null;
    const id = `run-${process.pid}-${++runCounter}`;
    const hostWork = join(this.workRoot, id);
    let workspace: Workspace | undefined;
    try {
      await mkdir(hostWork, { mode: 0o711 });
      workspace = await Workspace.mount(hostWork, uid, this.workspaceLimits);
      const box = await Box.spawn(setup, { id: `${id}-run`, limits: this.runLimits, uid, hostWork }, ahead);
      return { id, uid, hostWork, workspace, box };
    } catch (error) {
      await workspace?.unmount().catch(() => {});
      await rm(hostWork, { recursive: true, force: true }).catch(() => {});
      usedUids.delete(uid);
      throw error;
    }
  }

  private async release(slot: Slot, ...extra: (Box | undefined)[]): Promise<void> {
    try {
      await Promise.all([slot.box, ...extra].map((box) => box?.destroy()));
      await slot.workspace.unmount();
      await rm(slot.hostWork, { recursive: true, force: true });
      // The uid is free again only once nothing of the run is left.
      usedUids.delete(slot.uid);
    } catch (error) {
      this.logger.error("sandbox slot could not be released", { slot: slot.id, error: String(error) });
    }
  }

  private background(task: Promise<unknown>) {
    const tracked = task
      .catch((error) => this.logger.error("sandbox background task failed", { error: String(error) }))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private ready(): Promise<Setup> {
    this.setup ??= this.prepare().then((setup) => {
      this.refill(setup);
      return setup;
    });
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
    await removeStaleWorkDirs(this.workRoot);

    // Versions are asked in the background; the tools' paths (for the binds) are known at once.
    const languages = startDetection(this.toolPath, probe);
    const tools = Object.values(recipes).flatMap((recipe) =>
      Object.values(findTools(recipe, this.toolPath).tools),
    );
    const binds = systemBinds();
    for (const prefix of toolPrefixes(tools, SYSTEM_DIRS)) binds.push("--ro-bind", prefix, prefix);
    // Data a toolchain keeps outside the system directories (GHC's package database under /var/lib).
    const extra = new Set(Object.values(recipes).flatMap((recipe) => recipe.readOnly ?? []));
    for (const path of extra) if (existsSync(path)) binds.push("--ro-bind", path, path);
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
}

/** A slot with the program in place (compiled when it needed to be), ready for its run phase. */
interface Program {
  slot: Slot;
  workspace: Workspace;
  context: (limits: PhaseLimits) => RecipeContext;
  compileOutput: string | undefined;
  recipe: LanguageRecipe;
}

interface Setup extends BoxHost {
  languages: Record<LanguageId, Promise<DetectedLanguage>>;
  /** Why nothing can run here, when so. */
  unavailable?: string;
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

/** Work dirs of runs whose server process is gone (killed mid-run, or with slots waiting). */
async function removeStaleWorkDirs(workRoot: string) {
  for (const name of await readdir(workRoot).catch(() => [])) {
    const pid = Number(/^run-(\d+)-\d+$/.exec(name)?.[1]);
    if (!pid || processAlive(pid)) continue;
    await unmount(join(workRoot, name)).catch(() => {});
    await rm(join(workRoot, name), { recursive: true, force: true }).catch(() => {});
  }
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
    // JVM compilers answer slowly on a busy machine; a slow answer is still an answer.
    const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
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

/** What a run may use and write, as `GET /api/languages` tells it. */
export function runLimitsInfo(limits: PhaseLimits, workspace: WorkspaceLimits): RunLimitsInfo {
  return {
    wallTimeMs: limits.wallTimeMs,
    cpuTimeSeconds: limits.cpuTimeSeconds,
    memoryBytes: limits.memoryBytes,
    processes: limits.pids,
    outputBytes: limits.outputBytes,
    fileSizeBytes: limits.fileSizeBytes,
    writable: { paths: WRITABLE.map((w) => w.at), bytes: workspace.bytes, files: workspace.files },
  };
}
