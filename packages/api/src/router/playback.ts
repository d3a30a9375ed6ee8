import {
  codeSnapshots,
  documentUpdates,
  historyEntries,
  historyKinds,
  terminalEventKinds,
  terminalEvents,
} from "@pairpad/db/schema";
import type { TRPCRouterRecord } from "@trpc/server";
import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import { type LanguageId, languageId } from "../execution/executor.ts";
import { historyPayload, type RunRecord, runRecord } from "../history/payload.ts";
import { encodeUpdates, timelinePage } from "../playback/timeline.ts";
import type { Role } from "../ports.ts";
import { interviewRecord, interviewRecordOf } from "../questions/interview-record.ts";
import { sessionId, sessionOutput, toSessionOutput } from "../session/sessions.ts";
import { interviewerProcedure, sessionProcedure } from "../trpc.ts";

const MARKER_KINDS = [
  "run",
  "snapshot",
  "restore",
  "language",
  "join",
  "leave",
  "session",
  "question",
  "test_run",
] as const;
const MAX_MARKERS = 5000;

export const fileExtensions: Record<LanguageId, string> = {
  javascript: "js",
  typescript: "ts",
  python: "py",
  java: "java",
  cpp: "cpp",
  go: "go",
  rust: "rs",
  ruby: "rb",
  php: "php",
  csharp: "cs",
  kotlin: "kt",
  bash: "sh",
  sql: "sql",
  scala: "scala",
  haskell: "hs",
  lua: "lua",
  perl: "pl",
  r: "R",
};

export const playbackRouter = {
  timeline: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/playback",
        operationId: "getPlayback",
        auth: "required",
        tags: ["replay"],
        summary: "The session's timeline for replay: every document update with time and author, and markers",
        description:
          "Interviewer only. Paginated by update: pass `nextCursor` as `cursor` until it is null. Updates are " +
          "columnar; `data` is base64 of the updates, each preceded by its byte length as a lib0 varUint.",
      },
    })
    .input(
      z.strictObject({
        id: sessionId,
        cursor: z
          .number()
          .int()
          .nonnegative()
          .max(Number.MAX_SAFE_INTEGER)
          .optional()
          .meta({ description: "`nextCursor` of the previous page (a decimal integer)", example: 0 }),
        limit: z
          .number()
          .int()
          .min(1)
          .max(20_000)
          .default(5000)
          .meta({ description: "Updates per page, 1 to 20000", example: 5000 }),
      }),
    )
    .output(timelinePage)
    .query(async ({ ctx, input }) => {
      const session = ctx.session;
      const rows = await ctx.db
        .select({
          id: documentUpdates.id,
          update: documentUpdates.update,
          actor: documentUpdates.actor,
          role: documentUpdates.role,
          createdAt: documentUpdates.createdAt,
        })
        .from(documentUpdates)
        .where(and(eq(documentUpdates.sessionId, session.id), gt(documentUpdates.id, input.cursor ?? 0)))
        .orderBy(asc(documentUpdates.id))
        .limit(input.limit + 1);
      const page = rows.slice(0, input.limit);
      // An author is a name with the role the server knew: a candidate who takes the
      // interviewer's name stays a candidate in the replay.
      const actors: string[] = [];
      const roles: Array<Role | null> = [];
      const actorIndex = new Map<string, number>();
      const indexOf = (actor: string | null, role: string | null) => {
        if (actor === null) return -1;
        const known = role === "interviewer" || role === "candidate" || role === "observer" ? role : null;
        const key = `${known}\u0000${actor}`;
        let index = actorIndex.get(key);
        if (index === undefined) {
          index = actors.push(actor) - 1;
          roles.push(known);
          actorIndex.set(key, index);
        }
        return index;
      };
      const markers =
        input.cursor === undefined
          ? await ctx.db
              .select()
              .from(historyEntries)
              .where(
                and(
                  eq(historyEntries.sessionId, session.id),
                  inArray(historyEntries.kind, [...MARKER_KINDS]),
                ),
              )
              .orderBy(asc(historyEntries.id))
              .limit(MAX_MARKERS)
          : [];
      return {
        sessionId: session.id,
        createdAt: session.createdAt.toISOString(),
        actors,
        roles,
        updates: {
          ids: page.map((r) => r.id),
          at: page.map((r) => r.createdAt.getTime()),
          actor: page.map((r) => indexOf(r.actor, r.role)),
          data: encodeUpdates(page.map((r) => r.update)),
        },
        markers: markers.map((m) => ({
          id: m.id,
          at: m.createdAt.getTime(),
          kind: m.kind,
          actor: m.actor,
          payload: m.payload,
        })),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      };
    }),
  terminal: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/playback/terminal",
        operationId: "getTerminalPlayback",
        auth: "required",
        tags: ["replay"],
        summary:
          "The shared terminal's live runs for replay: starts, output, keystrokes and ends, with their times",
        description:
          "Interviewer only. Paginated by event: pass `nextCursor` as `cursor` until it is null. `data` is base64: " +
          "the bytes for `output` and `input`, JSON for `start` (language, mode, size, code, who), `resize` and " +
          "`end` (the run's result).",
      },
    })
    .input(
      z.strictObject({
        id: sessionId,
        cursor: z
          .number()
          .int()
          .nonnegative()
          .max(Number.MAX_SAFE_INTEGER)
          .optional()
          .meta({ description: "`nextCursor` of the previous page", example: 0 }),
        limit: z
          .number()
          .int()
          .min(1)
          .max(20_000)
          .default(5000)
          .meta({ description: "Events per page, 1 to 20000", example: 5000 }),
      }),
    )
    .output(
      z.object({
        sessionId: z.string(),
        events: z.array(
          z.object({
            id: z.number(),
            at: z.number().meta({ description: "Milliseconds since the epoch" }),
            runId: z.string(),
            kind: z.enum(terminalEventKinds),
            actor: z.string().nullable().meta({ description: "Who typed (`input`) or ran it (`start`)" }),
            data: z.string().meta({ description: "base64" }),
          }),
        ),
        nextCursor: z.number().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db
        .select()
        .from(terminalEvents)
        .where(and(eq(terminalEvents.sessionId, ctx.session.id), gt(terminalEvents.id, input.cursor ?? 0)))
        .orderBy(asc(terminalEvents.id))
        .limit(input.limit + 1);
      const page = rows.slice(0, input.limit);
      return {
        sessionId: ctx.session.id,
        events: page.map((row) => ({
          id: row.id,
          at: row.createdAt.getTime(),
          runId: row.runId,
          kind: row.kind,
          actor: row.actor,
          data: Buffer.from(row.data).toString("base64"),
        })),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      };
    }),
} satisfies TRPCRouterRecord;

