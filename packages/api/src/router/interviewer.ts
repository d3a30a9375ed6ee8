import { scorecardRevisions, scorecards, testRuns } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { text } from "../input/text.ts";
import { changeNotes, newParagraph, noteParagraph, readNotes } from "../questions/notes.ts";
import { currentQuestion } from "../questions/session-question.ts";
import { newId } from "../session/ids.ts";
import { actorName, sessionId } from "../session/sessions.ts";
import { type ApiDeps, badInput, interviewerProcedure } from "../trpc.ts";

const notesOutput = z.object({ paragraphs: z.array(noteParagraph) });

/** Interviewer notes: never in the shared document, the session's events or its public history. */
export const notesRouter = {
  get: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/notes",
        operationId: "getInterviewerNotes",
        auth: "required",
        tags: ["interviewer"],
        summary:
          "The interviewers' notes, paragraph by paragraph with time and code cursor (interviewer only)",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(notesOutput)
    .query(async ({ ctx }) => {
      const session = ctx.session;
      return { paragraphs: await readNotes(ctx.db, session.id) };
    }),

  add: interviewerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/notes",
        operationId: "addInterviewerNote",
        auth: "required",
        tags: ["interviewer"],
        summary: "Add a paragraph to the notes; it keeps the time and the code cursor (interviewer only)",
      },
    })
    .input(
      z.object({
        id: sessionId,
        text: text().trim().min(1).max(10_000),
        cursor: z.number().int().min(0).nullable().default(null).describe("The code cursor's offset now"),
        by: actorName.optional(),
      }),
    )
    .output(notesOutput)
    .mutation(async ({ ctx, input }) => {
      const session = ctx.session;
      const at = ctx.clock();
      const paragraph = {
        id: newId(),
        text: input.text,
        at: at.getTime(),
        cursor: input.cursor,
        author: input.by ?? "interviewer",
      };
      const paragraphs = await changeNotes(ctx.db, session.id, at, (all) =>
        all.push([newParagraph(paragraph)]),
      );
      await ctx.interviewerEvents.publish(session.id, {
        type: "notes-changed",
        paragraphs,
        by: paragraph.author,
      });
      return { paragraphs };
    }),

  edit: interviewerProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/sessions/{id}/notes/{paragraphId}",
        operationId: "editInterviewerNote",
        auth: "required",
        tags: ["interviewer"],
        summary: "Change a paragraph's text; it keeps its time and cursor (interviewer only)",
      },
    })
    .input(
      z.object({
        id: sessionId,
        paragraphId: text().min(1).max(64).meta({ description: "The paragraph to edit" }),
        text: text().max(10_000),
      }),
    )
    .output(notesOutput)
    .mutation(async ({ ctx, input }) => {
      const session = ctx.session;
      let found = false;
      const paragraphs = await changeNotes(ctx.db, session.id, ctx.clock(), (all) => {
        const map = all.toArray().find((m) => m.get("id") === input.paragraphId);
        found = map !== undefined;
        map?.set("text", input.text);
      });
      if (!found)
        throw new TRPCError({ code: "NOT_FOUND", message: `Paragraph ${input.paragraphId} not found` });
      await ctx.interviewerEvents.publish(session.id, { type: "notes-changed", paragraphs, by: null });
      return { paragraphs };
    }),
} satisfies TRPCRouterRecord;

export const recommendation = z.enum(["strong_no", "no", "yes", "strong_yes"]);
const recommendationLabel: Record<z.infer<typeof recommendation>, string> = {
  strong_no: "strong no",
  no: "no",
  yes: "yes",
  strong_yes: "strong yes",
};

export const scorecard = z.object({
  ratings: z
    .array(
      z.object({
        itemId: text().min(1).max(40).describe("A rubric item of the session's question"),
        rating: z.number().int().min(1).max(4),
        comment: text().max(5_000).default(""),
      }),
    )
    .max(30)
    .default([]),
  recommendation: recommendation.nullable().default(null),
  summary: text().max(20_000).default(""),
});

const scorecardOutput = scorecard.extend({
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: z.string().nullable(),
  rubric: z
    .array(z.object({ id: z.string(), title: z.string(), description: z.string() }))
    .meta({ description: "The rubric of the session's question, the items a scorecard rates" }),
});

async function rubricOf(db: ApiDeps["db"], sessionId: string) {
  return ((await currentQuestion(db, sessionId))?.question.rubric ?? []).map(
    ({ id, title, description }) => ({
      id,
      title,
      description,
    }),
  );
}

