import { sql } from "drizzle-orm";
import { check, customType, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
// A cycle with schema.ts, harmless: `sessions` is only read inside the lazy `references` callbacks.
import { sessions } from "./schema.ts";

/**
 * Interview content: the question bank, the question a session is on, test runs, interviewer notes
 * and scorecards. Its own module so the workspace's tables and these merge without touching each other.
 */

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer)),
});
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** The JSON shapes stored here are validated by the API's zod schemas before they are written. */
export type StoredJson = Record<string, unknown> | unknown[];

/**
 * A bank question. `organization_id` is null for the instance-wide bank (no workspace yet); every
 * query goes through one scope so a workspace's bank is the same code with a non-null id.
 */
export const questions = pgTable(
  "questions",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id"),
    title: text("title").notNull(),
    prompt: text("prompt").notNull(),
    difficulty: text("difficulty", { enum: ["easy", "medium", "hard"] }).notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Language id → starter code. */
    starterCode: jsonb("starter_code").$type<Record<string, string>>().notNull().default({}),
    tests: jsonb("tests").$type<unknown[]>().notNull().default([]),
    referenceSolution: jsonb("reference_solution").$type<{ language: string; code: string } | null>(),
    rubric: jsonb("rubric").$type<unknown[]>().notNull().default([]),
    /** Words of the title and prompt ('simple': no stemming, any language), for indexed search. */
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`to_tsvector('simple', title || ' ' || prompt)`,
    ),
    createdAt: at("created_at"),
    updatedAt: at("updated_at"),
  },
  (t) => [
    index("questions_search_idx").using("gin", t.searchVector),
    // Keyset pagination, newest first: DESC NULLS FIRST as `ORDER BY … DESC` means (drizzle's default
    // NULLS LAST makes the planner sort). `organization_id IS NULL` is no equality to the planner, so the
    // instance bank has its own partial index.
    index("questions_scope_created_idx").on(
      t.organizationId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("questions_instance_created_idx")
      .on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.organizationId} is null`),
    index("questions_tags_idx").using("gin", t.tags),
    check("questions_difficulty_check", sql`${t.difficulty} in ('easy', 'medium', 'hard')`),
  ],
);

/** The question a session is on: a copy taken when it was picked, so later bank edits do not rewrite the interview. */
export const sessionQuestions = pgTable("session_questions", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  questionId: text("question_id").references(() => questions.id, { onDelete: "set null" }),
  question: jsonb("question").$type<Record<string, unknown>>().notNull(),
  chosenBy: text("chosen_by"),
  chosenAt: at("chosen_at"),
});

/** One run of a submission against a question's tests; hidden and reference runs are for interviewers only. */
export const testRuns = pgTable(
  "test_runs",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    questionId: text("question_id"),
    scope: text("scope", { enum: ["public", "hidden", "reference"] }).notNull(),
    language: text("language").notNull(),
    code: text("code").notNull(),
    verdict: text("verdict").notNull(),
    results: jsonb("results").$type<unknown[]>().notNull(),
    runBy: text("run_by"),
    createdAt: at("created_at"),
  },
  (t) => [
    index("test_runs_session_idx").on(t.sessionId, t.createdAt),
    check("test_runs_scope_check", sql`${t.scope} in ('public', 'hidden', 'reference')`),
  ],
);

/** The interviewers' notes of a session: a Yjs document of its own, never part of the shared one. */
export const interviewerNotes = pgTable("interviewer_notes", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  state: bytea("state").notNull(),
  updatedAt: at("updated_at"),
});

export const scorecards = pgTable("scorecards", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  /** Per rubric item: `{ itemId, rating 1–4, comment }`. */
  ratings: jsonb("ratings").$type<unknown[]>().notNull().default([]),
  recommendation: text("recommendation", { enum: ["strong_no", "no", "yes", "strong_yes"] }),
  summary: text("summary").notNull().default(""),
  updatedBy: text("updated_by"),
  updatedAt: at("updated_at"),
});

/** Every save of a scorecard, for the replay's markers and the export: the scorecard row is the latest. */
export const scorecardRevisions = pgTable(
  "scorecard_revisions",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    ratings: jsonb("ratings").$type<unknown[]>().notNull().default([]),
    recommendation: text("recommendation", { enum: ["strong_no", "no", "yes", "strong_yes"] }),
    summary: text("summary").notNull().default(""),
    savedBy: text("saved_by"),
    savedAt: at("saved_at"),
  },
  (t) => [index("scorecard_revisions_session_idx").on(t.sessionId, t.savedAt)],
);

export type QuestionRow = typeof questions.$inferSelect;
export type TestRunRow = typeof testRuns.$inferSelect;
export type ScorecardRow = typeof scorecards.$inferSelect;
