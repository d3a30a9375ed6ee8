import { scorecardRevisions, scorecards, testRuns } from "@pairpad/db/schema";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { ApiDeps } from "../trpc.ts";
import { noteParagraph, readNotes } from "./notes.ts";
import { question } from "./question.ts";
import { currentQuestion } from "./session-question.ts";
import { type TestVerdict, testRunResult } from "./verdict.ts";

/** The interviewer-only part of an interview's record: in the export and the report, never elsewhere. */
export const interviewRecord = z.object({
  question: question.nullable(),
  testRuns: z.array(testRunResult),
  notes: z.array(noteParagraph),
  scorecard: z
    .object({
      ratings: z.array(z.object({ itemId: z.string(), rating: z.number(), comment: z.string() })),
      recommendation: z.enum(["strong_no", "no", "yes", "strong_yes"]).nullable(),
      summary: z.string(),
      updatedAt: z.iso.datetime(),
      updatedBy: z.string().nullable(),
    })
    .nullable(),
  scorecardRevisions: z
    .array(
      z.object({
        savedAt: z.iso.datetime(),
        savedBy: z.string().nullable(),
        recommendation: z.enum(["strong_no", "no", "yes", "strong_yes"]).nullable(),
        summary: z.string(),
        ratings: z.array(z.object({ itemId: z.string(), rating: z.number(), comment: z.string() })),
      }),
    )
    .meta({ description: "Every save of the scorecard, oldest first; the last is `scorecard`" }),
});
export type InterviewRecord = z.infer<typeof interviewRecord>;

export async function interviewRecordOf(
  deps: Pick<ApiDeps, "db">,
  sessionId: string,
): Promise<InterviewRecord> {
  const [current, runs, notes, [card], revisions] = await Promise.all([
    currentQuestion(deps.db, sessionId),
    deps.db.select().from(testRuns).where(eq(testRuns.sessionId, sessionId)).orderBy(asc(testRuns.createdAt)),
    readNotes(deps.db, sessionId),
    deps.db.select().from(scorecards).where(eq(scorecards.sessionId, sessionId)),
    deps.db
      .select()
      .from(scorecardRevisions)
      .where(eq(scorecardRevisions.sessionId, sessionId))
      .orderBy(asc(scorecardRevisions.savedAt), asc(scorecardRevisions.id)),
  ]);
  return {
    question: current?.question ?? null,
    testRuns: runs.map((row) => {
      const tests = row.results as TestVerdict[];
      return {
        id: row.id,
        scope: row.scope,
        language: row.language as z.infer<typeof testRunResult>["language"],
        verdict: row.verdict as z.infer<typeof testRunResult>["verdict"],
        passed: tests.filter((t) => t.verdict === "passed").length,
        total: tests.length,
        tests,
        runBy: row.runBy,
        createdAt: row.createdAt.toISOString(),
      };
    }),
    notes,
    scorecard: card
      ? {
          ratings: card.ratings as Array<{ itemId: string; rating: number; comment: string }>,
          recommendation: card.recommendation,
          summary: card.summary,
          updatedAt: card.updatedAt.toISOString(),
          updatedBy: card.updatedBy,
        }
      : null,
    scorecardRevisions: revisions.map((r) => ({
      savedAt: r.savedAt.toISOString(),
      savedBy: r.savedBy,
      recommendation: r.recommendation,
      summary: r.summary,
      ratings: r.ratings as Array<{ itemId: string; rating: number; comment: string }>,
    })),
  };
}
