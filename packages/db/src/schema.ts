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
import { type HistoryKind, historyKinds } from "./history-kinds.ts";

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
  },
  (t) => [
    index("sessions_expires_at_idx").on(t.expiresAt),
    // The question bank accepts any live session's interviewer token until workspaces exist.
    index("sessions_interviewer_token_idx").on(t.interviewerTokenHash),
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
  (t) => [index("history_entries_session_idx").on(t.sessionId, t.id)],
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
