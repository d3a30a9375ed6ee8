import { cpus } from "node:os";
import { z } from "zod";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());
const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Every setting of the server, read and validated once; nothing else reads `process.env`. */
export const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default("./.data"),
  PUBLIC_URL: optionalUrl,
  SESSION_TTL_HOURS: z.coerce.number().min(1).max(168).default(24),
  MAX_BODY_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  SWEEP_INTERVAL_SECONDS: int(60, 1, 86_400),
  EXECUTOR: z.enum(["sandbox", "docker"]).default("sandbox"),
  DOCKER_SOCKET: z.string().optional(),
  /** Sandboxes prepared ahead of runs (local sandbox only); unset: the cores, at most 4; 0: none. */
  SANDBOX_PREWARM: z.coerce.number().int().min(0).max(16).optional(),
  MAX_CONCURRENT_RUNS: int(cpus().length, 1, 256),
  RUN_QUEUE_SIZE: int(32, 0, 10_000),
  /** Runs one client (or one session) may have running or waiting; unset: a quarter of all slots. */
  MAX_RUNS_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).optional(),
  RUNS_PER_MINUTE_PER_SESSION: int(30, 1, 10_000),
  RUNS_PER_MINUTE_PER_CLIENT: int(60, 1, 10_000),
  SESSIONS_PER_MINUTE_PER_CLIENT: int(60, 1, 100_000),
  WS_MAX_PAYLOAD_BYTES: int(2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
  MAX_DOCUMENT_BYTES: int(4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  MAX_CONNECTIONS_PER_SESSION: int(50, 1, 10_000),
  /** Open event streams (SSE subscriptions) one client may hold on one node. */
  MAX_EVENT_STREAMS_PER_CLIENT: int(32, 1, 10_000),
  WS_MESSAGES_PER_SECOND: int(200, 1, 100_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
});
export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  overrides: Partial<Env> = {},
): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".")}: ${i.message} (got ${JSON.stringify(source[String(i.path[0])])})`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, ...overrides };
}
