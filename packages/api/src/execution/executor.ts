import { z } from "zod";

/** Language ids of the shared document's `meta.language` (public contract, see DESIGN.md). */
export const languageIds = [
  "javascript",
  "typescript",
  "python",
  "java",
  "cpp",
  "go",
  "rust",
  "ruby",
  "php",
  "csharp",
  "kotlin",
  "bash",
  "sql",
  "scala",
  "haskell",
  "lua",
  "perl",
  "r",
] as const;
export const languageId = z.enum(languageIds);
export type LanguageId = z.infer<typeof languageId>;

export const runStatus = z.enum([
  "ok",
  "compile_error",
  "runtime_error",
  "timeout",
  "memory_limit",
  "output_limit",
  "internal_error",
]);
export type RunStatus = z.infer<typeof runStatus>;

export const runResult = z.object({
  status: runStatus,
  stdout: z.string(),
  stderr: z.string(),
  compileOutput: z.string().optional(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timeMs: z.number(),
  memoryKb: z.number().optional(),
  truncated: z.boolean(),
});
export type RunResult = z.infer<typeof runResult>;

export interface RunRequest {
  language: LanguageId;
  code: string;
  stdin?: string;
  args?: string[];
  /** For `sql`: the schema and data the code runs against (a question's); default: a small sample schema. */
  seed?: string;
  /** The run phase's own limits (a judged test's time limit, room for a large expected output), see `runPhaseLimits`. */
  limits?: RunOverrides;
  /** Whose run this is, named in the executor's error logs (never the code or stdin). */
  log?: RunLogFields;
}

export interface RunLogFields {
  sessionId?: string;
  runId?: string;
}

export interface RunOverrides {
  wallTimeMs?: number;
  outputBytes?: number;
}

/** Most output a run may ask for: a test's 2 MiB expected output, compared in full. */
export const MAX_OUTPUT_OVERRIDE_BYTES = 2 * 1024 * 1024;

/** A run's limits with its request's overrides: the wall time only shorter, the output up to 2 MiB. */
export function runPhaseLimits<T extends { wallTimeMs: number; outputBytes: number }>(
  limits: T,
  overrides: RunOverrides | undefined,
): T {
  if (!overrides) return limits;
  return {
    ...limits,
    wallTimeMs: Math.min(limits.wallTimeMs, overrides.wallTimeMs ?? limits.wallTimeMs),
    outputBytes: Math.min(
      Math.max(limits.outputBytes, overrides.outputBytes ?? 0),
      Math.max(limits.outputBytes, MAX_OUTPUT_OVERRIDE_BYTES),
    ),
  };
}

export const languageInfo = z.object({
  id: languageId,
  name: z.string(),
  version: z.string().nullable(),
  available: z.boolean(),
  /** Why the language cannot run here (e.g. "javac not found"), when `available` is false. */
  reason: z.string().optional(),
});
export type LanguageInfo = z.infer<typeof languageInfo>;

/** What one run may use; what it may write is `writable` (everything else is read-only). */
export const runLimitsInfo = z.object({
  wallTimeMs: z.number().int().describe("Wall-clock limit of a run"),
  cpuTimeSeconds: z.number().int().describe("CPU-time limit of each process"),
  memoryBytes: z.number().int().describe("Memory of the whole run (its files in /box and /tmp count too)"),
  processes: z.number().int().describe("Processes and threads at once"),
  outputBytes: z.number().int().describe("Cap on each of stdout and stderr"),
  fileSizeBytes: z.number().int().describe("Largest single file a run may write"),
  writable: z
    .object({
      paths: z.array(z.string()).describe("The only writable directories (the source is in /box)"),
      bytes: z.number().int().describe("Bytes a run may write under them together"),
      files: z.number().int().describe("Files and directories a run may create under them together"),
    })
    .describe("A run's writable space: private to the run, in memory, gone when it ends"),
});
export type RunLimitsInfo = z.infer<typeof runLimitsInfo>;

/** Runs untrusted code and reports what happened. Implementations never throw for the code's own faults. */
export interface Executor {
  readonly kind: "sandbox" | "docker";
  languages(): Promise<LanguageInfo[]>;
  /** One language's entry, without waiting for the others' detection (a slow toolchain delays only its own). */
  language?(id: LanguageId): Promise<LanguageInfo | undefined>;
  /** What a run may use and write. */
  limits?(): RunLimitsInfo;
  run(request: RunRequest, signal?: AbortSignal): Promise<RunResult>;
  close?(): Promise<void>;
}

/** The language's toolchain is missing here; the API answers 503 with the reason. */
export class LanguageUnavailableError extends Error {
  override readonly name = "LanguageUnavailableError";
  constructor(
    readonly language: LanguageId,
    readonly reason: string,
  ) {
    super(`${language} is not available here: ${reason}`);
  }
}
