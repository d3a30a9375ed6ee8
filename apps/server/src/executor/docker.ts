import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Duplex, Writable } from "node:stream";
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
import Docker from "dockerode";
import { createLogger } from "../logger.ts";
import { CompileCache, type CompileCacheOptions, captureProgram, restoreProgram } from "./compile-cache.ts";
import { type LanguageRecipe, LanguageUnavailableError, type RecipeContext, recipes } from "./languages.ts";
import {
  defaultLiveLimits,
  type LiveLimits,
  type LiveResult,
  LiveRun,
  type LiveRunRequest,
  liveCommand,
} from "./live-run.ts";
import {
  CappedOutput,
  compileVerdict,
  defaultCompileLimits,
  defaultRunLimits,
  internalError,
  type PhaseLimits,
  type PhaseOutcome,
  runVerdict,
  splitExitStatus,
  watchPhase,
} from "./outcome.ts";
import { PtyFrame } from "./pty-helper.ts";
import { runLimitsInfo } from "./sandbox.ts";
import { defaultWorkspaceLimits, describeWorkspace, Workspace, type WorkspaceLimits } from "./workspace.ts";

export interface DockerExecutorOptions {
  /** Where failures are logged (JSON lines); default: errors to stderr. */
  logger?: Logger;
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
  /** What a live run (a terminal) may take beyond the run phase's limits (merged over the defaults). */
  liveLimits?: Partial<LiveLimits>;
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

/** A run's files in place (and its code compiled, for compiled languages), ready for its run phase. */
interface Program {
  recipe: LanguageRecipe;
  dirs: RunDirs;
  context: (limits: PhaseLimits) => RecipeContext;
  compileOutput: string | undefined;
}

/** How a phase's container meets the world: stdin from a file (batch), or a terminal (live). */
type PhaseIo = { tty: false; withStdin: boolean } | { tty: true; cols: number; rows: number };

/**
 * Runs code in a fresh container per phase: no network, read-only root with a tmpfs /tmp, all
 * capabilities dropped, no-new-privileges, a non-root user, memory/pids/CPU limits and rlimits, removed
 * after the run. Same result shape as the sandbox; OOM comes from the engine's `State.OOMKilled`.
 */
export class DockerExecutor implements Executor {
  readonly kind = "docker" as const;
  readonly runLimits: PhaseLimits;
  readonly compileLimits: PhaseLimits;
  readonly liveLimits: LiveLimits;
  readonly workspaceLimits: WorkspaceLimits;
  readonly compileCache: CompileCache;
  private readonly docker: Docker;
  private readonly logger: Logger;
  /** Aborted by close(), which stops the runs in progress (and so removes their containers). */
  private closing = new AbortController();
  /** Runs in progress, awaited by close(). */
  private readonly active = new Set<Promise<unknown>>();
  private readonly workRoot: string;
  private readonly user: string;
  private detected?: Promise<LanguageInfo[]>;
  /** False once mounting a run's tmpfs failed here (no privilege for it). */
  private canMount = true;

  constructor(private readonly options: DockerExecutorOptions = {}) {
    this.docker = options.docker instanceof Docker ? options.docker : new Docker(options.docker);
    this.logger = options.logger ?? createLogger("error");
    this.runLimits = { ...defaultRunLimits, ...options.runLimits };
    this.compileLimits = { ...defaultCompileLimits, ...options.compileLimits };
    this.liveLimits = { ...defaultLiveLimits, ...options.liveLimits };
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

  run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    const closing = this.closing.signal;
    const both = signal ? AbortSignal.any([signal, closing]) : closing;
    return this.track(
      this.withProgram(request, both, async ({ recipe, dirs, context, compileOutput }) => {
        const runLimits = runPhaseLimits(this.runLimits, request.limits);
        const io = { tty: false, withStdin: true } as const;
        const ran = await this.phase(recipe, recipe.run(context(runLimits)), runLimits, dirs, io, both);
        if (dirs.workspace?.full()) ran.writableFull = describeWorkspace(this.workspaceLimits);
        return runVerdict(recipe, ran, runLimits, compileOutput);
      }),
    );
  }

