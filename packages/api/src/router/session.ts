import { sessions } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { languageId } from "../execution/executor.ts";
import { recordHistory } from "../history/history.ts";
import { hashToken, newInterviewerToken, newObserverId, newSessionId } from "../session/ids.ts";
import {
  isInterviewer,
  MAX_TTL_HOURS,
  MIN_TTL_HOURS,
  requireInterviewer,
  requireSession,
  sessionId,
  sessionOutput,
  toSessionOutput,
} from "../session/sessions.ts";
import { badInput, publicProcedure } from "../trpc.ts";

const HOUR = 3_600_000;
const title = z.string().trim().min(1).max(200);
const ttlHours = z.number().min(MIN_TTL_HOURS).max(MAX_TTL_HOURS);

export const sessionRouter = {
  create: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions",
        protect: false,
        tags: ["sessions"],
        summary: "Create an interview session",
        description: "Returns the session, the interviewer token (shown only here) and the links to share.",
      },
    })
    .input(
      z.object({
        title: title.default("Untitled interview"),
        language: languageId.default("javascript"),
        ttlHours: ttlHours.optional().describe("Hours until the session expires (default from the server)"),
      }),
    )
    .output(
      sessionOutput.extend({
        interviewerToken: z.string().describe("Shown once; send it as `Authorization: Bearer <token>`"),
        interviewerUrl: z.url(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = ctx.clock();
      const token = newInterviewerToken();
      const [row] = await ctx.db
        .insert(sessions)
        .values({
          id: newSessionId(),
          observerId: newObserverId(),
          title: input.title,
          language: input.language,
          interviewerTokenHash: hashToken(token),
          createdAt: now,
          updatedAt: now,
          expiresAt: new Date(now.getTime() + (input.ttlHours ?? ctx.config.sessionTtlHours) * HOUR),
        })
        .returning();
      if (!row) throw new Error("insert returned no row");
      await recordHistory(ctx, row.id, "session", "interviewer", { action: "created", title: row.title });
      const output = toSessionOutput(row, ctx.config.publicUrl);
      // The token rides in the fragment: browsers never send it to servers or in referrers.
      return { ...output, interviewerToken: token, interviewerUrl: `${output.candidateUrl}#token=${token}` };
    }),

  get: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}",
        protect: false,
        tags: ["sessions"],
        summary: "Session details",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(sessionOutput.extend({ isInterviewer: z.boolean() }))
    .query(async ({ ctx, input }) => {
      const row = await requireSession(ctx, input.id);
      return { ...toSessionOutput(row, ctx.config.publicUrl), isInterviewer: isInterviewer(ctx, row) };
    }),

  update: publicProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/sessions/{id}",
        tags: ["sessions"],
        summary: "Update title, language, status or expiry (interviewer only)",
      },
    })
    .input(
      z.object({
        id: sessionId,
        title: title.optional(),
        language: languageId.optional(),
        status: z.enum(["active", "ended"]).optional(),
        expiresAt: z.iso.datetime({ offset: true }).optional().describe("New expiry, 1 h to 7 d from now"),
        ttlHours: ttlHours.optional().describe("Alternatively: expire this many hours from now"),
      }),
    )
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const row = await requireSession(ctx, input.id);
      requireInterviewer(ctx, row);
      const now = ctx.clock();
      let expiresAt: Date | undefined;
      if (input.expiresAt !== undefined && input.ttlHours !== undefined) {
        throw badInput("expiresAt", "give either expiresAt or ttlHours, not both");
      }
      if (input.ttlHours !== undefined) expiresAt = new Date(now.getTime() + input.ttlHours * HOUR);
      if (input.expiresAt !== undefined) {
        expiresAt = new Date(input.expiresAt);
        const hours = (expiresAt.getTime() - now.getTime()) / HOUR;
        if (hours < MIN_TTL_HOURS - 1 / 60 || hours > MAX_TTL_HOURS + 1 / 60) {
          throw badInput("expiresAt", `must be between ${MIN_TTL_HOURS} h and ${MAX_TTL_HOURS} h from now`);
        }
      }
      const [updated] = await ctx.db
        .update(sessions)
        .set({
          title: input.title,
          language: input.language,
          status: input.status,
          expiresAt,
          updatedAt: now,
        })
        .where(eq(sessions.id, row.id))
        .returning();
      if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: `Session ${input.id} not found` });

      if (input.language !== undefined && input.language !== row.language) {
        await ctx.rooms.setLanguage(row.id, input.language, "interviewer");
      }
      if (input.status !== undefined && input.status !== row.status) {
        await ctx.rooms.setMeta(row.id, { locked: input.status === "ended" });
        if (input.status === "ended")
          await ctx.events.publish(row.id, { type: "session-ended", reason: "ended" });
      }
      const changes = Object.fromEntries(
        Object.entries({ title: input.title, language: input.language, status: input.status, expiresAt })
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
      );
      await recordHistory(ctx, row.id, "session", "interviewer", { action: "updated", ...changes });
      const output = toSessionOutput(updated, ctx.config.publicUrl);
      await ctx.events.publish(row.id, {
        type: "session-updated",
        session: {
          title: output.title,
          language: output.language,
          status: output.status,
          expiresAt: output.expiresAt,
        },
      });
      return output;
    }),

  delete: publicProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/sessions/{id}",
        tags: ["sessions"],
        summary: "Delete the session and all its data; connected clients are disconnected (interviewer only)",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(z.object({ deleted: z.literal(true), id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const row = await requireSession(ctx, input.id);
      requireInterviewer(ctx, row);
      await ctx.db.delete(sessions).where(eq(sessions.id, row.id));
      await ctx.events.publish(row.id, { type: "session-ended", reason: "deleted" });
      await ctx.rooms.closeSession(row.id, "deleted");
      return { deleted: true as const, id: row.id };
    }),
} satisfies TRPCRouterRecord;
