import { constants } from "node:os";
import type { RunResult } from "@pairpad/api/execution/executor";
import type { LanguageRecipe } from "./languages.ts";

/** What one phase (compile or run) of a run did, whichever executor ran it. */
export interface PhaseOutcome {
  /** False when the sandbox itself failed to start the program (an internal fault, not the code's). */
  started: boolean;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  outputLimited: boolean;
  timedOut: boolean;
  oomKilled: boolean;
  cancelled: boolean;
  timeMs: number;
  memoryKb?: number;
  /** Why the phase could not run, for `internal_error`. */
  internalError?: string;
  /** The run filled its writable space (its writes then failed): what it may write, for the note. */
  writableFull?: string;
}

export interface PhaseLimits {
  /** Wall-clock limit of the phase. */
  wallTimeMs: number;
  /** CPU-time limit of each process (RLIMIT_CPU), in seconds. */
  cpuTimeSeconds: number;
  /** Memory limit of the whole process tree (cgroup), in bytes. */
  memoryBytes: number;
  /** Most processes and threads at once (cgroup pids). */
  pids: number;
  /** Largest file a process may write (RLIMIT_FSIZE), in bytes. */
  fileSizeBytes: number;
  /** Most open files per process (RLIMIT_NOFILE). */
  openFiles: number;
  /** Cap on each of stdout and stderr, in bytes. */
  outputBytes: number;
  /** Size of the private /tmp and /dev/shm, in bytes. */
  tmpBytes: number;
}

const MiB = 1024 * 1024;

export const defaultRunLimits: PhaseLimits = {
  wallTimeMs: 10_000,
  cpuTimeSeconds: 10,
  memoryBytes: 256 * MiB,
  pids: 128,
  fileSizeBytes: 16 * MiB,
  openFiles: 256,
  outputBytes: 64 * 1024,
  tmpBytes: 64 * MiB,
};

// The JVM compilers (kotlinc, scalac) take several seconds for a hello world even on an idle machine.
export const defaultCompileLimits: PhaseLimits = {
  wallTimeMs: 30_000,
  cpuTimeSeconds: 30,
  memoryBytes: 512 * MiB,
  pids: 128,
  fileSizeBytes: 64 * MiB,
  openFiles: 512,
  outputBytes: 64 * 1024,
  tmpBytes: 128 * MiB,
};

/** Collects a stream's bytes up to a cap; the rest is dropped and the caller told to stop the program. */
export class CappedOutput {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Adds a chunk; returns false once the output went over the cap. */
  push(chunk: Uint8Array): boolean {
    if (this.truncated) return false;
    const room = this.cap - this.size;
    if (chunk.byteLength > room) {
      if (room > 0) this.chunks.push(chunk.subarray(0, room));
      this.size = this.cap;
      this.truncated = true;
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    return true;
  }

  async drain(stream: ReadableStream<Uint8Array>, onOverflow: () => void): Promise<void> {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (!this.push(value)) {
          onOverflow();
          await reader.cancel().catch(() => {});
          return;
        }
      }
    } catch {
      // The pipe broke because the program was killed; what we have is the output.
    } finally {
      reader.releaseLock();
    }
  }

  text(): string {
    // A multi-byte character cut by the cap decodes to U+FFFD rather than failing.
    return new TextDecoder().decode(Buffer.concat(this.chunks));
  }
}

/**
 * Stops a phase when its wall-clock limit passes or the caller aborts, and remembers which of the
 * two it was; `dispose` once the phase has ended.
 */
