import { cpus } from "node:os";
import { z } from "zod";
import { parseTrustedProxies } from "./client-address.ts";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1");
const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Every setting of the server, read and validated once; nothing else reads `process.env`. */
export const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  /** Key and channel prefix in Redis, so several deployments can share one. */
  REDIS_PREFIX: z.string().min(1).max(64).default("pairpad:"),
  DATA_DIR: z.string().min(1).default("./.data"),
  PUBLIC_URL: optionalUrl,
  SESSION_TTL_HOURS: z.coerce.number().min(1).max(168).default(24),
  MAX_BODY_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  SWEEP_INTERVAL_SECONDS: int(60, 1, 86_400),
  EXECUTOR: z.enum(["sandbox", "docker"]).default("sandbox"),
  DOCKER_SOCKET: z.string().optional(),
  /** The engine over TCP (`tcp://host:2376`), e.g. a socket proxy or a daemon on the runner nodes. */
  DOCKER_HOST: z
    .string()
    .regex(/^(tcp|https?|unix):\/\//, "a tcp://, http(s):// or unix:// address")
    .optional(),
  /** `1`: TLS to DOCKER_HOST with the client certificate, key and CA in DOCKER_CERT_PATH. */
  DOCKER_TLS_VERIFY: z.enum(["0", "1"]).default("0"),
  DOCKER_CERT_PATH: z.string().optional(),
  /** Where per-run work dirs are made; the engine must see this path too (it binds them at /box). */
  DOCKER_WORK_ROOT: z.string().optional(),
  /** Sandboxes prepared ahead of runs (local sandbox only); unset: the cores, at most 4; 0: none. */
  SANDBOX_PREWARM: z.coerce.number().int().min(0).max(16).optional(),
  /** Live terminal runs: an idle one (no keystroke, no output) ends after this many minutes; all end after the wall time. */
  LIVE_IDLE_MINUTES: z.coerce.number().min(0.05).max(1440).default(10),
  LIVE_WALL_MINUTES: z.coerce.number().min(0.05).max(1440).default(30),
  /** What a live run may print in total (the terminal's output cap), in bytes. */
  LIVE_OUTPUT_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  /** Live terminal runs at once on one node (each holds a sandbox until it ends or idles out). */
  LIVE_MAX_RUNS: int(8, 1, 1000),
  /** Live runs one client may have at once on a node, across sessions; unset: a quarter of LIVE_MAX_RUNS. */
  LIVE_MAX_RUNS_PER_CLIENT: z.coerce.number().int().min(1).max(1000).optional(),
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
  /** Room sockets one client may open a minute (reconnects included); past it the upgrade gets 429. */
  WS_CONNECTS_PER_MINUTE_PER_CLIENT: int(120, 1, 1_000_000),
  /**
   * Load balancers whose `X-Forwarded-For` names the client, for the per-client limits: addresses,
   * CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`, comma-separated. Unset: the connection's
   * own address (behind a balancer, every user would then share the balancer's limits).
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, context) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: `not an address, range or name: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  /** On SIGTERM: how long /readyz answers 503 before the node stops accepting (balancers notice). */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(0),
  /** On SIGTERM: how long runs in flight may take to finish before they are ended as cancelled. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** Who may create an account: anyone, only invited addresses, or nobody (the first account always). */
  SIGNUP: z.enum(["open", "invite", "closed"]).default("open"),
  /** Quick sessions without an account (today's flow); off: only members and API keys create. */
  ANONYMOUS_SESSIONS: flag(true),
  /** How long a workspace keeps an interview's record after its links expire. */
  RETENTION_DAYS: int(90, 1, 36_500),
  /** Signs session cookies; unset: a secret made once and kept in the database (shared by nodes). */
  AUTH_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(32).optional()),
  SIGNIN_ATTEMPTS_PER_MINUTE: int(10, 1, 10_000),
  /**
   * New accounts per client address a minute: each costs a password hash, rows and a workspace; the
   * verification and password reset emails asked for count here too.
   */
  SIGNUPS_PER_MINUTE_PER_CLIENT: int(10, 1, 10_000),
  /**
   * Account emails (verification, "someone tried to sign up", password reset) one address is sent an
   * hour, whoever asks: past it they are silently not sent, so no crowd of clients can flood an inbox.
   */
  ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS: int(5, 1, 1000),
  /** Single sign-on through an OpenID Connect provider; all three or none. */
  OIDC_ISSUER: optionalUrl,
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  /** Invitation emails: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .url({ protocol: /^smtps?$/, error: "an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587" })
      .optional(),
  ),
  /** The sender of invitation emails, e.g. `Pairpad <hiring@example.com>`; needed with SMTP_URL. */
  SMTP_FROM: optionalText,
  /**
   * `required`: a new email + password account signs in once a link mailed to its address is opened.
   * Unset: `required` with SMTP_URL, `off` without (a quick install has no mail server).
   */
  EMAIL_VERIFICATION: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["required", "off"]).optional()),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
});
export type Env = Omit<z.infer<typeof envSchema>, "EMAIL_VERIFICATION"> & {
  EMAIL_VERIFICATION: "required" | "off";
};

export class EnvError extends Error {}

/** Settings whose values hold passwords or secrets: a refusal names them without echoing them. */
const CREDENTIAL_SETTINGS = new Set(["AUTH_SECRET", "OIDC_CLIENT_SECRET", "SMTP_URL"]);

/** Single sign-on is configured by all three settings or none. */
function oidcComplete(env: z.infer<typeof envSchema>): boolean {
  const set = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  return set === 0 || set === 3;
}

export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  overrides: Partial<Env> = {},
): Env {
  const parsed = envSchema
    .refine(oidcComplete, {
      path: ["OIDC_ISSUER"],
      message: "set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
    })
    .refine((env) => !env.SMTP_URL || env.SMTP_FROM, {
      path: ["SMTP_FROM"],
      message: "set SMTP_FROM (the sender, e.g. Pairpad <hiring@example.com>) with SMTP_URL",
    })
    .safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      const got = CREDENTIAL_SETTINGS.has(key)
        ? "(not shown: it holds a credential)"
        : JSON.stringify(source[key]);
      return `  ${i.path.join(".")}: ${i.message} (got ${got})`;
    });
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = { ...parsed.data, ...overrides };
  env.EMAIL_VERIFICATION ??= env.SMTP_URL ? "required" : "off";
  // Checked on the merged settings: tests pass SMTP_URL as an override.
  if (env.EMAIL_VERIFICATION === "required" && !env.SMTP_URL) {
    throw new EnvError(
      "Invalid configuration:\n  EMAIL_VERIFICATION: `required` needs a mail server: set SMTP_URL and SMTP_FROM, or EMAIL_VERIFICATION=off",
    );
  }
  return env as Env;
}
