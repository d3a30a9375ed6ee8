import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { sessionId } from "../session/sessions.ts";
import { sessionProcedure } from "../trpc.ts";

export const participantsRouter = {
  list: sessionProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sessions/{id}/participants",
        protect: false,
        tags: ["sessions"],
        summary: "Who is connected now, across all nodes",
      },
    })
    .input(z.object({ id: sessionId }))
    .output(
      z.object({
        participants: z.array(
          z.object({
            connectionId: z.string(),
            name: z.string(),
            color: z.string(),
            role: z.enum(["interviewer", "candidate", "observer"]),
            since: z.iso.datetime(),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => {
      const session = ctx.session;
      const participants = await ctx.rooms.participants(session.id);
      return { participants: participants.map((p) => ({ ...p, since: p.since.toISOString() })) };
    }),
} satisfies TRPCRouterRecord;
