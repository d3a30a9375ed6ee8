import type { Db } from "@pairpad/db/client";
import { type QuestionRow, questions } from "@pairpad/db/schema";
import { and, arrayContains, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { newId } from "../session/ids.ts";
import { badInput } from "../trpc.ts";
import type { Question, QuestionSummary, questionInput, RubricItem, TestCase } from "./question.ts";

/**
 * Whose bank a caller works in. `organizationId: null` is the instance-wide bank used before
 * workspaces exist; every query here filters by the scope, so a workspace's bank is this same code.
 */
export interface BankScope {
  organizationId: string | null;
}

type ParsedInput = z.output<typeof questionInput>;

function inScope(scope: BankScope): SQL {
  return scope.organizationId === null
    ? isNull(questions.organizationId)
    : eq(questions.organizationId, scope.organizationId);
}

/** Gives every test and rubric item an id unique within the question; a repeated id is a 400. */
function withIds<T extends { id?: string }>(
  items: T[],
  field: string,
  prefix: string,
): Array<T & { id: string }> {
  const taken = new Set<string>();
  items.forEach((item, i) => {
    if (item.id === undefined) return;
    if (taken.has(item.id)) throw badInput(`${field}.${i}.id`, `"${item.id}" is used twice`);
    taken.add(item.id);
  });
  let n = 0;
  return items.map((item) => {
    if (item.id !== undefined) return item as T & { id: string };
    let id: string;
    do id = `${prefix}${++n}`;
    while (taken.has(id));
    taken.add(id);
    return { ...item, id };
  });
}

function toRowValues(input: ParsedInput) {
  return {
    title: input.title,
    prompt: input.prompt,
    difficulty: input.difficulty,
    tags: [...new Set(input.tags)],
    starterCode: input.starterCode as Record<string, string>,
    tests: withIds(input.tests, "tests", "t"),
    referenceSolution: input.referenceSolution,
    rubric: withIds(input.rubric, "rubric", "r"),
  };
}

export function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id,
    title: row.title,
    prompt: row.prompt,
    difficulty: row.difficulty,
    tags: row.tags,
    starterCode: row.starterCode,
    tests: row.tests as TestCase[],
    referenceSolution: row.referenceSolution as Question["referenceSolution"],
    rubric: row.rubric as RubricItem[],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function createQuestion(
  db: Db,
  scope: BankScope,
  input: ParsedInput,
  now: Date,
): Promise<Question> {
  const [row] = await db
    .insert(questions)
    .values({
      id: newId(),
      organizationId: scope.organizationId,
      ...toRowValues(input),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return toQuestion(row);
}

/** A new question's row, checked (a repeated test id throws) but not written: an import inserts the good ones at once. */
export function prepareQuestion(scope: BankScope, input: ParsedInput, now: Date) {
  return {
    id: newId(),
    organizationId: scope.organizationId,
    ...toRowValues(input),
    createdAt: now,
    updatedAt: now,
  };
}

export async function insertQuestions(
  db: Db,
  rows: Array<ReturnType<typeof prepareQuestion>>,
): Promise<void> {
  if (rows.length > 0) await db.insert(questions).values(rows);
}

export async function findQuestion(db: Db, scope: BankScope, id: string): Promise<Question | null> {
  const [row] = await db
    .select()
    .from(questions)
    .where(and(inScope(scope), eq(questions.id, id)));
  return row ? toQuestion(row) : null;
}

export async function replaceQuestion(
  db: Db,
  scope: BankScope,
  id: string,
  input: ParsedInput,
  now: Date,
): Promise<Question | null> {
  const [row] = await db
    .update(questions)
    .set({ ...toRowValues(input), updatedAt: now })
    .where(and(inScope(scope), eq(questions.id, id)))
    .returning();
  return row ? toQuestion(row) : null;
}

export async function deleteQuestion(db: Db, scope: BankScope, id: string): Promise<boolean> {
  const rows = await db
    .delete(questions)
    .where(and(inScope(scope), eq(questions.id, id)))
    .returning({ id: questions.id });
  return rows.length > 0;
}

export interface QuestionSearch {
  /** Words looked for in the title and prompt, case-insensitively; each may be the start of a word. */
  query?: string;
  tags?: string[];
  difficulty?: "easy" | "medium" | "hard";
  cursor?: string;
  limit: number;
}

/** Keyset cursor: the last row's creation time (µs kept by PostgreSQL are cut to ms by JS) and id. */
function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) throw badInput("cursor", "not a cursor this list returned");
  return { createdAt, id };
}

/** Newest first, `limit` at a time; the summary columns are computed in SQL so the tests never leave the database. */
export async function searchQuestions(
  db: Db,
  scope: BankScope,
  search: QuestionSearch,
): Promise<{ items: QuestionSummary[]; nextCursor: string | null }> {
  // Letters and digits only: what reaches to_tsquery can never be its operators.
  const words = (search.query?.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  const after = search.cursor ? decodeCursor(search.cursor) : null;
  const rows = await db
    .select({
      id: questions.id,
      title: questions.title,
      difficulty: questions.difficulty,
      tags: questions.tags,
      languages: sql<string[]>`array(select jsonb_object_keys(${questions.starterCode}))`,
      hiddenTests: sql<number>`(select count(*)::int from jsonb_array_elements(${questions.tests}) t where t->>'visibility' = 'hidden')`,
      tests: sql<number>`jsonb_array_length(${questions.tests})`,
      createdAt: questions.createdAt,
      updatedAt: questions.updatedAt,
    })
    .from(questions)
    .where(
      and(
        inScope(scope),
        words.length > 0
          ? sql`${questions.searchVector} @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})`
          : undefined,
        search.tags?.length ? arrayContains(questions.tags, search.tags) : undefined,
        search.difficulty ? eq(questions.difficulty, search.difficulty) : undefined,
        after
          ? or(
              lt(questions.createdAt, after.createdAt),
              and(eq(questions.createdAt, after.createdAt), lt(questions.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(questions.createdAt), desc(questions.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      title: r.title,
      difficulty: r.difficulty,
      tags: r.tags,
      languages: r.languages,
      publicTests: r.tests - r.hiddenTests,
      hiddenTests: r.hiddenTests,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    })),
    nextCursor: rows.length > search.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** Every question of the scope, oldest first, for an export. */
export async function allQuestions(db: Db, scope: BankScope): Promise<Question[]> {
  const rows = await db
    .select()
    .from(questions)
    .where(inScope(scope))
    .orderBy(questions.createdAt, questions.id);
  return rows.map(toQuestion);
}
