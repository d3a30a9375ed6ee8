import type { LanguageId, RunRequest } from "@pairpad/api/execution/executor";
import type { LiveMode, LiveResult } from "@pairpad/api/terminal/state";
import { internalError, type PhaseLimits, type PhaseOutcome, runVerdict } from "./outcome.ts";
import { PtyFrame, ptyFrame, resizeFrame } from "./pty-helper.ts";
import type { LanguageRecipe, RecipeContext } from "./recipe.ts";

/**
 * What a live run may take beyond a batch run's limits (its CPU time, memory, processes and files stay
 * the batch run's): a person types at it, so its wall clock is minutes, not seconds, and it ends once
 * nobody typed and nothing was printed for `idleMs`.
 */
export interface LiveLimits {
  wallTimeMs: number;
  idleMs: number;
  /** Cap on everything the terminal shows in one run (stdout and stderr share the terminal). */
  outputBytes: number;
}

export const defaultLiveLimits: LiveLimits = {
  wallTimeMs: 30 * 60_000,
  idleMs: 10 * 60_000,
  outputBytes: 1024 * 1024,
};

export type { LiveMode, LiveResult, LiveStatus } from "@pairpad/api/terminal/state";

export interface LiveRunRequest extends RunRequest {
  mode: LiveMode;
  cols: number;
  rows: number;
}

/** Languages whose toolchain has an interactive interpreter that can load the code first. */
export const replLanguages: readonly LanguageId[] = ["python", "javascript", "bash", "lua"];

// Run as a script, not a module: its top-level declarations (`const` too) are the REPL's globals.
const NODE_LOAD =
  "require('vm').runInThisContext(require('fs').readFileSync(process.env.PAIRPAD_SOURCE,'utf8'),{filename:process.env.PAIRPAD_SOURCE})";

/**
 * The argv of a live run inside the box: the program, or its interpreter's REPL; a string says why not.
 * `toolPath` is where node is looked up on this host; null when the run's own PATH finds it (a container).
 */
export function liveCommand(
  request: LiveRunRequest,
  recipe: LanguageRecipe,
  ctx: RecipeContext,
  toolPath: string | null,
): string[] | string {
  if (request.mode === "run") return recipe.run(ctx);
  switch (request.language) {
    case "python":
      return [ctx.tools.python3 ?? "python3", "-I", "-B", "-q", "-i", ctx.sourceFile];
    case "javascript": {
      const node = toolPath === null ? "node" : Bun.which("node", { PATH: toolPath });
      if (!node) return "The JavaScript REPL needs node, which is not installed here";
      return ["/usr/bin/env", `PAIRPAD_SOURCE=${ctx.sourceFile}`, node, "-i", "-e", NODE_LOAD];
    }
    case "bash":
      return [ctx.tools.bash ?? "bash", "--noprofile", "--rcfile", ctx.sourceFile, "-i"];
    case "lua":
      return [ctx.tools["lua5.4"] ?? "lua5.4", "-i", ctx.sourceFile];
    default:
      return `${recipe.name} has no REPL here`;
  }
}

/**
 * One live run as its owner drives it: input, window size, Ctrl-C, stop. Frames written before the
 * program is in place wait and go in order. `done` settles with the run's result, never rejects.
 */
export class LiveRun {
  private readonly abort = new AbortController();
  readonly signal = this.abort.signal;
  readonly limits: LiveLimits;
  readonly done: Promise<LiveResult>;
  private resolve!: (result: LiveResult) => void;
  private writer: ((data: Uint8Array) => void) | null = null;
  private readonly queued: Uint8Array[] = [];
  private interrupted = false;
  private stopped = false;
  private idled = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;

  constructor(
    readonly request: LiveRunRequest,
    limits: LiveLimits,
  ) {
    this.limits = limits;
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  input(data: Uint8Array): void {
    if (data.byteLength === 0) return;
    // A typed Ctrl-C: the terminal's line discipline signals the program, as the button does.
    if (data.includes(3)) this.interrupted = true;
    this.touch();
    this.send(ptyFrame(PtyFrame.data, data));
  }

  resize(cols: number, rows: number): void {
    this.send(resizeFrame(cols, rows));
  }

  /** Ctrl-C: SIGINT to the terminal's foreground process group (even when the program reads raw). */
  interrupt(): void {
    this.interrupted = true;
    this.touch();
    this.send(ptyFrame(PtyFrame.interrupt));
  }

  /** Ends the run now (the stop button, the session ending): status `interrupted`. */
  stop(): void {
    if (this.ended) return;
    this.stopped = true;
    this.abort.abort(new Error("stopped"));
  }

  /** Something happened (a keystroke, output): the idle clock starts again. */
  touch(): void {
    if (this.ended) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idled = true;
      this.abort.abort(new Error("idle"));
    }, this.limits.idleMs);
    this.idleTimer.unref?.();
  }

  /** The program is in place: `write` feeds the pty helper's stdin. */
  attach(write: (data: Uint8Array) => void): void {
    this.writer = write;
    for (const frame of this.queued.splice(0)) write(frame);
    this.touch();
  }

  settle(result: Promise<LiveResult>): void {
    void result
      .catch((error): LiveResult => internalError(`Sandbox failure: ${(error as Error).message}`))
      .then((value) => {
        this.ended = true;
        clearTimeout(this.idleTimer);
        this.resolve(value);
      });
  }

  /** The result of the run phase, as a batch run would report it, with `interrupted` and the idle stop. */
  verdict(
    recipe: LanguageRecipe,
    outcome: PhaseOutcome,
    limits: PhaseLimits,
    compileOutput: string | undefined,
  ): LiveResult {
    const base = {
      stdout: "",
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      timeMs: Math.round(outcome.timeMs),
      memoryKb: outcome.memoryKb,
      truncated: outcome.truncated,
      ...(compileOutput !== undefined ? { compileOutput } : {}),
    };
    if (outcome.cancelled && this.stopped) return { ...base, status: "interrupted", stderr: "[stopped]" };
    if (outcome.cancelled && this.idled) {
      const minutes = Math.round(this.limits.idleMs / 60_000);
      const idle = minutes >= 1 ? `${minutes} min` : `${Math.round(this.limits.idleMs / 1000)} s`;
      return { ...base, status: "timeout", stderr: `[stopped: idle for ${idle}]` };
    }
    if (this.interrupted && !outcome.outputLimited && outcome.signal === "SIGINT") {
      return { ...base, status: "interrupted", stderr: outcome.stderr };
    }
    const result = runVerdict(recipe, { ...outcome, stdout: "" }, limits, compileOutput);
    if (result.status === "output_limit") {
      result.stderr = result.stderr.replace(
        /\[output stopped: more than [^\]]*\]/,
        `[output stopped: more than ${Math.round(limits.outputBytes / 1024)} KiB]`,
      );
    }
    return result;
  }

  private send(frame: Uint8Array): void {
    if (this.ended) return;
    if (this.writer) this.writer(frame);
    else this.queued.push(frame);
  }
}
