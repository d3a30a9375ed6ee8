import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { workspaceOf } from "../auth/caller.ts";
import {
  LanguageUnavailableError,
  languageId,
  languageInfo,
  type RunResult,
  runLimitsInfo,
  runResult,
} from "../execution/executor.ts";
import { OwnerShareError, QueueFullError, RunQueueClosedError } from "../execution/run-queue.ts";
import { recordHistory } from "../history/history.ts";
import { text, toStorable } from "../input/text.ts";
import type { RunObservation } from "../ports.ts";
import { currentQuestion } from "../questions/session-question.ts";
import { enforceRateLimit, RetryAfter } from "../rate-limit.ts";
import { newId } from "../session/ids.ts";
import { actorName, requireSession, sessionId } from "../session/sessions.ts";
import { badInput, type Context, isSessionInterviewer, publicProcedure } from "../trpc.ts";
import { MAX_CODE_BYTES } from "./code.ts";

export const MAX_STDIN_BYTES = 1024 * 1024;
/** How much of a run's output the session history keeps. */
const HISTORY_OUTPUT_CHARS = 16 * 1024;
/** What a run cut off by the server's shutdown reports (SHUTDOWN_TIMEOUT_SECONDS passed, or it never started). */
export const SHUTDOWN_MESSAGE = "The run was cancelled: the server is shutting down";

async function limit(ctx: Context, key: string, max: number, what: string) {
  await enforceRateLimit(ctx, key, max, `runs ${what}`);
}

export const languagesRouter = {
  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/languages",
        operationId: "listLanguages",
        auth: "none",
        tags: ["execution"],
        summary:
          "Languages, their detected versions, whether each can run here, and what a run may use and write",
        description: "A language that cannot run here says why (`reason`); runs in it answer 503.",
      },
    })
    .input(z.void())
    .output(z.object({ languages: z.array(languageInfo), limits: runLimitsInfo.optional() }))
    .query(async ({ ctx }) => ({
      languages: await ctx.executor.languages(),
      limits: ctx.executor.limits?.(),
    })),
} satisfies TRPCRouterRecord;

