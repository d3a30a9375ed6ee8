import { codeSnapshots } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { type LanguageId, languageId } from "../execution/executor.ts";
import { historyEntry, recordHistory } from "../history/history.ts";
import { text, toStorable } from "../input/text.ts";
import { newId } from "../session/ids.ts";
import { actorName, readableSessionId, sessionId } from "../session/sessions.ts";
import { badInput, interviewerProcedure, sessionProcedure } from "../trpc.ts";

export const MAX_CODE_BYTES = 256 * 1024;

const snapshotOutput = z.object({
  id: z.string().meta({ example: "Zp3k9QbX2m1LwVtA" }),
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
  get: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/code",
        operationId: "getCode",
        auth: "none",
        tags: ["code"],
        summary: "The live code and language",
        description: "What the editors show right now, on whichever node holds the room.",
      },
    })
    .input(z.strictObject({ id: sessionId }))
    .output(z.object({ code: z.string(), language: languageId }))
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const live = await ctx.rooms.readCode(session.id);
      return { code: live.code, language: live.language ?? (session.language as LanguageId) };
    }),

  save: sessionProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/code",
        operationId: "saveSnapshot",
        errors: [409],
        auth: "optional",
        tags: ["code"],
        summary: "Save a code snapshot (of the live code when `code` is omitted)",
        description:
          `Saves a snapshot anyone in the session can restore from. \`code\` is at most ${MAX_CODE_BYTES / 1024} KiB ` +
          "of UTF-8 (413 above); like every string it must not contain NUL or unpaired surrogates (400 naming " +
          "the field), which PostgreSQL cannot store. With the interviewer token the author defaults to `interviewer`.",
      },
    })
    .input(
      z.strictObject({
        id: sessionId,
        code: text()
          .optional()
          .meta({
            description: `The code to save, at most ${MAX_CODE_BYTES / 1024} KiB; default: the live code`,
            example: "print(42)\n",
          }),
        language: languageId.optional().meta({ description: "Default: the live language" }),
        label: text()
          .trim()
          .min(1)
          .max(120)
          .optional()
          .meta({ description: "A name for the snapshot; trimmed", example: "before refactor" }),
        author: actorName
          .optional()
          .meta({ description: "Display name of who saved it; trimmed", example: "Ada" }),
      }),
    )
    .output(snapshotOutput)
    .mutation(async ({ ctx, input }) => {
      const session = ctx.session;
      if (input.code !== undefined) checkCodeSize(input.code);
      const live =
        input.code === undefined || input.language === undefined
          ? await ctx.rooms.readCode(session.id)
          : null;
      const author = input.author ?? (ctx.isInterviewer ? "interviewer" : null);
      const id = newId();
      const label = input.label ?? null;
      const written = ctx.db.$with("written").as(
        ctx.db
          .insert(codeSnapshots)
          .values({
            id,
            sessionId: session.id,
            // The live document is typed by anyone in the room: made storable rather than refused.
            code: input.code ?? toStorable(live?.code ?? ""),
            language: input.language ?? live?.language ?? session.language,
            label,
            author,
            createdAt: ctx.clock(),
          })
          .returning(),
      );
      // `author` is a display name the caller chose; the role is the server's.
      const role = ctx.isInterviewer ? "interviewer" : "candidate";
      const entry = historyEntry(ctx, session.id, "snapshot", author, { snapshotId: id, label, role });
      const [row] = await ctx.db.with(written, entry).select().from(written);
      if (!row) throw new Error("insert returned no row");
      await ctx.events.publish(session.id, {
        type: "snapshot-saved",
        snapshot: { id: row.id, label: row.label, author: row.author },
      });
      return { ...row, language: row.language as LanguageId, createdAt: row.createdAt.toISOString() };
    }),
} satisfies TRPCRouterRecord;

export const snapshotRouter = {
  list: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/snapshots",
        operationId: "listSnapshots",
        auth: "none",
        tags: ["code"],
        summary: "Saved snapshots, newest first",
        description: "The latest 500 snapshots of the session, code included.",
      },
    })
    .input(z.strictObject({ id: readableSessionId.describe("The session id, or an observer link's id") }))
    .output(z.object({ snapshots: z.array(snapshotOutput) }))
    .query(async ({ ctx }) => {
      const session = ctx.session;
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

  restore: interviewerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/snapshots/{snapshotId}/restore",
        operationId: "restoreSnapshot",
        errors: [409],
        auth: "required",
        tags: ["code"],
        summary: "Replace the live code with a snapshot for everyone (interviewer only)",
        description:
          "Everyone's editor shows the snapshot's code and language at once; the restore is in the history.",
      },
    })
    .input(
      z.strictObject({
        id: sessionId,
        snapshotId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid snapshot id")
          .meta({
            description: "The snapshot's id, from `saveSnapshot` or `listSnapshots`",
            example: "Zp3k9QbX2m1LwVtA",
          }),
      }),
    )
    .output(z.object({ restored: z.literal(true), code: z.string(), language: languageId }))
    .mutation(async ({ ctx, input }) => {
      const session = ctx.session;
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
