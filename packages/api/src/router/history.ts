import { historyEntries, historyKinds } from "@pairpad/db/schema";
import type { TRPCRouterRecord } from "@trpc/server";
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { historyPayload } from "../history/payload.ts";
import { readableSessionId } from "../session/sessions.ts";
import { sessionProcedure } from "../trpc.ts";

export const historyRouter = {
  list: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/history",
        operationId: "listHistory",
        auth: "none",
        tags: ["history"],
        summary: "Session history (snapshots, edits, runs, joins…), newest first, cursor-paginated",
        description: "Pass `nextCursor` as `cursor` for the next page until it is null.",
      },
    })
    .input(
      z.strictObject({
        id: readableSessionId.meta({ description: "The session id, or an observer link's id" }),
        cursor: z
          .number()
          .int()
          .positive()
          .max(Number.MAX_SAFE_INTEGER)
          .optional()
          .meta({ description: "`nextCursor` of the previous page (a decimal integer)", example: 120 }),
        limit: z
          .number()
          .int()
          .min(1)
          .max(200)
          .default(50)
          .meta({ description: "Entries per page, 1 to 200", example: 50 }),
        kind: z.enum(historyKinds).optional().meta({ description: "Only entries of this kind" }),
      }),
    )
    .output(
      z.object({
        items: z.array(
          z.object({
            id: z.number(),
            kind: z.enum(historyKinds),
            actor: z.string().nullable(),
            payload: historyPayload,
            createdAt: z.iso.datetime(),
          }),
        ),
        nextCursor: z.number().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const session = ctx.session;
      const rows = await ctx.db
        .select()
        .from(historyEntries)
        .where(
          and(
            eq(historyEntries.sessionId, session.id),
            input.cursor !== undefined ? lt(historyEntries.id, input.cursor) : undefined,
            input.kind !== undefined ? eq(historyEntries.kind, input.kind) : undefined,
          ),
        )
        .orderBy(desc(historyEntries.id))
        .limit(input.limit + 1);
      const page = rows.slice(0, input.limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          kind: r.kind,
          actor: r.actor,
          payload: r.payload,
          createdAt: r.createdAt.toISOString(),
        })),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      };
    }),
} satisfies TRPCRouterRecord;
