import type { Db } from "@pairpad/db/client";
import { sessionQuestions } from "@pairpad/db/schema";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { difficulty, type Question } from "./question.ts";
import { SHOWN_IO_CHARS } from "./verdict.ts";

const clip = (text: string) => (text.length > SHOWN_IO_CHARS ? `${text.slice(0, SHOWN_IO_CHARS)}\n…` : text);

/** What everyone in the room sees of the question: never hidden tests, the reference solution or the rubric. */
export const roomQuestion = z.object({
  id: z.string().nullable().describe("The bank question it was copied from (null once that is deleted)"),
  title: z.string(),
  prompt: z.string().describe("Markdown; render it sanitized"),
  difficulty,
  tags: z.array(z.string()),
  starterCode: z.record(z.string(), z.string()),
  tests: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      stdin: z.string(),
      expected: z.string(),
      timeLimitMs: z.number(),
      seed: z.string().optional().describe("SQL: the schema and data the query runs against"),
    }),
  ),
});
export type RoomQuestion = z.infer<typeof roomQuestion>;

export interface SessionQuestion {
  question: Question;
  chosenBy: string | null;
  chosenAt: Date;
}

export async function currentQuestion(db: Db, sessionId: string): Promise<SessionQuestion | null> {
  const [row] = await db.select().from(sessionQuestions).where(eq(sessionQuestions.sessionId, sessionId));
  if (!row) return null;
  return {
    question: { ...(row.question as Question), id: row.questionId ?? (row.question as Question).id },
    chosenBy: row.chosenBy,
    chosenAt: row.chosenAt,
  };
}

/** Picks a copy of `question` for the session, replacing the previous one. */
export async function setSessionQuestion(
  db: Db,
  sessionId: string,
  question: Question,
  chosenBy: string | null,
  at: Date,
): Promise<void> {
  await db
    .insert(sessionQuestions)
    .values({ sessionId, questionId: question.id, question, chosenBy, chosenAt: at })
    .onConflictDoUpdate({
      target: sessionQuestions.sessionId,
      set: { questionId: question.id, question, chosenBy, chosenAt: at },
    });
}

export async function clearSessionQuestion(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessionQuestions).where(eq(sessionQuestions.sessionId, sessionId));
}

/** The candidate's view: built field by field, so nothing new on `Question` leaks by default. */
export function toRoomQuestion(question: Question): RoomQuestion {
  return {
    id: question.id,
    title: question.title,
    prompt: question.prompt,
    difficulty: question.difficulty,
    tags: question.tags,
    starterCode: question.starterCode as Record<string, string>,
    tests: question.tests
      .filter((t) => t.visibility === "public")
      .map((t) => ({
        id: t.id,
        name: t.name,
        stdin: clip(t.stdin),
        expected: clip(t.expected),
        timeLimitMs: t.timeLimitMs,
        ...(t.seed !== undefined ? { seed: clip(t.seed) } : {}),
      })),
  };
}
