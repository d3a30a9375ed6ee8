import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type {
  Executor,
  LanguageId,
  LanguageInfo,
  RunLimitsInfo,
  RunRequest,
  RunResult,
} from "@pairpad/api/execution/executor";
import { runPhaseLimits } from "@pairpad/api/execution/executor";
import Docker from "dockerode";
import { CompileCache, type CompileCacheOptions, captureProgram, restoreProgram } from "./compile-cache.ts";
import { type LanguageRecipe, LanguageUnavailableError, type RecipeContext, recipes } from "./languages.ts";
import {
  CappedOutput,
  compileVerdict,
  defaultCompileLimits,
  defaultRunLimits,
  type PhaseLimits,
  type PhaseOutcome,
  runVerdict,
  splitExitStatus,
  watchPhase,
} from "./outcome.ts";
import { runLimitsInfo } from "./sandbox.ts";
import { defaultWorkspaceLimits, describeWorkspace, Workspace, type WorkspaceLimits } from "./workspace.ts";

export interface DockerExecutorOptions {
  /** A dockerode client, or how to reach the engine. Default: dockerode's default (DOCKER_HOST or /var/run/docker.sock). */
  docker?: Docker | Docker.DockerOptions;
  /** Image per language. Default: `pairpad-run-<language>:latest`, built from `docker/<language>.Dockerfile`. */
  images?: Partial<Record<LanguageId, string>>;
  /** Extra read-only binds ("host:container:ro"), e.g. host toolchains for an image built `FROM scratch`. */
  binds?: string[];
  /** Host directory for per-run work dirs, bound at /box; the engine must see the same filesystem. */
  workRoot?: string;
  /** uid:gid the code runs as. Default 65534:65534 (nobody). */
  user?: string;
  runLimits?: Partial<PhaseLimits>;
  compileLimits?: Partial<PhaseLimits>;
  /**
   * What a run may write in total under /box and /tmp: a tmpfs of the run's own mounted on the host and
   * bound in (needs root and an engine on this host). Without root, /box is a plain host directory.
   */
  workspace?: Partial<WorkspaceLimits>;
  /** CPUs a container may use. Default 1. */
  cpus?: number;
  /** Compiled programs kept in memory, so the same source is compiled once (per image and command). */
  compileCache?: CompileCacheOptions;
  /**
   * Engines that never set `State.OOMKilled` (podman on cgroup v1 hosts) leave a SIGKILL nobody sent as the
   * only trace of the OOM killer; when true (the default), such a kill is reported as `memory_limit`.
   */
  sigkillMeansOom?: boolean;
}

const BOX = "/box";
const STDIN_FILE = ".stdin";

/** Where a run's files live on the host: its workspace (a tmpfs, when root may mount one) or a plain dir. */
interface RunDirs {
  root: string;
  box: string;
  /** Bound at /tmp when there is a workspace; otherwise /tmp is a tmpfs of the engine's. */
  tmp?: string;
  workspace?: Workspace;
}
let runCounter = 0;

/**
 * Runs code in a fresh container per phase: no network, read-only root with a tmpfs /tmp, all
 * capabilities dropped, no-new-privileges, a non-root user, memory/pids/CPU limits and rlimits, removed
 * after the run. Same result shape as the sandbox; OOM comes from the engine's `State.OOMKilled`.
 */
export class DockerExecutor implements Executor {
  readonly kind = "docker" as const;
  readonly runLimits: PhaseLimits;
  readonly compileLimits: PhaseLimits;
  readonly workspaceLimits: WorkspaceLimits;
  readonly compileCache: CompileCache;
  private readonly docker: Docker;
  private readonly workRoot: string;
  private readonly user: string;
  private detected?: Promise<LanguageInfo[]>;
  /** False once mounting a run's tmpfs failed here (no privilege for it). */
  private canMount = true;

