import type { Logger } from "@pairpad/api/ports";

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

/**
 * A failed query's error carries its parameters (drizzle appends `params: …` to the message and
 * keeps them as `params`): code, names, token hashes. Logs never carry them, whoever logs the error.
 */
const PARAMS = /\n\s*params:[\s\S]*$/;
const withoutParams = (text: string) => text.replace(PARAMS, "");

function describeError(error: Error): string {
  const cause = error.cause instanceof Error ? ` (cause: ${describeError(error.cause)})` : "";
  return withoutParams(`${error.name}: ${error.message}`) + cause;
}

/** Fields that may hold a secret or a candidate's code or input: never written, whoever logs them. */
const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|token|interviewertoken|apikey|password|secret|stdin|input|source)$/i;

function redact(key: string, value: unknown): unknown {
  if (key === "params" || key === "parameters") return undefined;
  if (SECRET_KEYS.test(key)) return "[redacted]";
  // `code` is an error code (`NOT_FOUND`) or a candidate's program.
  if (key === "code" && typeof value === "string" && !/^[A-Z0-9_]{1,64}$/.test(value)) return "[redacted]";
  if (value instanceof Error) return describeError(value);
  if (typeof value === "string") return withoutParams(value);
  return value;
}

/** One JSON object per line on stdout, so logs can be shipped as they are. */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  out: { stdout: (line: string) => void; stderr: (line: string) => void } = {
    stdout: (line) => process.stdout.write(line),
    stderr: (line) => process.stderr.write(line),
  },
): Required<Logger> & { child(fields: Record<string, unknown>): Logger } {
  const threshold = levels[level];
  const write = (lvl: Exclude<LogLevel, "silent">, message: string, fields?: Record<string, unknown>) => {
    if (levels[lvl] < threshold) return;
    const entry = { time: new Date().toISOString(), level: lvl, message, ...base, ...fields };
    const line = JSON.stringify(entry, redact);
    if (lvl === "error" || lvl === "warn") out.stderr(`${line}\n`);
    else out.stdout(`${line}\n`);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, out),
  };
}