  /**
   * A live run: the program (or an interactive interpreter with the code loaded) in a container with a
   * terminal (the engine's tty), the same isolation and limits as a batch run; see {@link LiveRun}.
   * Keystrokes go to the tty, whose line discipline echoes them and turns ^C into SIGINT.
   */
  startLive(request: LiveRunRequest, onOutput: (chunk: Uint8Array) => void): LiveRun {
    const run = new LiveRun(request, this.liveLimits);
    const signal = AbortSignal.any([run.signal, this.closing.signal]);
    const running = this.withProgram(request, signal, async (program) => {
      const argv = liveCommand(request, program.recipe, program.context(this.runLimits), null);
      if (typeof argv === "string") return internalError(argv);
      const limits = {
        ...this.runLimits,
        wallTimeMs: run.limits.wallTimeMs,
        outputBytes: run.limits.outputBytes,
      };
      const io = { tty: true, cols: request.cols, rows: request.rows } as const;
      const outcome = await this.phase(program.recipe, argv, limits, program.dirs, io, signal, {
        onOutput: (chunk) => {
          run.touch();
          onOutput(chunk);
        },
        attach: (write) => run.attach(write),
      });
      if (program.dirs.workspace?.full()) outcome.writableFull = describeWorkspace(this.workspaceLimits);
      return run.verdict(program.recipe, outcome, limits, program.compileOutput);
    });
    run.settle(this.track(running));
    return run;
  }

  /** Stops the runs in progress and waits until their containers and work dirs are gone. */
  async close(): Promise<void> {
    const closing = this.closing;
    this.closing = new AbortController();
    closing.abort(new Error("The executor is closing"));
    while (this.active.size > 0) await Promise.all([...this.active]);
  }

  private track<T>(running: Promise<T>): Promise<T> {
    const tracked = running.catch(() => {}).finally(() => this.active.delete(tracked));
    this.active.add(tracked);
    return running;
  }