  constructor(private readonly options: DockerExecutorOptions = {}) {
    this.docker = options.docker instanceof Docker ? options.docker : new Docker(options.docker);
    this.runLimits = { ...defaultRunLimits, ...options.runLimits };
    this.compileLimits = { ...defaultCompileLimits, ...options.compileLimits };
    this.compileCache = new CompileCache(options.compileCache);
    this.workspaceLimits = { ...defaultWorkspaceLimits, ...options.workspace };
    this.workRoot = options.workRoot ?? join(tmpdir(), "pairpad-docker-runs");
    this.user = options.user ?? "65534:65534";
  }

  image(language: LanguageId): string {
    return this.options.images?.[language] ?? `pairpad-run-${language}:latest`;
  }

  limits(): RunLimitsInfo {
    return runLimitsInfo(this.runLimits, this.workspaceLimits);
  }

  languages(): Promise<LanguageInfo[]> {
    this.detected ??= this.detect();
    return this.detected;
  }

  async run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    const info = (await this.languages()).find((l) => l.id === request.language);
    if (!info?.available) {
      throw new LanguageUnavailableError(request.language, info?.reason ?? "unknown language");
    }
    const recipe = recipes[request.language];
    let dirs: RunDirs | undefined;
    try {
      dirs = await this.prepareWorkDir(`run-${process.pid}-${++runCounter}`);
      const sourceFile = recipe.sourceFile(request.code);
      await writeFile(join(dirs.box, sourceFile), request.code);
      await writeFile(join(dirs.box, STDIN_FILE), request.stdin ?? "");
      const extra = recipe.seed ? [recipe.seed.file] : [];
      if (recipe.seed)
        await writeFile(join(dirs.box, recipe.seed.file), request.seed ?? recipe.seed.fallback);
      await this.own(dirs.box, [sourceFile, STDIN_FILE, ...extra]);
      const context = (limits: PhaseLimits): RecipeContext => ({
        tools: {},
        workDir: BOX,
        sourceFile,
        memoryBytes: limits.memoryBytes,
        runMemoryBytes: this.runLimits.memoryBytes,
        args: request.args ?? [],
      });
      let compileOutput: string | undefined;
      if (recipe.compile) {
        const argv = recipe.compile(context(this.compileLimits));
        // The image and its toolchain's version stand for the toolchain: a rebuilt image is a new key.
        const key = CompileCache.key({
          language: request.language,
          toolchain: `${this.image(request.language)} ${info.version ?? ""}`,
          command: argv,
          source: request.code,
        });
        const cached = this.compileCache.get(key);
        if (cached) {
          restoreProgram(cached, dirs.box, this.ownerUid());
          compileOutput = cached.compileOutput;
        } else {
          const compiled = await this.phase(recipe, argv, this.compileLimits, dirs, false, signal);
          if (dirs.workspace?.full()) compiled.writableFull = describeWorkspace(this.workspaceLimits);
          const failed = compileVerdict(compiled, this.compileLimits);
          if (failed) return failed;
          compileOutput = [compiled.stdout, compiled.stderr].filter(Boolean).join("\n");
          const program = captureProgram(
            dirs.box,
            [sourceFile, STDIN_FILE, ...extra],
            this.compileCache.maxProgramBytes,
            compileOutput,
          );
          if (program) this.compileCache.set(key, program);
        }
      }
      const runLimits = runPhaseLimits(this.runLimits, request.limits);
      const ran = await this.phase(recipe, recipe.run(context(runLimits)), runLimits, dirs, true, signal);
      if (dirs.workspace?.full()) ran.writableFull = describeWorkspace(this.workspaceLimits);
      return runVerdict(recipe, ran, runLimits, compileOutput);
    } catch (error) {
      console.error(`docker executor: ${request.language} run failed`, error);
      return {
        status: "internal_error",
        stdout: "",
        stderr: `Container engine failure: ${(error as Error).message}`,
        exitCode: null,
        signal: null,
        timeMs: 0,
        truncated: false,
      };
    } finally {
      if (dirs) await this.removeWorkDir(dirs);
    }
  }

  private async detect(): Promise<LanguageInfo[]> {
    try {
      await this.docker.ping();
    } catch (error) {
      const reason = `container engine unreachable: ${(error as Error).message}`;
      return Object.values(recipes).map((r) => ({
        id: r.id,
        name: r.name,
        version: null,
        available: false,
        reason,
      }));
    }
    return Promise.all(
      Object.values(recipes).map(async (recipe): Promise<LanguageInfo> => {
        const base = { id: recipe.id, name: recipe.name };
        const image = this.image(recipe.id);
        try {
          await this.docker.getImage(image).inspect();
        } catch {
          const reason = `image ${image} not found (build docker/${recipe.id}.Dockerfile)`;
          return { ...base, version: null, available: false, reason };
        }
        const { argv, parse } = recipe.version({});
        let dirs: RunDirs | undefined;
        try {
          dirs = await this.prepareWorkDir(`version-${process.pid}-${++runCounter}`);
          await writeFile(join(dirs.box, STDIN_FILE), "");
          await this.own(dirs.box, [STDIN_FILE]);
          const limits = { ...this.compileLimits, wallTimeMs: 30_000 };
          const outcome = await this.phase(recipe, argv, limits, dirs, true);
          if (outcome.exitCode !== 0) {
            const reason = `${argv.join(" ")} failed in ${image}: ${(outcome.internalError ?? outcome.stderr).slice(0, 300)}`;
            return { ...base, version: null, available: false, reason };
          }
          return { ...base, version: parse(`${outcome.stdout}\n${outcome.stderr}`), available: true };
        } finally {
          if (dirs) await this.removeWorkDir(dirs);
        }
      }),
    );
  }

  private async prepareWorkDir(name: string): Promise<RunDirs> {
    await mkdir(this.workRoot, { recursive: true, mode: 0o711 });
    const root = join(this.workRoot, name);
    const uid = Number(this.user.split(":")[0]);
    if (this.canMount && process.getuid?.() === 0 && !Number.isNaN(uid)) {
      await mkdir(root, { mode: 0o711 });
      try {
        const workspace = await Workspace.mount(root, uid, this.workspaceLimits);
        return { root, box: workspace.path("box"), tmp: workspace.path("tmp"), workspace };
      } catch (error) {
        // Root without CAP_SYS_ADMIN (the server itself in a container): the engine's tmpfs limits /tmp,
        // and /box stays a plain directory.
        this.canMount = false;
        console.error(
          `docker executor: no tmpfs per run (${(error as Error).message}); /box is a plain directory`,
        );
        await rm(root, { recursive: true, force: true });
      }
    }
    await mkdir(root, { mode: 0o700 });
    await this.own(root, []);
    return { root, box: root };
  }

  private async removeWorkDir(dirs: RunDirs) {
    await dirs.workspace?.unmount().catch(() => {});
    await rm(dirs.root, { recursive: true, force: true }).catch(() => {});
  }

  /** The uid a restored program is given: the container's user when we may chown, else none (left readable). */
  private ownerUid(): number | undefined {
    const uid = Number(this.user.split(":")[0]);
    return process.getuid?.() === 0 && !Number.isNaN(uid) ? uid : undefined;
  }

  /** The container's user must own its work dir; without root here, the dir is opened to all instead. */
  private async own(dir: string, files: string[]) {
    const [uid, gid] = this.user.split(":").map(Number);
    for (const path of [dir, ...files.map((f) => join(dir, f))]) {
      if (process.getuid?.() === 0 && uid !== undefined && !Number.isNaN(uid))
        await chown(path, uid, gid ?? uid);
      else await chmod(path, path === dir ? 0o777 : 0o666);
    }
  }

  private async phase(
    recipe: LanguageRecipe,
    argv: string[],
    limits: PhaseLimits,
    dirs: RunDirs,
    withStdin: boolean,
    signal?: AbortSignal,
  ): Promise<PhaseOutcome> {
    const cpuSeconds = limits.cpuTimeSeconds;
    const container = await this.docker.createContainer({
      Image: this.image(recipe.id),
      // The engine has no stdin plumbing we can trust across Docker and podman; a file is unambiguous.
      // No `exec`: the shell stays PID 1, so the program is an ordinary process whose default signal
      // actions (SIGXCPU from the CPU rlimit) apply, and its status comes back as 128 + signal.
      Cmd: ["/bin/sh", "-c", `"$@" < ${withStdin ? `${BOX}/${STDIN_FILE}` : "/dev/null"}`, "sh", ...argv],
      WorkingDir: BOX,
      User: this.user,
      Env: Object.entries({ HOME: "/tmp", TMPDIR: "/tmp", LANG: "C.UTF-8", ...recipe.env }).map(
        ([key, value]) => `${key}=${value}`,
      ),
      NetworkDisabled: true,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        NetworkMode: "none",
        Memory: limits.memoryBytes,
        MemorySwap: limits.memoryBytes,
        PidsLimit: limits.pids,
        NanoCpus: Math.round((this.options.cpus ?? 1) * 1e9),
        ReadonlyRootfs: true,
        // Without a workspace, /tmp is the engine's tmpfs, limited in size and files the same way.
        Tmpfs: dirs.tmp
          ? {}
          : {
              "/tmp": `rw,nosuid,nodev,size=${this.workspaceLimits.bytes},nr_inodes=${this.workspaceLimits.files},mode=1777`,
            },
        ShmSize: limits.tmpBytes,
        SecurityOpt: ["no-new-privileges"],
        CapDrop: ["ALL"],
        Binds: [
          ...(this.options.binds ?? []),
          `${dirs.box}:${BOX}:rw`,
          ...(dirs.tmp ? [`${dirs.tmp}:/tmp:rw`] : []),
        ],
        // podman's compatibility API answers 500 without explicit nofile/nproc.
        Ulimits: [
          { Name: "nofile", Soft: limits.openFiles, Hard: limits.openFiles },
          { Name: "nproc", Soft: limits.pids, Hard: limits.pids },
          { Name: "cpu", Soft: cpuSeconds, Hard: cpuSeconds + 1 },
          { Name: "fsize", Soft: limits.fileSizeBytes, Hard: limits.fileSizeBytes },
          { Name: "core", Soft: 0, Hard: 0 },
        ],
        AutoRemove: false,
      },
    });
    const stdout = new CappedOutput(limits.outputBytes);
    const stderr = new CappedOutput(limits.outputBytes);
    let outputLimited = false;
    let killing: Promise<unknown> | undefined;
    const stop = () => {
      killing ??= container.kill().catch(() => {});
    };
    const sink = (output: CappedOutput) =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          if (!output.push(chunk)) {
            outputLimited = true;
            stop();
          }
          done();
        },
      });
    try {
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const ended = new Promise<void>((resolve) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", () => resolve());
      });
      this.docker.modem.demuxStream(stream, sink(stdout), sink(stderr));
      const started = performance.now();
      await container.start();
      const watch = watchPhase(limits.wallTimeMs, signal, stop);
      const waited = (await container.wait()) as { StatusCode?: number };
      const timeMs = performance.now() - started;
      watch.dispose();
      const { timedOut, cancelled } = watch;
      // The attach stream may deliver its last bytes just after the container exits.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000))]);
      await killing;
      const state = (await container.inspect()).State;
      const status = typeof state.ExitCode === "number" ? state.ExitCode : (waited.StatusCode ?? null);
      const exit = splitExitStatus(status);
      return {
        started: true,
        exitCode: exit.exitCode,
        signal: exit.signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        outputLimited,
        timedOut,
        oomKilled:
          state.OOMKilled === true ||
          (this.options.sigkillMeansOom !== false &&
            exit.signal === "SIGKILL" &&
            !timedOut &&
            !outputLimited &&
            !cancelled),
        cancelled,
        timeMs,
      };
    } finally {
      await container.remove({ force: true, v: true }).catch(() => {});
    }
  }
}
