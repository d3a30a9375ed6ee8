import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { text } from "../input/text.ts";
import { requireBankScope } from "../questions/access.ts";
import {
  allQuestions,
  createQuestion,
  deleteQuestion,
  findQuestion,
  insertQuestions,
  prepareQuestion,
  replaceQuestion,
  searchQuestions,
} from "../questions/bank.ts";
import { difficulty, question, questionInput, questionSummary } from "../questions/question.ts";
import { FieldError, publicProcedure } from "../trpc.ts";

const questionId = text().min(1).max(64).meta({ description: "The question's id" });
const notFound = (id: string) => new TRPCError({ code: "NOT_FOUND", message: `Question ${id} not found` });
const EXPORT_FORMAT = "pairpad.questions";

export const questionExport = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.iso.datetime(),
  questions: z.array(question),
});

/** The question bank. Interviewers only; REST paths under `/questions`. */
export const questionRouter = {
  // Before `get`: the REST adapter matches paths in order, and `/questions/export` also fits `/questions/{id}`.
  export: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/questions/export",
        operationId: "exportQuestions",
        auth: "required",
        tags: ["questions"],
        summary: "Every question of the bank as one JSON document (interviewer only)",
        description: "The document `POST /questions/import` takes back; ids and times are ignored on import.",
      },
    })
    .input(z.void())
    .output(questionExport)
    .query(async ({ ctx }) => {
      const scope = await requireBankScope(ctx);
      return {
        format: EXPORT_FORMAT,
        version: 1 as const,
        exportedAt: ctx.clock().toISOString(),
        questions: await allQuestions(ctx.db, scope),
      };
    }),

  import: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/questions/import",
        operationId: "importQuestions",
        auth: "required",
        tags: ["questions"],
        summary: "Add questions from a JSON export (interviewer only)",
        description:
          "Each question is checked on its own: valid ones are added, invalid ones are reported with the " +
          "offending fields and do not block the others. Always adds new questions (ids are not reused).",
      },
    })
    .input(z.object({ questions: z.array(z.unknown()).min(1).max(1_000) }).passthrough())
    .output(
      z.object({
        imported: z.number().int(),
        results: z.array(
          z.object({
            index: z.number().int(),
            id: z.string().optional(),
            error: z.string().optional(),
            fields: z.array(z.string()).optional(),
          }),
        ),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const scope = await requireBankScope(ctx);
      const now = ctx.clock();
      const results: Array<{ index: number; id?: string; error?: string; fields?: string[] }> = [];
      const rows: Array<ReturnType<typeof prepareQuestion>> = [];
      for (const [index, raw] of input.questions.entries()) {
        const parsed = questionInput.safeParse(raw);
        if (!parsed.success) {
          const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(question)"))];
          results.push({
            index,
            error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
            fields,
          });
          continue;
        }
        try {
          const row = prepareQuestion(scope, parsed.data, now);
          rows.push(row);
          results.push({ index, id: row.id });
        } catch (error) {
          if (!(error instanceof TRPCError) || !(error.cause instanceof FieldError)) throw error;
          results.push({ index, error: error.message, fields: [error.cause.field] });
        }
      }
      // One statement: all the valid questions are added, or (on a database failure) none.
      await insertQuestions(ctx.db, rows);
      return { imported: results.filter((r) => r.id).length, results };
    }),

  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/questions",
        operationId: "listQuestions",
        auth: "required",
        tags: ["questions"],
        summary: "List and search the question bank, newest first, cursor-paginated (interviewer only)",
      },
    })
    .input(
      z.object({
        q: text().max(200).optional().describe("Words to find in the title or prompt"),
        tags: text()
          .max(400)
          .optional()
          .transform((s) =>
            s
              ?.split(",")
              .map((t) => t.trim().toLowerCase())
              .filter(Boolean),
          )
          .meta({ description: "Comma-separated tags; a question must have all of them" }),
        difficulty: difficulty.optional().meta({ description: "Only questions of this difficulty" }),
        cursor: text().max(200).optional().describe("`nextCursor` of the previous page"),
        limit: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(25)
          .meta({ description: "Questions per page, 1 to 100" }),
      }),
    )
    .output(z.object({ items: z.array(questionSummary), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const scope = await requireBankScope(ctx);
      return searchQuestions(ctx.db, scope, { ...input, query: input.q });
    }),

  get: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/questions/{id}",
        operationId: "getQuestion",
        auth: "required",
        tags: ["questions"],
        summary: "A question with its tests, reference solution and rubric (interviewer only)",
      },
    })
    .input(z.object({ id: questionId }))
    .output(question)
    .query(async ({ ctx, input }) => {
      const scope = await requireBankScope(ctx);
      const found = await findQuestion(ctx.db, scope, input.id);
      if (!found) throw notFound(input.id);
      return found;
    }),

  create: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/questions",
        operationId: "createQuestion",
        auth: "required",
        tags: ["questions"],
        summary: "Add a question to the bank (interviewer only)",
      },
    })
    .input(questionInput)
    .output(question)
    .mutation(async ({ ctx, input }) => {
      const scope = await requireBankScope(ctx);
      return createQuestion(ctx.db, scope, input, ctx.clock());
    }),

  update: publicProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/questions/{id}",
        operationId: "replaceQuestion",
        auth: "required",
        tags: ["questions"],
        summary: "Replace a question (interviewer only)",
        description: "Interviews that already picked it keep the copy they picked.",
      },
    })
    .input(questionInput.extend({ id: questionId }))
    .output(question)
    .mutation(async ({ ctx, input }) => {
      const scope = await requireBankScope(ctx);
      const { id, ...fields } = input;
      const updated = await replaceQuestion(ctx.db, scope, id, fields, ctx.clock());
      if (!updated) throw notFound(id);
      return updated;
    }),

  delete: publicProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/questions/{id}",
        operationId: "deleteQuestion",
        auth: "required",
        tags: ["questions"],
        summary: "Delete a question from the bank (interviewer only)",
      },
    })
    .input(z.object({ id: questionId }))
    .output(z.object({ deleted: z.literal(true), id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const scope = await requireBankScope(ctx);
      if (!(await deleteQuestion(ctx.db, scope, input.id))) throw notFound(input.id);
      return { deleted: true as const, id: input.id };
    }),
} satisfies TRPCRouterRecord;
