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
        operationId: "listParticipants",
        auth: "none",
        description: "Everyone connected to the room now, on any node, with the role the server gave them.",
        tags: ["sessions"],
        summary: "Who is connected now, across all nodes",
      },
    })
    .input(z.strictObject({ id: sessionId }))
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