  /** Writes the run's files, compiles them when the language is compiled (or takes them from the cache), then `body`. */
  private async withProgram<T extends RunResult | LiveResult>(
    request: RunRequest,
    signal: AbortSignal,
    body: (program: Program) => Promise<T>,
  ): Promise<T | RunResult> {
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
          const io = { tty: false, withStdin: false } as const;
          const compiled = await this.phase(recipe, argv, this.compileLimits, dirs, io, signal);
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
      return await body({ recipe, dirs, context, compileOutput });
    } catch (error) {
      this.logger.error("container run failed", {
        ...request.log,
        language: request.language,
        error: String(error),
      });
      return internalError(`Container engine failure: ${(error as Error).message}`);
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
          const outcome = await this.phase(recipe, argv, limits, dirs, { tty: false, withStdin: true });
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
        this.logger.warn("docker executor: no tmpfs per run; /box is a plain directory", {
          error: String(error),
        });
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
    io: PhaseIo,
    signal?: AbortSignal,
    live?: {
      onOutput: (chunk: Uint8Array) => void;
      /** Called once the program runs, with where the live run's frames go. */
      attach: (write: (frame: Uint8Array) => void) => void;
    },
  ): Promise<PhaseOutcome> {
    const cpuSeconds = limits.cpuTimeSeconds;
    // No `exec`: the shell stays PID 1, so the program is an ordinary process whose default signal
    // actions (SIGXCPU from the CPU rlimit, SIGINT from the tty) apply, and its status comes back as
    // 128 + signal. (`; exit $?`: so that no shell runs the program as its last command by exec.)
    // The engine sizes the tty only once the container runs (podman ignores ConsoleSize): stty first.
    // A live run's wall clock is kept here; a backstop in the container (a while after it) ends the
    // program should this server die mid-run. It runs in the background, where a non-interactive
    // shell ignores SIGINT, so ^C does not reach it; without `sleep` it does nothing (`&&`).
    const backstop = Math.ceil(limits.wallTimeMs / 1000) + 10;
    const script = io.tty
      ? `stty cols ${Math.trunc(io.cols)} rows ${Math.trunc(io.rows)} 2>/dev/null; ` +
        `(sleep ${backstop} && kill -KILL -1) >/dev/null 2>&1 & "$@"; exit $?`
      : // The engine has no stdin plumbing we can trust across Docker and podman; a file is unambiguous.
        `"$@" < ${io.withStdin ? `${BOX}/${STDIN_FILE}` : "/dev/null"}`;
    const env = {
      HOME: "/tmp",
      TMPDIR: "/tmp",
      LANG: "C.UTF-8",
      ...(io.tty ? { TERM: "xterm-256color" } : {}),
    };
    const container = await this.docker.createContainer({
      Image: this.image(recipe.id),
      Cmd: ["/bin/sh", "-c", script, "sh", ...argv],
      WorkingDir: BOX,
      User: this.user,
      Env: Object.entries({ ...env, ...recipe.env }).map(([key, value]) => `${key}=${value}`),
      NetworkDisabled: true,
      AttachStdout: true,
      AttachStderr: true,
      ...(io.tty ? { Tty: true, OpenStdin: true, StdinOnce: false, AttachStdin: true } : {}),
      HostConfig: {
        ...(io.tty ? { ConsoleSize: [io.rows, io.cols] } : {}),
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
    let sent = 0;
    let ttyTruncated = false;
    try {
      const stream: Duplex = io.tty
        ? await hijackAttach(this.docker, container.id)
        : ((await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex);
      const ended = new Promise<void>((resolve) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", () => resolve());
      });
      if (io.tty) {
        // A terminal has one output stream, raw (no multiplexing); the live cap counts what it showed.
        stream.on("data", (chunk: Buffer) => {
          if (outputLimited) return;
          const room = limits.outputBytes - sent;
          if (chunk.byteLength > room) {
            if (room > 0) live?.onOutput(chunk.subarray(0, room));
            sent = limits.outputBytes;
            ttyTruncated = true;
            outputLimited = true;
            stop();
            return;
          }
          sent += chunk.byteLength;
          live?.onOutput(chunk);
        });
      } else {
        this.docker.modem.demuxStream(stream, sink(stdout), sink(stderr));
      }
      const started = performance.now();
      await container.start();
      const watch = watchPhase(limits.wallTimeMs, signal, stop);
      if (io.tty) {
        void container.resize({ h: io.rows, w: io.cols }).catch(() => {});
        live?.attach(this.terminalWriter(container, stream));
      }
      const waited = (await container.wait()) as { StatusCode?: number };
      const timeMs = performance.now() - started;
      watch.dispose();
      const { timedOut, cancelled } = watch;
      // The attach stream may deliver its last bytes just after the container exits.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000))]);
      await killing;
      if (io.tty) stream.destroy();
      const state = (await container.inspect()).State;
      const status = typeof state.ExitCode === "number" ? state.ExitCode : (waited.StatusCode ?? null);
      const exit = splitExitStatus(status);
      return {
        started: true,
        exitCode: exit.exitCode,
        signal: exit.signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated || ttyTruncated,
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

  /**
   * Where a live run's frames go: keystrokes to the container's tty; ^C (the button) as the byte the tty's
   * line discipline turns into SIGINT for its foreground group; a window size to the engine's resize.
   */
  private terminalWriter(container: Docker.Container, stream: Duplex) {
    let pending = new Uint8Array(0);
    const send = (bytes: Uint8Array) => {
      try {
        stream.write(Buffer.from(bytes));
      } catch {
        // The container is gone; its end is reported by the run.
      }
    };
    return (frame: Uint8Array) => {
      const joined = new Uint8Array(pending.byteLength + frame.byteLength);
      joined.set(pending);
      joined.set(frame, pending.byteLength);
      pending = joined;
      while (pending.byteLength >= 5) {
        const view = new DataView(pending.buffer, pending.byteOffset, pending.byteLength);
        const length = view.getUint32(1);
        if (pending.byteLength < 5 + length) break;
        const type = pending[0];
        const payload = pending.subarray(5, 5 + length);
        if (type === PtyFrame.data) send(payload);
        else if (type === PtyFrame.interrupt) send(CTRL_C);
        else if (type === PtyFrame.eof) send(CTRL_D);
        else if (type === PtyFrame.resize && length >= 4) {
          const size = new DataView(payload.buffer, payload.byteOffset, 4);
          void container.resize({ w: size.getUint16(0), h: size.getUint16(2) }).catch(() => {});
        }
        pending = pending.subarray(5 + length);
      }
    };
  }
}

const CTRL_C = new Uint8Array([3]);
const CTRL_D = new Uint8Array([4]);

/**
 * `POST /containers/{id}/attach` upgraded to a raw two-way stream (the terminal). Not dockerode's
 * `attach({ hijack: true })`: docker-modem sends the options as a JSON body too, and the engine passes those
 * bytes, after the upgrade, to the program's stdin.
 */
function hijackAttach(docker: Docker, id: string): Promise<Duplex> {
  const modem = docker.modem as unknown as {
    socketPath?: unknown;
    host?: string;
    port?: number;
    protocol?: string;
    ca?: string | Buffer;
    cert?: string | Buffer;
    key?: string | Buffer;
  };
  const path = `/containers/${encodeURIComponent(id)}/attach?stream=1&stdin=1&stdout=1&stderr=1`;
  const headers = { Connection: "Upgrade", Upgrade: "tcp", "Content-Length": "0" };
  const target =
    typeof modem.socketPath === "string"
      ? { socketPath: modem.socketPath }
      : {
          host: modem.host?.includes("://") ? new URL(modem.host).hostname : (modem.host ?? "localhost"),
          port: modem.port,
          ca: modem.ca,
          cert: modem.cert,
          key: modem.key,
        };
  const request = (modem.protocol === "https" ? httpsRequest : httpRequest)({
    ...target,
    path,
    method: "POST",
    headers,
  });
  return new Promise((resolve, reject) => {
    request.on("upgrade", (_response, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.on("response", (response) => {
      response.resume();
      reject(new Error(`attach to the container's terminal: HTTP ${response.statusCode}`));
    });
    request.on("error", reject);
    request.end();
  });
}