export const exportRouter = {
  session: interviewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/export",
        operationId: "exportSession",
        auth: "required",
        description: "Everything but the raw update log (`getPlayback` pages through that).",
        tags: ["replay"],
        summary:
          "The whole session as JSON: metadata, final code, snapshots, runs and timeline (interviewer only)",
      },
    })
    .input(z.strictObject({ id: sessionId }))
    .output(
      z.object({
        exportedAt: z.iso.datetime(),
        session: sessionOutput,
        code: z.object({ code: z.string(), language: languageId }),
        snapshots: z.array(
          z.object({
            id: z.string(),
            code: z.string(),
            language: languageId,
            label: z.string().nullable(),
            author: z.string().nullable(),
            createdAt: z.iso.datetime(),
          }),
        ),
        runs: z.array(
          runRecord.extend({
            by: z.string().nullable().meta({ description: "Who ran it" }),
            at: z.iso.datetime(),
          }),
        ),
        timeline: z.array(
          z.object({
            at: z.iso.datetime(),
            kind: z.enum(historyKinds),
            actor: z.string().nullable(),
            payload: historyPayload,
          }),
        ),
        updateCount: z.number(),
        interview: interviewRecord.meta({
          description: "The question, test runs (hidden ones too), interviewer notes and scorecard",
        }),
      }),
    )
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const [live, snapshots, history, updates] = await Promise.all([
        ctx.rooms.readCode(session.id),
        ctx.db
          .select()
          .from(codeSnapshots)
          .where(eq(codeSnapshots.sessionId, session.id))
          .orderBy(asc(codeSnapshots.createdAt)),
        ctx.db
          .select()
          .from(historyEntries)
          .where(and(eq(historyEntries.sessionId, session.id), ne(historyEntries.kind, "edit")))
          .orderBy(asc(historyEntries.id)),
        ctx.db.$count(documentUpdates, eq(documentUpdates.sessionId, session.id)),
      ]);
      return {
        exportedAt: ctx.clock().toISOString(),
        session: toSessionOutput(session, ctx.config.publicUrl),
        code: { code: live.code, language: live.language ?? (session.language as LanguageId) },
        snapshots: snapshots.map((s) => ({
          id: s.id,
          code: s.code,
          language: s.language as LanguageId,
          label: s.label,
          author: s.author,
          createdAt: s.createdAt.toISOString(),
        })),
        runs: history
          .filter((h) => h.kind === "run")
          .map((h) => ({ ...(h.payload as RunRecord), by: h.actor, at: h.createdAt.toISOString() })),
        timeline: history.map((h) => ({
          at: h.createdAt.toISOString(),
          kind: h.kind,
          actor: h.actor,
          payload: h.payload,
        })),
        updateCount: updates,
        interview: await interviewRecordOf(ctx, session.id),
      };
    }),

  code: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/export/code",
        operationId: "exportCode",
        auth: "none",
        description: "Anyone with the link may download the code.",
        tags: ["replay"],
        summary:
          "The final code with a file name for its language (`/api/sessions/{id}/solution` downloads it)",
      },
    })
    .input(z.strictObject({ id: sessionId }))
    .output(z.object({ filename: z.string(), language: languageId, code: z.string() }))
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const live = await ctx.rooms.readCode(session.id);
      const language = live.language ?? (session.language as LanguageId);
      const base =
        language === "java" ? (live.code.match(/public\s+class\s+(\w+)/)?.[1] ?? "Main") : "solution";
      return { filename: `${base}.${fileExtensions[language]}`, language, code: live.code };
    }),
} satisfies TRPCRouterRecord;