export function watchPhase(wallTimeMs: number, signal: AbortSignal | undefined, stop: () => void) {
  const watch = { timedOut: false, cancelled: false, dispose: () => {} };
  const timer = setTimeout(() => {
    watch.timedOut = true;
    stop();
  }, wallTimeMs);
  const onAbort = () => {
    watch.cancelled = true;
    stop();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  watch.dispose = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  return watch;
}

/** Shells and bwrap report "killed by signal N" as exit status 128 + N. */
export function splitExitStatus(status: number | null): { exitCode: number | null; signal: string | null } {
  if (status === null) return { exitCode: null, signal: null };
  if (status > 128 && status < 128 + 65) {
    const number = status - 128;
    const name = Object.entries(constants.signals).find(([, n]) => n === number)?.[0];
    if (name) return { exitCode: null, signal: name };
  }
  return { exitCode: status, signal: null };
}

/** A run that could not be carried out: the sandbox or the engine failed, or it was cancelled. */
export function internalError(message: string, timeMs = 0): RunResult {
  return {
    status: "internal_error",
    stdout: "",
    stderr: message,
    exitCode: null,
    signal: null,
    timeMs,
    truncated: false,
  };
}

function fullNote(allowed: string): string {
  return `[no space left: a run may write ${allowed} under /box, /tmp and /dev/shm together]`;
}

/** The compile phase's verdict, or null when the program may run. */
export function compileVerdict(outcome: PhaseOutcome, limits: PhaseLimits): RunResult | null {
  if (outcome.cancelled) return internalError("The run was cancelled", outcome.timeMs);
  if (!outcome.started) return internalError(`Sandbox failure: ${outcome.internalError ?? "unknown"}`);
  const stopped = outcome.timedOut
    ? `Compilation stopped: it took longer than ${limits.wallTimeMs / 1000} s`
    : outcome.oomKilled
      ? `Compilation stopped: it used more than ${Math.round(limits.memoryBytes / MiB)} MiB of memory`
      : outcome.signal === "SIGXCPU"
        ? `Compilation stopped: it used more than ${limits.cpuTimeSeconds} s of CPU time`
        : null;
  if (!stopped && outcome.exitCode === 0 && !outcome.signal) return null;
  const compilerText = [
    outcome.stdout,
    outcome.stderr,
    outcome.writableFull && fullNote(outcome.writableFull),
  ]
    .filter(Boolean)
    .join("\n");
  return {
    status: "compile_error",
    stdout: "",
    stderr: "",
    compileOutput: [compilerText, stopped].filter(Boolean).join("\n"),
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timeMs: outcome.timeMs,
    memoryKb: outcome.memoryKb,
    truncated: outcome.truncated,
  };
}

/** The run's result from its run phase (and the compiler's output, when there was a compile phase). */
export function runVerdict(
  recipe: LanguageRecipe,
  outcome: PhaseOutcome,
  limits: PhaseLimits,
  compileOutput?: string,
): RunResult {
  if (outcome.cancelled) return internalError("The run was cancelled", outcome.timeMs);
  if (!outcome.started) return internalError(`Sandbox failure: ${outcome.internalError ?? "unknown"}`);
  const status = outcome.outputLimited
    ? "output_limit"
    : outcome.oomKilled ||
        recipe.runtimeOutOfMemory?.(outcome.exitCode, `${outcome.stdout}\n${outcome.stderr}`)
      ? "memory_limit"
      : outcome.timedOut || outcome.signal === "SIGXCPU"
        ? "timeout"
        : outcome.exitCode === 0 && !outcome.signal
          ? "ok"
          : "runtime_error";
  const notes: Record<string, string> = {
    output_limit: `[output stopped: more than ${limits.outputBytes / 1024} KiB]`,
    memory_limit: `[stopped: more than ${Math.round(limits.memoryBytes / MiB)} MiB of memory]`,
    timeout: outcome.timedOut
      ? `[stopped: more than ${limits.wallTimeMs / 1000} s]`
      : `[stopped: more than ${limits.cpuTimeSeconds} s of CPU time]`,
  };
  const note = [notes[status], outcome.writableFull && fullNote(outcome.writableFull)]
    .filter(Boolean)
    .join("\n");
  return {
    status,
    stdout: outcome.stdout,
    stderr: note
      ? `${outcome.stderr}${outcome.stderr && !outcome.stderr.endsWith("\n") ? "\n" : ""}${note}`
      : outcome.stderr,
    ...(compileOutput !== undefined ? { compileOutput } : {}),
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timeMs: Math.round(outcome.timeMs),
    memoryKb: outcome.memoryKb,
    truncated: outcome.truncated,
  };
}
