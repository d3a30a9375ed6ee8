import { readdirSync, readFileSync } from "node:fs";
import type { RunMetrics, RunObservation } from "@pairpad/api/ports";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RoomStats } from "../rooms/index.ts";
import { methodLabel, type RouteLabels } from "./route-label.ts";

/** What the parts report, read once per scrape (never on their hot paths). */
export interface MetricSources {
  rooms?: () => RoomStats;
  runQueue?: () => { running: number; waiting: number };
  sandboxPool?: () => { idle: number; preparing: number; running: number };
}

type Snapshot = { rooms?: RoomStats; runQueue?: { running: number; waiting: number } };

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The node's Prometheus metrics (prom-client, one registry per server so several servers can share
 * a process in tests). Events on request and run paths observe histograms; the rooms' counters and
 * gauges are read from their `stats()` when scraped, so the hot path pays nothing for them.
 */
export class Metrics implements RunMetrics {
  readonly registry = new Registry();
  private sources: MetricSources = {};
  private routes: RouteLabels | null = null;
  private snapshot: Snapshot = {};

  private readonly httpDuration = new Histogram({
    name: "pairpad_http_request_duration_seconds",
    help: "HTTP requests by route pattern, method and status, until the response headers",
    labelNames: ["method", "route", "status"] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly runDuration = new Histogram({
    name: "pairpad_run_duration_seconds",
    help: "Code runs from start to result (compile included), by language and status",
    labelNames: ["language", "status"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
    registers: [this.registry],
  });
  private readonly runWait = new Histogram({
    name: "pairpad_run_queue_wait_seconds",
    help: "Time a run waited for a free slot, by language and status",
    labelNames: ["language", "status"] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  /** Observed by `MeasuredDocumentStore` around each append to the update log. */
  readonly flushDuration = new Histogram({
    name: "pairpad_update_log_flush_duration_seconds",
    help: "One append of queued document updates to the update log",
    labelNames: ["outcome"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly databaseRestarts = new Counter({
    name: "pairpad_database_restarts_total",
    help: "Times the embedded database's thread died and was restarted on its data directory",
    registers: [this.registry],
  });
  /** Counted by the SMTP invitation mailer, when one is configured. */
  readonly invitationEmails = new Counter({
    name: "pairpad_invitation_emails_total",
    help: "Invitation emails handed to the SMTP server, by outcome (sent, failed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  /** Counted by the SMTP mailer when email verification is on (EMAIL_VERIFICATION=required). */
  readonly accountEmails = new Counter({
    name: "pairpad_account_emails_total",
    help: "Account emails by kind (verification, existing-account, password-reset, sso-account) and outcome (sent, failed; suppressed: not sent, past the address's hourly budget)",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly busReconnects = new Counter({
    name: "pairpad_bus_reconnects_total",
    help: "Times the bus between nodes (Redis) came back after losing its connection",
    registers: [this.registry],
  });

  constructor() {
    this.processMetrics();
    this.roomMetrics();
    this.runMetrics();
  }

  /** Tells where the scrape-time values come from, and how to name routes. */
  configure(sources: MetricSources, routes: RouteLabels): void {
    this.sources = sources;
    this.routes = routes;
  }

  observeRequest(method: string, pathname: string, status: number, seconds: number): void {
    const route = this.routes?.route(pathname) ?? "{other}";
    this.httpDuration.observe({ method: methodLabel(method), route, status: String(status) }, seconds);
  }

  observeRun(run: RunObservation): void {
    const labels = { language: run.language, status: run.status };
    this.runWait.observe(labels, run.waitSeconds);
    if (run.runSeconds > 0) this.runDuration.observe(labels, run.runSeconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition; each source is read once. */
  async render(): Promise<string> {
    this.snapshot = { rooms: this.sources.rooms?.(), runQueue: this.sources.runQueue?.() };
    return this.registry.metrics();
  }

  // ------------------------------------------------------------------ read at scrape time

  private gauge(name: string, help: string, read: () => number | undefined): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  }

  /** A counter kept by another part, exposed as a counter (its current total at each scrape). */
  private counter<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Array<[Record<L, string>, number]> | undefined,
  ): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        const values = read();
        if (!values) return;
        this.reset();
        for (const [labels, value] of values) this.inc(labels as never, value);
      },
    });
  }

  private processMetrics(): void {
    const startTime = Math.round(Date.now() / 1000 - process.uptime());
    const maxFds = readMaxFds();
    new Gauge({
      name: "process_start_time_seconds",
      help: "Start time of the process since the Unix epoch",
      registers: [this.registry],
    }).set(startTime);
    this.counter("process_cpu_user_seconds_total", "User CPU time", [], () => [
      [{}, process.cpuUsage().user / 1e6],
    ]);
    this.counter("process_cpu_system_seconds_total", "System CPU time", [], () => [
      [{}, process.cpuUsage().system / 1e6],
    ]);
    this.counter("process_cpu_seconds_total", "User and system CPU time", [], () => {
      const cpu = process.cpuUsage();
      return [[{}, (cpu.user + cpu.system) / 1e6]];
    });
    this.gauge("process_resident_memory_bytes", "Resident memory", () => process.memoryUsage.rss());
    this.gauge("process_heap_bytes", "JavaScript heap in use", () => process.memoryUsage().heapUsed);
    this.gauge("process_open_fds", "Open file descriptors (sockets included)", countOpenFds);
    if (maxFds !== undefined) this.gauge("process_max_fds", "Most file descriptors allowed", () => maxFds);
    new Gauge({
      name: "pairpad_event_loop_lag_seconds",
      help: "How late an immediate callback ran at the last scrape",
      registers: [this.registry],
      async collect() {
        const start = performance.now();
        await new Promise((resolve) => setImmediate(resolve));
        this.set((performance.now() - start) / 1000);
      },
    });
    new Gauge({
      name: "pairpad_build_info",
      help: "Runtime of this node",
      labelNames: ["runtime", "version"] as const,
      registers: [this.registry],
    }).set({ runtime: "bun", version: Bun.version }, 1);
  }

  private roomMetrics(): void {
    const rooms = () => this.snapshot.rooms;
    this.gauge("pairpad_rooms", "Rooms (live documents) loaded on this node", () => rooms()?.rooms);
    this.gauge("pairpad_ws_connections", "Open WebSocket connections", () => rooms()?.connections);
    this.gauge(
      "pairpad_cluster_remote_nodes",
      "Other nodes this node hears on the bus",
      () => rooms()?.remoteNodes,
    );
    this.gauge(
      "pairpad_update_log_backlog",
      "Document updates received but not yet appended to the update log",
      () => rooms()?.pendingUpdates,
    );
    this.counter(
      "pairpad_ws_messages_received_total",
      "WebSocket messages received, by kind",
      ["kind"],
      () => {
        const s = rooms();
        if (!s) return undefined;
        return [
          [{ kind: "update" }, s.updatesIn],
          [{ kind: "awareness" }, s.awarenessIn],
          [{ kind: "other" }, Math.max(0, s.messagesIn - s.updatesIn - s.awarenessIn)],
        ];
      },
    );
    this.counter(
      "pairpad_ws_refused_total",
      "WebSocket messages or sockets refused, by reason",
      ["reason"],
      () => {
        const s = rooms();
        if (!s) return undefined;
        return [
          [{ reason: "malformed" }, s.malformedFrames],
          [{ reason: "rate_limited" }, s.rateLimited],
          [{ reason: "document_too_large" }, s.updatesRefused],
          [{ reason: "read_only" }, s.updatesIgnored],
          [{ reason: "slow_consumer" }, s.slowConsumers],
          [{ reason: "awareness_too_large" }, s.awarenessRefused],
          [{ reason: "frame_too_large" }, s.framesTooLarge],
        ];
      },
    );
    this.counter(
      "pairpad_update_log_persisted_updates_total",
      "Updates the rooms wrote to the log",
      [],
      () => (rooms() ? [[{}, rooms()?.persistedUpdates ?? 0]] : undefined),
    );
    this.counter("pairpad_update_log_failures_total", "Failed writes of the update log (retried)", [], () =>
      rooms() ? [[{}, rooms()?.persistFailures ?? 0]] : undefined,
    );
    this.counter(
      "pairpad_update_log_rejected_rows_total",
      "Rows the database refused (bad data): written without what the client supplied, or left out",
      [],
      () => (rooms() ? [[{}, rooms()?.rejectedRows ?? 0]] : undefined),
    );
    this.counter(
      "pairpad_history_dropped_total",
      "History rows dropped while the database was unreachable for long",
      [],
      () => (rooms() ? [[{}, rooms()?.historyDropped ?? 0]] : undefined),
    );
    this.counter("pairpad_document_compactions_total", "Update logs folded into a document state", [], () =>
      rooms() ? [[{}, rooms()?.compactions ?? 0]] : undefined,
    );
    this.counter(
      "pairpad_bus_messages_total",
      "Room messages exchanged with other nodes",
      ["direction"],
      () => {
        const s = rooms();
        if (!s) return undefined;
        return [
          [{ direction: "in" }, s.peerMessagesIn],
          [{ direction: "out" }, s.peerMessagesOut],
        ];
      },
    );
  }

  private runMetrics(): void {
    this.gauge("pairpad_runs_active", "Runs executing now", () => this.snapshot.runQueue?.running);
    this.gauge("pairpad_runs_waiting", "Runs waiting for a slot", () => this.snapshot.runQueue?.waiting);
    const sources = () => this.sources;
    new Gauge({
      name: "pairpad_sandbox_pool",
      help: "Local sandboxes: waiting ready for a run, being prepared, running",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const pool = sources().sandboxPool?.();
        if (!pool) return;
        this.set({ state: "idle" }, pool.idle);
        this.set({ state: "preparing" }, pool.preparing);
        this.set({ state: "running" }, pool.running);
      },
    });
  }
}

function countOpenFds(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

function readMaxFds(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+(\d+)/);
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}