export const executeRouter = {
  run: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/execute",
        operationId: "runCode",
        auth: "optional",
        // 401 where the instance runs code outside a session only for members and API keys.
        errors: [401, 409, 429],
        tags: ["execution"],
        summary: "Run code in the sandbox; with `sessionId` the run is shared with the session",
        description:
          `\`code\` is at most ${MAX_CODE_BYTES / 1024} KiB and \`stdin\` at most ${MAX_STDIN_BYTES / 1024 / 1024} MiB ` +
          "of UTF-8 (413 above). No string may contain NUL or unpaired surrogates (400 naming the field): " +
          "a process cannot take NUL in its arguments, and the session's history (PostgreSQL) cannot store " +
          "it. Runs are limited per client and per session (429) and queued (503 when the queue is full), " +
          "both with `Retry-After`; a run in an ended session is refused (409).",
      },
    })
    .input(
      z.strictObject({
        language: languageId,
        code: text().meta({
          description: `The program, at most ${MAX_CODE_BYTES / 1024} KiB`,
          example: "print(input())\n",
        }),
        stdin: text()
          .default("")
          .meta({
            description: `Standard input, at most ${MAX_STDIN_BYTES / 1024 / 1024} MiB`,
            example: "Ada\n",
          }),
        args: z
          .array(text().max(4096))
          .max(64)
          .default([])
          .meta({
            description: "Command-line arguments, at most 64 of 4096 characters each",
            example: ["--verbose"],
          }),
        sessionId: sessionId
          .optional()
          .meta({ description: "Share the run with this session's room and history" }),
        runBy: actorName
          .optional()
          .meta({ description: "Display name of who ran it, shown to the session; trimmed", example: "Ada" }),
        seed: text()
          .optional()
          .meta({
            description: `For \`sql\`: the schema and data the code runs against (a question's), at most ${MAX_CODE_BYTES / 1024} KiB; default: a small sample schema`,
            example: "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
          }),
      }),
    )
    .output(runResult.extend({ runId: z.string() }))
    .mutation(async ({ ctx, input, signal }) => {
      if (Buffer.byteLength(input.code) > MAX_CODE_BYTES) {
        throw badInput("code", `larger than ${MAX_CODE_BYTES / 1024} KiB`, "PAYLOAD_TOO_LARGE");
      }
      if (input.seed !== undefined && Buffer.byteLength(input.seed) > MAX_CODE_BYTES) {
        throw badInput("seed", `larger than ${MAX_CODE_BYTES / 1024} KiB`, "PAYLOAD_TOO_LARGE");
      }
      if (Buffer.byteLength(input.stdin) > MAX_STDIN_BYTES) {
        throw badInput("stdin", `larger than ${MAX_STDIN_BYTES / 1024 / 1024} MiB`, "PAYLOAD_TOO_LARGE");
      }
      const session = input.sessionId ? await requireSession(ctx, input.sessionId) : null;
      if (!session && !ctx.config.anonymousSessions && !workspaceOf(await ctx.caller())) {
        throw new TRPCError({
          code: "UNAUTHORIZED",
          message: "Running code outside a session needs a workspace member or an API key on this server",
        });
      }
      if (session?.status === "ended") {
        throw new TRPCError({ code: "CONFLICT", message: "The interview has ended; runs are closed" });
      }
      const info = ctx.executor.language
        ? await ctx.executor.language(input.language)
        : (await ctx.executor.languages()).find((l) => l.id === input.language);
      if (!info?.available) {
        throw new TRPCError({
          code: "SERVICE_UNAVAILABLE",
          message: `${input.language} cannot run on this server: ${info?.reason ?? "no toolchain"}`,
        });
      }
      await limit(ctx, `run:client:${ctx.clientKey}`, ctx.config.runsPerMinutePerClient, "from this client");
      if (session)
        await limit(ctx, `run:session:${session.id}`, ctx.config.runsPerMinutePerSession, "in this session");

      // A SQL run in a session with a question runs against its first public test's data, which the
      // candidate sees; a hidden test's data is never used (its output would show it).
      const seed =
        input.seed ??
        (session && input.language === "sql"
          ? (await currentQuestion(ctx.db, session.id))?.question.tests.find(
              (t) => t.visibility === "public" && t.seed !== undefined,
            )?.seed
          : undefined);
      const runId = newId();
      ctx.logFields.runId = runId;
      const by =
        input.runBy ?? (session && (await isSessionInterviewer(ctx, session)) ? "interviewer" : null);
      if (session) {
        await ctx.events.publish(session.id, { type: "run-started", runId, language: input.language, by });
      }
      // Everyone watching sees the run end, whether it ran or could not start.
      const finish = async (result: RunResult) => {
        if (!session) return;
        await ctx.events.publish(session.id, {
          type: "run-finished",
          runId,
          language: input.language,
          by,
          result,
        });
      };
      // The client going away (REST or tRPC) drops the run: a waiting one never starts, a running one is killed.
      const abandoned = [signal, ctx.requestSignal].filter((s): s is AbortSignal => s !== undefined);
      let result: RunResult;
      const queuedAt = performance.now();
      let startedAt = 0;
      const observe = (status: RunObservation["status"]) => {
        const now = performance.now();
        ctx.runMetrics?.observeRun({
          language: input.language,
          status,
          waitSeconds: ((startedAt || now) - queuedAt) / 1000,
          runSeconds: startedAt ? (now - startedAt) / 1000 : 0,
        });
      };
      /** Why the running job was aborted, if it was: a shutdown is reported as such. */
      let jobSignal = undefined as AbortSignal | undefined;
      try {
        result = await ctx.runQueue.submit(
          (abort) => {
            jobSignal = abort;
            startedAt = performance.now();
            return ctx.executor.run(
              {
                language: input.language,
                code: input.code,
                stdin: input.stdin,
                args: input.args,
                seed,
                log: { sessionId: session?.id, runId },
              },
              abort,
            );
          },
          {
            signal: abandoned.length > 0 ? AbortSignal.any(abandoned) : undefined,
            owners: [`client:${ctx.clientKey}`, ...(session ? [`session:${session.id}`] : [])],
          },
        );
      } catch (error) {
        const gone = abandoned.some((s) => s.aborted);
        observe(error instanceof QueueFullError || error instanceof OwnerShareError ? "rejected" : "failed");
        await finish({
          status: "internal_error",
          stdout: "",
          stderr:
            error instanceof QueueFullError
              ? "Server busy: the run queue is full"
              : error instanceof OwnerShareError
                ? "Too many runs at once from this client or session"
                : error instanceof RunQueueClosedError
                  ? SHUTDOWN_MESSAGE
                  : gone
                    ? "The run was cancelled: its client went away"
                    : "The run could not start",
          exitCode: null,
          signal: null,
          timeMs: 0,
          truncated: false,
        });
        if (error instanceof OwnerShareError) {
          const who = error.owner.startsWith("session:") ? "this session has" : "you have";
          throw new TRPCError({
            code: "TOO_MANY_REQUESTS",
            message: `Too many runs at once: ${who} ${error.share} running or waiting; wait for one to finish`,
            cause: new RetryAfter(error.retryAfterSeconds),
          });
        }
        if (error instanceof QueueFullError) {
          throw new TRPCError({
            code: "SERVICE_UNAVAILABLE",
            message: "Too many runs are waiting; try again shortly",
            cause: new RetryAfter(error.retryAfterSeconds),
          });
        }
        if (error instanceof LanguageUnavailableError) {
          throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: error.message });
        }
        if (error instanceof RunQueueClosedError) {
          throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: SHUTDOWN_MESSAGE });
        }
        if (gone) throw new TRPCError({ code: "CLIENT_CLOSED_REQUEST", message: "The client went away" });
        throw error;
      }
      // Cut off at the shutdown deadline: the caller, the session and the history all say so.
      const cutOff = jobSignal?.reason instanceof RunQueueClosedError && result.status === "internal_error";
      if (cutOff) result = { ...result, stderr: SHUTDOWN_MESSAGE };
      observe(result.status);
      const logged = { requestId: ctx.requestId, sessionId: session?.id, runId, language: input.language };
      if (cutOff) {
        ctx.logger.warn("run cancelled: the server is shutting down", logged);
      } else if (result.status === "internal_error") {
        // The program's own output stays out of logs; the executor logged its side of the failure.
        ctx.logger.error("run ended with an internal error", logged);
      } else {
        ctx.logger.debug?.("run finished", { ...logged, status: result.status, timeMs: result.timeMs });
      }
      await finish(result);
      if (session) {
        await recordHistory(ctx, session.id, "run", by, {
          // `runBy` is a display name the caller chose; the role is the server's.
          role: (await isSessionInterviewer(ctx, session)) ? "interviewer" : "candidate",
          runId,
          language: input.language,
          code: input.code,
          stdin: toStorable(input.stdin.slice(0, HISTORY_OUTPUT_CHARS)),
          status: result.status,
          exitCode: result.exitCode,
          // What a program prints may hold NUL, which the history (jsonb) cannot store.
          stdout: toStorable(result.stdout.slice(0, HISTORY_OUTPUT_CHARS)),
          stderr: toStorable(result.stderr.slice(0, HISTORY_OUTPUT_CHARS)),
          compileOutput:
            result.compileOutput === undefined
              ? undefined
              : toStorable(result.compileOutput.slice(0, HISTORY_OUTPUT_CHARS)),
          timeMs: result.timeMs,
        });
      }
      return { ...result, runId };
    }),
} satisfies TRPCRouterRecord;
