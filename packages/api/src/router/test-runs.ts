import { type TestRunRow, testRuns } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { type LanguageId, languageId } from "../execution/executor.ts";
import { OwnerShareError, QueueFullError } from "../execution/run-queue.ts";
import { recordHistory } from "../history/history.ts";
import { text, toStorable } from "../input/text.ts";
import { judge } from "../questions/judge.ts";
import { currentQuestion } from "../questions/session-question.ts";
import { type TestRunResult, type TestVerdict, testRunResult, testRunScope } from "../questions/verdict.ts";
import { enforceRateLimit, RetryAfter } from "../rate-limit.ts";
import { newId } from "../session/ids.ts";
import { actorName, readableSessionId, sessionId } from "../session/sessions.ts";
import { assertInterviewer, badInput, sessionProcedure } from "../trpc.ts";
import { MAX_CODE_BYTES } from "./code.ts";

function toResult(row: TestRunRow): TestRunResult {
  const tests = row.results as TestVerdict[];
  return {
    id: row.id,
    scope: row.scope,
    language: row.language as LanguageId,
    verdict: row.verdict as TestRunResult["verdict"],
    passed: tests.filter((t) => t.verdict === "passed").length,
    total: tests.length,
    tests,
    runBy: row.runBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Running a submission against the session's question. Public runs are shared with the room like a run;
 * hidden and reference runs, and their results, reach interviewers only (their answer and their list).
 */
export const testRunRouter = {
  run: sessionProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/test-runs",
        operationId: "runTests",
        auth: "optional",
        errors: [409, 429],
        tags: ["questions"],
        summary: "Run the code against the question's tests and get a verdict per test",
        description:
          "`public` (anyone in the room) runs the public tests and shares the verdicts with the room; `hidden` " +
          "(every test) and `reference` (the reference solution) need the interviewer token and are seen by " +
          "interviewers only. Without `code`, the live code and language of the session are run.",
      },
    })
    .input(
      z.object({
        id: sessionId,
        scope: testRunScope.default("public"),
        language: languageId.optional(),
        code: text().optional(),
        runBy: actorName.optional(),
      }),
    )
    .output(testRunResult)
    .mutation(async ({ ctx, input, signal }) => {
      const session = ctx.session;
      if (input.scope !== "public") await assertInterviewer(ctx);
      if (session.status === "ended") {
        throw new TRPCError({ code: "CONFLICT", message: "The interview has ended; runs are closed" });
      }
      const current = await currentQuestion(ctx.db, session.id);
      if (!current)
        throw new TRPCError({ code: "CONFLICT", message: "The session has no question with tests" });
      const { question } = current;
      let submission: { language: LanguageId; code: string };
      if (input.scope === "reference") {
        if (!question.referenceSolution) {
          throw new TRPCError({ code: "CONFLICT", message: "The question has no reference solution" });
        }
        submission = question.referenceSolution;
      } else if (input.code !== undefined) {
        submission = { language: input.language ?? session.language, code: input.code } as typeof submission;
      } else {
        const live = await ctx.rooms.readCode(session.id);
        submission = {
          language: input.language ?? live.language ?? (session.language as LanguageId),
          code: toStorable(live.code),
        };
      }
      if (Buffer.byteLength(submission.code) > MAX_CODE_BYTES) {
        throw badInput("code", `larger than ${MAX_CODE_BYTES / 1024} KiB`, "PAYLOAD_TOO_LARGE");
      }
      const tests = question.tests.filter((t) => input.scope !== "public" || t.visibility === "public");
      if (tests.length === 0) {
        throw new TRPCError({
          code: "CONFLICT",
          message: `The question has no ${input.scope === "public" ? "public " : ""}tests`,
        });
      }
      const info = (await ctx.executor.languages()).find((l) => l.id === submission.language);
      if (!info?.available) {
        throw new TRPCError({
          code: "SERVICE_UNAVAILABLE",
          message: `${submission.language} cannot run on this server: ${info?.reason ?? "no toolchain"}`,
        });
      }
      await enforceRateLimit(
        ctx,
        `run:client:${ctx.clientKey}`,
        ctx.config.runsPerMinutePerClient,
        "runs from this client",
      );
      await enforceRateLimit(
        ctx,
        `run:session:${session.id}`,
        ctx.config.runsPerMinutePerSession,
        "runs in this session",
      );

      const shared = input.scope === "public";
      const by = input.runBy ?? (ctx.isInterviewer ? "interviewer" : null);
      const runId = newId();
      if (shared) {
        await ctx.events.publish(session.id, {
          type: "test-run-started",
          runId,
          scope: input.scope,
          language: submission.language,
          by,
        });
      } else if (input.scope !== "public") {
        await ctx.interviewerEvents.publish(session.id, {
          type: "private-test-run-started",
          runId,
          scope: input.scope,
          language: submission.language,
          by,
        });
      }
      let judged: Awaited<ReturnType<typeof judge>>;
      try {
        judged = await judge(ctx, submission, tests, {
          owners: [`client:${ctx.clientKey}`, `session:${session.id}`],
          signal,
        });
      } catch (error) {
        if (error instanceof OwnerShareError || error instanceof QueueFullError) {
          throw new TRPCError({
            code: error instanceof OwnerShareError ? "TOO_MANY_REQUESTS" : "SERVICE_UNAVAILABLE",
            message: "Too many runs at once; try again shortly",
            cause: new RetryAfter(error.retryAfterSeconds),
          });
        }
        throw error;
      }
      const failed = judged.tests.find((t) => t.verdict !== "passed");
      const [row] = await ctx.db
        .insert(testRuns)
        .values({
          id: runId,
          sessionId: session.id,
          questionId: question.id,
          scope: input.scope,
          language: submission.language,
          code: submission.code,
          verdict: failed?.verdict ?? "passed",
          results: judged.tests,
          runBy: by,
          createdAt: ctx.clock(),
        })
        .returning();
      if (!row) throw new Error("insert returned no row");
      const result = { ...toResult(row), compileOutput: judged.compileOutput };
      if (shared) {
        await ctx.events.publish(session.id, { type: "test-run-finished", run: result });
        await recordHistory(ctx, session.id, "test_run", by, {
          // `runBy` is a display name the caller chose; the role is the server's.
          role: ctx.isInterviewer ? "interviewer" : "candidate",
          runId,
          language: result.language,
          verdict: result.verdict,
          passed: result.passed,
          total: result.total,
        });
      } else {
        await ctx.interviewerEvents.publish(session.id, { type: "private-test-run-finished", run: result });
      }
      return result;
    }),

  list: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/test-runs",
        operationId: "listTestRuns",
        auth: "optional",
        tags: ["questions"],
        summary:
          "Test runs of the session, newest first: public runs for everyone, all runs for interviewers",
      },
    })
    .input(
      z.object({
        id: readableSessionId.meta({ description: "The session id, or an observer link's id" }),
        limit: z.number().int().min(1).max(100).default(20).meta({ description: "Runs per page, 1 to 100" }),
      }),
    )
    .output(z.object({ runs: z.array(testRunResult) }))
    .query(async ({ ctx, input }) => {
      const session = ctx.session;
      const all = ctx.isInterviewer;
      const rows = await ctx.db
        .select()
        .from(testRuns)
        .where(and(eq(testRuns.sessionId, session.id), all ? undefined : eq(testRuns.scope, "public")))
        .orderBy(desc(testRuns.createdAt), desc(testRuns.id))
        .limit(input.limit);
      return { runs: rows.map(toResult) };
    }),
} satisfies TRPCRouterRecord;
