import { isLanguageId } from "../editor/languages.ts";
import type { LanguageId, RunResult, RunStatus } from "../trpc.ts";

/** The run every participant sees in the output panel: the latest one in the session. */
export type LatestRun =
  | { phase: "running"; runId: string | null; by: string | null; language: LanguageId; at: Date }
  | {
      phase: "finished";
      runId: string | null;
      by: string | null;
      language: LanguageId;
      at: Date;
      result: ShownResult;
    };

export type ShownResult = Pick<
  RunResult,
  "status" | "stdout" | "stderr" | "compileOutput" | "exitCode" | "timeMs" | "truncated"
>;

export const statusLabels: Record<RunStatus, string> = {
  ok: "Finished",
  compile_error: "Compile error",
  runtime_error: "Runtime error",
  timeout: "Timed out",
  memory_limit: "Memory limit",
  output_limit: "Output limit",
  internal_error: "Could not run",
};

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === "string" && Object.hasOwn(statusLabels, value);
}

/** The latest run from a `history.list` entry of kind `run`, whose payload is free-form JSON. */
export function runFromHistory(entry: {
  actor: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}): LatestRun | null {
  const p = entry.payload;
  if (!isLanguageId(p.language) || !isRunStatus(p.status)) return null;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    phase: "finished",
    runId: typeof p.runId === "string" ? p.runId : null,
    by: entry.actor,
    language: p.language,
    at: new Date(entry.createdAt),
    result: {
      status: p.status,
      stdout: text(p.stdout),
      stderr: text(p.stderr),
      compileOutput: typeof p.compileOutput === "string" ? p.compileOutput : undefined,
      exitCode: typeof p.exitCode === "number" ? p.exitCode : null,
      timeMs: typeof p.timeMs === "number" ? p.timeMs : 0,
      truncated: false,
    },
  };
}