export const scorecardRouter = {
  get: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/scorecard",
        operationId: "getScorecard",
        auth: "required",
        tags: ["interviewer"],
        summary: "The interview's scorecard (interviewer only)",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(scorecardOutput)
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const [[row], rubric] = await Promise.all([
        ctx.db.select().from(scorecards).where(eq(scorecards.sessionId, session.id)),
        rubricOf(ctx.db, session.id),
      ]);
      if (!row)
        return { ratings: [], recommendation: null, summary: "", updatedAt: null, updatedBy: null, rubric };
      return {
        rubric,
        ratings: row.ratings as z.infer<typeof scorecard>["ratings"],
        recommendation: row.recommendation,
        summary: row.summary,
        updatedAt: row.updatedAt.toISOString(),
        updatedBy: row.updatedBy,
      };
    }),

  save: interviewerProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/sessions/{id}/scorecard",
        operationId: "saveScorecard",
        auth: "required",
        tags: ["interviewer"],
        summary: "Save the scorecard: a 1–4 rating and comment per rubric item, a recommendation, a summary",
      },
    })
    .input(scorecard.extend({ id: sessionId, by: actorName.optional() }))
    .output(scorecardOutput)
    .mutation(async ({ ctx, input }) => {
      const session = ctx.session;
      const items = await rubricOf(ctx.db, session.id);
      const rubric = new Set(items.map((r) => r.id));
      const seen = new Set<string>();
      input.ratings.forEach((r, i) => {
        if (!rubric.has(r.itemId))
          throw badInput(`ratings.${i}.itemId`, "not a rubric item of the session's question");
        if (seen.has(r.itemId)) throw badInput(`ratings.${i}.itemId`, "rated twice");
        seen.add(r.itemId);
      });
      const now = ctx.clock();
      const by = input.by ?? "interviewer";
      const values = { ratings: input.ratings, recommendation: input.recommendation, summary: input.summary };
      // The latest in `scorecards`, every save in `scorecard_revisions` (the replay marks each): one
      // statement, so both are written or neither.
      const ratings = JSON.stringify(values.ratings);
      const at = now.toISOString();
      await ctx.db.execute(sql`
        with saved as (
          insert into scorecards (session_id, ratings, recommendation, summary, updated_by, updated_at)
          values (${session.id}, ${ratings}::jsonb, ${values.recommendation}, ${values.summary}, ${by}, ${at}::timestamptz)
          on conflict (session_id) do update set ratings = excluded.ratings,
            recommendation = excluded.recommendation, summary = excluded.summary,
            updated_by = excluded.updated_by, updated_at = excluded.updated_at
          returning session_id
        )
        insert into scorecard_revisions (id, session_id, ratings, recommendation, summary, saved_by, saved_at)
        select ${newId()}, session_id, ${ratings}::jsonb, ${values.recommendation}, ${values.summary}, ${by}, ${at}::timestamptz
        from saved`);
      await ctx.interviewerEvents.publish(session.id, { type: "scorecard-saved", by, at: now.toISOString() });
      const { id: _id, by: _by, ...card } = input;
      return { ...card, updatedAt: now.toISOString(), updatedBy: by, rubric: items };
    }),
} satisfies TRPCRouterRecord;

const interviewerMarker = z.object({
  at: z.number().describe("ms since the epoch"),
  kind: z.enum(["note", "hidden_test_run", "reference_run", "scorecard"]),
  label: z.string(),
  /** The note's code cursor, so clicking it can jump there. */
  cursor: z.number().nullable(),
});

/** Replay markers only interviewers see: notes, hidden and reference test runs, the scorecard's last save. */
export const interviewerTimelineRouter = {
  markers: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/interviewer-markers",
        operationId: "listInterviewerMarkers",
        auth: "required",
        tags: ["interviewer"],
        summary:
          "Replay markers for interviewers: notes, hidden and reference test runs, every scorecard save",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(z.object({ markers: z.array(interviewerMarker) }))
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const [paragraphs, runs, saves] = await Promise.all([
        readNotes(ctx.db, session.id),
        ctx.db
          .select({
            at: testRuns.createdAt,
            scope: testRuns.scope,
            verdict: testRuns.verdict,
            runBy: testRuns.runBy,
          })
          .from(testRuns)
          .where(and(eq(testRuns.sessionId, session.id), ne(testRuns.scope, "public"))),
        ctx.db
          .select({
            savedAt: scorecardRevisions.savedAt,
            savedBy: scorecardRevisions.savedBy,
            recommendation: scorecardRevisions.recommendation,
          })
          .from(scorecardRevisions)
          .where(eq(scorecardRevisions.sessionId, session.id)),
      ]);
      const markers: Array<z.infer<typeof interviewerMarker>> = [
        ...paragraphs.map((p) => ({
          at: p.at,
          kind: "note" as const,
          label: p.text.length > 80 ? `${p.text.slice(0, 80)}…` : p.text,
          cursor: p.cursor,
        })),
        ...runs.map((r) => ({
          at: r.at.getTime(),
          kind: r.scope === "reference" ? ("reference_run" as const) : ("hidden_test_run" as const),
          label: `${r.scope === "reference" ? "Reference solution" : "All tests"}: ${r.verdict.replace("_", " ")}`,
          cursor: null,
        })),
        ...saves.map((save) => ({
          at: save.savedAt.getTime(),
          kind: "scorecard" as const,
          label: `Scorecard saved${save.savedBy ? ` by ${save.savedBy}` : ""}${
            save.recommendation ? `: ${recommendationLabel[save.recommendation]}` : ""
          }`,
          cursor: null,
        })),
      ];
      return { markers: markers.sort((a, b) => a.at - b.at) };
    }),
} satisfies TRPCRouterRecord;
