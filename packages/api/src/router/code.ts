import { codeSnapshots } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { type LanguageId, languageId } from "../execution/executor.ts";
import { recordHistory } from "../history/history.ts";
import { newId } from "../session/ids.ts";
import {
  actorName,
  isInterviewer,
  readableSessionId,
  requireInterviewer,
  requireReadableSession,
  requireSession,
  sessionId,
} from "../session/sessions.ts";
import { badInput, publicProcedure } from "../trpc.ts";

export const MAX_CODE_BYTES = 256 * 1024;

const snapshotOutput = z.object({
  id: z.string(),
  sessionId: z.string(),
  code: z.string(),
  language: languageId,
  label: z.string().nullable(),
  author: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

function checkCodeSize(code: string, field = "code") {
  if (Buffer.byteLength(code) > MAX_CODE_BYTES) {
    throw badInput(field, `larger than ${MAX_CODE_BYTES / 1024} KiB`, "PAYLOAD_TOO_LARGE");
  }
}

export const codeRouter = {
  get: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/code",
        protect: false,
        tags: ["code"],
        summary: "The live code and language",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(z.object({ code: z.string(), language: languageId }))
    .query(async ({ ctx, input }) => {
      const session = await requireSession(ctx, input.id);
      const live = await ctx.rooms.readCode(session.id);
      return { code: live.code, language: live.language ?? (session.language as LanguageId) };
    }),

  save: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/code",
        protect: false,
        tags: ["code"],
        summary: "Save a code snapshot (of the live code when `code` is omitted)",
      },
    })
    .input(
      z.object({
        id: sessionId,
        code: z.string().optional(),
        language: languageId.optional(),
        label: z.string().trim().min(1).max(120).optional(),
        author: actorName.optional().describe("Display name of who saved it"),
      }),
    )
    .output(snapshotOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await requireSession(ctx, input.id);
      if (input.code !== undefined) checkCodeSize(input.code);
      const live =
        input.code === undefined || input.language === undefined
          ? await ctx.rooms.readCode(session.id)
          : null;
      const author = input.author ?? (isInterviewer(ctx, session) ? "interviewer" : null);
      const [row] = await ctx.db
        .insert(codeSnapshots)
        .values({
          id: newId(),
          sessionId: session.id,
          code: input.code ?? live?.code ?? "",
          language: input.language ?? live?.language ?? session.language,
          label: input.label ?? null,
          author,
          createdAt: ctx.clock(),
        })
        .returning();
      if (!row) throw new Error("insert returned no row");
      // `author` is a display name the caller chose; the role is the server's.
      await recordHistory(ctx, session.id, "snapshot", author, {
        snapshotId: row.id,
        label: row.label,
        role: isInterviewer(ctx, session) ? "interviewer" : "candidate",
      });
      await ctx.events.publish(session.id, {
        type: "snapshot-saved",
        snapshot: { id: row.id, label: row.label, author: row.author },
      });
      return { ...row, language: row.language as LanguageId, createdAt: row.createdAt.toISOString() };
    }),
} satisfies TRPCRouterRecord;

export const snapshotRouter = {
  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/snapshots",
        protect: false,
        tags: ["code"],
        summary: "Saved snapshots, newest first",
      },
    })
    .input(z.object({ id: readableSessionId.describe("The session id, or an observer link's id") }))
    .output(z.object({ snapshots: z.array(snapshotOutput) }))
    .query(async ({ ctx, input }) => {
      const session = await requireReadableSession(ctx, input.id);
      const rows = await ctx.db
        .select()
        .from(codeSnapshots)
        .where(eq(codeSnapshots.sessionId, session.id))
        .orderBy(desc(codeSnapshots.createdAt), desc(codeSnapshots.id))
        .limit(500);
      return {
        snapshots: rows.map((r) => ({
          ...r,
          language: r.language as LanguageId,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    }),

  restore: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/snapshots/{snapshotId}/restore",
        tags: ["code"],
        summary: "Replace the live code with a snapshot for everyone (interviewer only)",
      },
    })
    .input(
      z.object({
        id: sessionId,
        snapshotId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid snapshot id"),
      }),
    )
    .output(z.object({ restored: z.literal(true), code: z.string(), language: languageId }))
    .mutation(async ({ ctx, input }) => {
      const session = await requireSession(ctx, input.id);
      requireInterviewer(ctx, session);
      const [snapshot] = await ctx.db
        .select()
        .from(codeSnapshots)
        .where(and(eq(codeSnapshots.sessionId, session.id), eq(codeSnapshots.id, input.snapshotId)));
      if (!snapshot)
        throw new TRPCError({ code: "NOT_FOUND", message: `Snapshot ${input.snapshotId} not found` });
      const language = snapshot.language as LanguageId;
      await ctx.rooms.replaceCode(session.id, snapshot.code, "interviewer");
      await ctx.rooms.setLanguage(session.id, language, "interviewer");
      await recordHistory(ctx, session.id, "restore", "interviewer", {
        snapshotId: snapshot.id,
        label: snapshot.label,
      });
      await ctx.events.publish(session.id, {
        type: "snapshot-restored",
        snapshotId: snapshot.id,
        by: "interviewer",
      });
      return { restored: true as const, code: snapshot.code, language };
    }),
} satisfies TRPCRouterRecord;

export { checkCodeSize };
