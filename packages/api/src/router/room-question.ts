import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { recordHistory } from "../history/history.ts";
import { text } from "../input/text.ts";
import { findQuestion } from "../questions/bank.ts";
import { question } from "../questions/question.ts";
import {
  clearSessionQuestion,
  currentQuestion,
  roomQuestion,
  setSessionQuestion,
  toRoomQuestion,
} from "../questions/session-question.ts";
import { actorName, readableSessionId, sessionId } from "../session/sessions.ts";
import { interviewerProcedure, sessionProcedure } from "../trpc.ts";

/** The question a session is on: everyone reads the prompt and public tests; the interviewer picks it. */
export const roomQuestionRouter = {
  get: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/question",
        operationId: "getSessionQuestion",
        auth: "optional",
        tags: ["questions"],
        summary:
          "The session's question as everyone in the room sees it (prompt, starter code, public tests)",
      },
    })
    .input(
      z.object({ id: readableSessionId.meta({ description: "The session id, or an observer link's id" }) }),
    )
    .output(z.object({ question: roomQuestion.nullable() }))
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const current = await currentQuestion(ctx.db, session.id);
      return { question: current ? toRoomQuestion(current.question) : null };
    }),

  full: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/question/full",
        operationId: "getSessionQuestionFull",
        auth: "required",
        tags: ["questions"],
        summary: "The session's question with hidden tests, reference solution and rubric (interviewer only)",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(z.object({ question: question.nullable() }))
    .query(async ({ ctx }) => {
      const session = ctx.session;
      return { question: (await currentQuestion(ctx.db, session.id))?.question ?? null };
    }),

  set: interviewerProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/sessions/{id}/question",
        operationId: "setSessionQuestion",
        errors: [409],
        auth: "required",
        tags: ["questions"],
        summary: "Pick the session's question from the bank, or clear it with null (interviewer only)",
        description:
          "Everyone in the room sees the new prompt. The starter code of the current language replaces the " +
          "code when the editor is empty or still holds the previous question's starter, as one ordinary change.",
      },
    })
    .input(
      z.object({ id: sessionId, questionId: text().min(1).max(64).nullable(), by: actorName.optional() }),
    )
    .output(z.object({ question: roomQuestion.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const session = ctx.session;
      const by = input.by ?? "interviewer";
      const previous = await currentQuestion(ctx.db, session.id);
      if (input.questionId === null) {
        await clearSessionQuestion(ctx.db, session.id);
        await recordHistory(ctx, session.id, "question", by, { questionId: null, title: null });
        await ctx.events.publish(session.id, { type: "question-changed", question: null, by });
        return { question: null };
      }
      // The bank of the session's workspace (the instance's bank for a session without one).
      const scope = { organizationId: session.organizationId };
      const picked = await findQuestion(ctx.db, scope, input.questionId);
      if (!picked)
        throw new TRPCError({ code: "NOT_FOUND", message: `Question ${input.questionId} not found` });
      await setSessionQuestion(ctx.db, session.id, picked, by, ctx.clock());

      const live = await ctx.rooms.readCode(session.id);
      const language = live.language ?? session.language;
      const previousStarter = previous?.question.starterCode[language as keyof typeof picked.starterCode];
      const starter = picked.starterCode[language as keyof typeof picked.starterCode];
      if (starter !== undefined && (live.code.trim() === "" || live.code === previousStarter)) {
        await ctx.rooms.replaceCode(session.id, starter, by);
      }
      const view = toRoomQuestion(picked);
      await recordHistory(ctx, session.id, "question", by, { questionId: picked.id, title: picked.title });
      await ctx.events.publish(session.id, { type: "question-changed", question: view, by });
      return { question: view };
    }),
} satisfies TRPCRouterRecord;
