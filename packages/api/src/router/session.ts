import { sessions } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { workspaceOf } from "../auth/caller.ts";
import { languageId } from "../execution/executor.ts";
import { historyEntry } from "../history/history.ts";
import { text } from "../input/text.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { hashToken, newInterviewerToken, newObserverId, newSessionId } from "../session/ids.ts";
import {
  MAX_TTL_HOURS,
  MIN_TTL_HOURS,
  sessionId,
  sessionOutput,
  toSessionOutput,
} from "../session/sessions.ts";
import { badInput, interviewerProcedure, publicProcedure, sessionProcedure } from "../trpc.ts";

const HOUR = 3_600_000;
const title = text().trim().min(1).max(200).meta({
  description: "Shown to everyone in the room; leading and trailing whitespace is trimmed",
  example: "Backend loop: rate limiter",
});
const ttlHours = z
  .number()
  .min(MIN_TTL_HOURS)
  .max(MAX_TTL_HOURS)
  .meta({ description: `Hours until the links expire, ${MIN_TTL_HOURS} to ${MAX_TTL_HOURS}`, example: 24 });

export const sessionRouter = {
  create: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions",
        operationId: "createSession",
        auth: "workspaceOptional",
        successStatus: 201,
        errors: [429],
        tags: ["sessions"],
        summary: "Create an interview session",
        description:
          "Returns the session, the interviewer token (shown only here) and the links to share. Every field " +
          "is optional; an empty body creates an untitled JavaScript session that expires after the " +
          "server's default time. Limited per client (429 with `Retry-After`). Created by a signed-in member or " +
          "an API key, the session belongs to its workspace. With `ANONYMOUS_SESSIONS=false` only they may " +
          "create (401 without credentials, 403 for an account outside any workspace).",
      },
    })
    .input(
      z
        .strictObject({
          title: title.default("Untitled interview"),
          language: languageId.default("javascript").meta({ description: "The session's language" }),
          ttlHours: ttlHours.optional(),
        })
        .prefault({}),
    )
    .output(
      sessionOutput.extend({
        interviewerToken: z.string().meta({
          description: "Shown once; send it as `Authorization: Bearer <token>` on interviewer operations",
        }),
        interviewerUrl: z
          .url()
          .meta({ description: "The interviewer's link; the token rides in the fragment" }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const caller = await ctx.caller();
      const workspace = workspaceOf(caller);
      if (!workspace && !ctx.config.anonymousSessions) {
        throw new TRPCError({
          code: caller.kind === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN",
          message:
            "This server creates sessions for workspace members and API keys only: sign in or send an API key",
        });
      }
      await enforceRateLimit(
        ctx,
        `session:client:${ctx.clientKey}`,
        ctx.config.sessionsPerMinutePerClient,
        "sessions created from this client",
      );
      const now = ctx.clock();
      const token = newInterviewerToken();
      const id = newSessionId();
      const written = ctx.db.$with("written").as(
        ctx.db
          .insert(sessions)
          .values({
            id,
            observerId: newObserverId(),
            title: input.title,
            language: input.language,
            interviewerTokenHash: hashToken(token),
            createdAt: now,
            updatedAt: now,
            expiresAt: new Date(now.getTime() + (input.ttlHours ?? ctx.config.sessionTtlHours) * HOUR),
            organizationId: workspace?.organizationId ?? null,
            createdBy: workspace?.userId ?? null,
          })
          .returning(),
      );
      const entry = historyEntry(ctx, id, "session", "interviewer", {
        action: "created",
        title: input.title,
      });
      const [row] = await ctx.db.with(written, entry).select().from(written);
      if (!row) throw new Error("insert returned no row");
      const output = toSessionOutput(row, ctx.config.publicUrl);
      // The token rides in the fragment: browsers never send it to servers or in referrers.
      return { ...output, interviewerToken: token, interviewerUrl: `${output.candidateUrl}#token=${token}` };
    }),

  get: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}",
        operationId: "getSession",
        auth: "optional",
        tags: ["sessions"],
        summary: "Session details",
        description:
          "Anyone with the link may read them (never the interviewer token). With the interviewer token, " +
          "`isInterviewer` is true.",
      },
    })
    .input(z.strictObject({ id: sessionId }))
    .output(
      sessionOutput.extend({
        isInterviewer: z.boolean().meta({
          description:
            "Whether the request carried this session's token or came from a member of its workspace",
        }),
      }),
    )
    .query(async ({ ctx }) => {
      return { ...toSessionOutput(ctx.session, ctx.config.publicUrl), isInterviewer: ctx.isInterviewer };
    }),

  update: interviewerProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/sessions/{id}",
        operationId: "updateSession",
        errors: [409],
        auth: "required",
        tags: ["sessions"],
        summary: "Update title, language, status or expiry (interviewer only)",
        description:
          "Give at least one field. `expiresAt` and `ttlHours` exclude each other. Ending the session " +
          "(`status: ended`) locks the editor and closes runs.",
      },
    })
    .input(
      z
        .strictObject({
          id: sessionId,
          title: title.optional(),
          language: languageId.optional().meta({ description: "Switches the language for everyone" }),
          status: z.enum(["active", "ended"]).optional().meta({ description: "`ended` locks the session" }),
          expiresAt: z.iso
            .datetime({ offset: true })
            .optional()
            .meta({
              description: `New expiry, ${MIN_TTL_HOURS} h to ${MAX_TTL_HOURS / 24} d from now; not with \`ttlHours\``,
              example: "2030-01-01T12:00:00Z",
            }),
          ttlHours: ttlHours
            .optional()
            .meta({ description: "Alternatively: expire this many hours from now; not with `expiresAt`" }),
        })
        .superRefine((input, issues) => {
          if (input.expiresAt !== undefined && input.ttlHours !== undefined) {
            issues.addIssue({
              code: "custom",
              path: ["expiresAt"],
              message: "give either expiresAt or ttlHours, not both",
            });
          }
          const { id: _id, ...changes } = input;
          if (Object.values(changes).every((v) => v === undefined)) {
            issues.addIssue({
              code: "custom",
              path: [],
              message: "nothing to change: give title, language, status, expiresAt or ttlHours",
            });
          }
        }),
    )
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const row = ctx.session;
      const now = ctx.clock();
      let expiresAt: Date | undefined;
      if (input.ttlHours !== undefined) expiresAt = new Date(now.getTime() + input.ttlHours * HOUR);
      if (input.expiresAt !== undefined) {
        expiresAt = new Date(input.expiresAt);
        const hours = (expiresAt.getTime() - now.getTime()) / HOUR;
        if (hours < MIN_TTL_HOURS - 1 / 60 || hours > MAX_TTL_HOURS + 1 / 60) {
          throw badInput("expiresAt", `must be between ${MIN_TTL_HOURS} h and ${MAX_TTL_HOURS} h from now`);
        }
      }
      const changes = Object.fromEntries(
        Object.entries({ title: input.title, language: input.language, status: input.status, expiresAt })
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
      );
      const written = ctx.db.$with("written").as(
        ctx.db
          .update(sessions)
          .set({
            title: input.title,
            language: input.language,
            status: input.status,
            expiresAt,
            updatedAt: now,
            endedAt: input.status === undefined ? undefined : input.status === "ended" ? now : null,
          })
          .where(eq(sessions.id, row.id))
          .returning(),
      );
      const entry = historyEntry(ctx, row.id, "session", "interviewer", { action: "updated", ...changes });
      const [updated] = await ctx.db.with(written, entry).select().from(written);
      if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: `Session ${input.id} not found` });

      if (input.language !== undefined && input.language !== row.language) {
        await ctx.rooms.setLanguage(row.id, input.language, "interviewer");
      }
      if (input.status !== undefined && input.status !== row.status) {
        await ctx.rooms.setMeta(row.id, { locked: input.status === "ended" });
        if (input.status === "ended")
          await ctx.events.publish(row.id, { type: "session-ended", reason: "ended" });
      }
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

  delete: interviewerProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/sessions/{id}",
        operationId: "deleteSession",
        auth: "required",
        tags: ["sessions"],
        summary: "Delete the session and all its data; connected clients are disconnected (interviewer only)",
      },
    })
    .input(z.strictObject({ id: sessionId }))
    .output(z.object({ deleted: z.literal(true), id: z.string() }))
    .mutation(async ({ ctx }) => {
      const row = ctx.session;
      await ctx.db.delete(sessions).where(eq(sessions.id, row.id));
      await ctx.events.publish(row.id, { type: "session-ended", reason: "deleted" });
      await ctx.rooms.closeSession(row.id, "deleted");
      return { deleted: true as const, id: row.id };
    }),
} satisfies TRPCRouterRecord;
