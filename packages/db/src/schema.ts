import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  customType,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { authUsers, organizations } from "./auth-schema.ts";
import { type HistoryKind, historyKinds } from "./history-kinds.ts";

export * from "./auth-schema.ts";

/** Binary column: postgres-js hands back a Buffer, PGlite a Uint8Array; both are Uint8Arrays. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    language: text("language").notNull(),
    status: text("status", { enum: ["active", "ended"] })
      .notNull()
      .default("active"),
    /** SHA-256 of the interviewer token, hex; the token itself is never stored. */
    interviewerTokenHash: text("interviewer_token_hash").notNull(),
    /**
     * The observer link's id: watches the session, and the session id (the candidate link) cannot be
     * derived from it. Null for sessions made before it existed (their observer link is the old one).
     */
    observerId: text("observer_id").unique("sessions_observer_id_unique"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    /** The workspace that keeps the record; null for an anonymous quick session (swept at expiry). */
    organizationId: text("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** The member (user id) who created it; null when anonymous or made with an API key. */
    createdBy: text("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    endedAt: timestamp("ended_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("sessions_expires_at_idx").on(t.expiresAt),
    // The question bank accepts any live session's interviewer token until workspaces exist.
    index("sessions_interviewer_token_idx").on(t.interviewerTokenHash),
    // The dashboard's keyset: newest first within an organization.
    index("sessions_organization_created_idx").on(t.organizationId, t.createdAt.desc(), t.id.desc()),
    check("sessions_status_check", sql`${t.status} in ('active', 'ended')`),
  ],
);

export const codeSnapshots = pgTable(
  "code_snapshots",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    language: text("language").notNull(),
    label: text("label"),
    author: text("author"),
    createdAt: createdAt(),
  },
  (t) => [index("code_snapshots_session_idx").on(t.sessionId, t.createdAt)],
);

export { historyKinds };

export const historyEntries = pgTable(
  "history_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: historyKinds }).notNull(),
    actor: text("actor"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("history_entries_session_idx").on(t.sessionId, t.id),
    // Who joined and when, without reading a session's edits: the dashboard's names and times.
    index("history_entries_joins_idx").on(t.sessionId, t.createdAt).where(sql`${t.kind} = 'join'`),
  ],
);

/**
 * The Yjs update log: every update as received, with its time and author. Kept whole for replay;
 * `document_states` holds a compacted state so loading does not replay the log.
 */
export const documentUpdates = pgTable(
  "document_updates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    update: bytea("update").notNull(),
    /** The author's display name, as the client announced it. */
    actor: text("actor"),
    /** Who sent it, as the server knows it: the socket's connection id and its role; null for the server's own changes. */
    connectionId: text("connection_id"),
    role: text("role"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("document_updates_session_idx").on(t.sessionId, t.id)],
);

export const documentStates = pgTable("document_states", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  state: bytea("state").notNull(),
  /** Highest `document_updates.id` folded into `state`. */
  lastUpdateId: bigint("last_update_id", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export type SessionRow = typeof sessions.$inferSelect;
export type SnapshotRow = typeof codeSnapshots.$inferSelect;
export type HistoryRow = typeof historyEntries.$inferSelect;

export * from "./content-schema.ts";
export type { HistoryKind };

/** What a live terminal run went through, with timing, for the replay: its start, output, keystrokes, end. */
export const terminalEventKinds = ["start", "output", "input", "resize", "end"] as const;

export const terminalEvents = pgTable(
  "terminal_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    runId: text("run_id").notNull(),
    kind: text("kind", { enum: terminalEventKinds }).notNull(),
    /** Who typed (input) or started it (start); null for the program's output. */
    actor: text("actor"),
    /** Output and input: the bytes; start, resize and end: JSON. */
    data: bytea("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("terminal_events_session_idx").on(t.sessionId, t.id)],
);

export type TerminalEventRow = typeof terminalEvents.$inferSelect;
