import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { sessionId } from "../session/sessions.ts";
import { issueSocketTicket } from "../session/tickets.ts";
import { interviewerProcedure } from "../trpc.ts";

export const ticketRouter = {
  /** A short-lived ticket for the session's socket (`/ws/sessions/{id}?ticket=…`), instead of the token. */
  create: interviewerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sessions/{id}/socket-ticket",
        operationId: "createSocketTicket",
        errors: [409],
        auth: "required",
        tags: ["sessions"],
        summary: "A ticket that joins the session's WebSocket as the interviewer (interviewer only)",
        description:
          "Valid for 10 minutes; pass it as `?ticket=` on `/ws/sessions/{id}` so that the interviewer " +
          "token never appears in a URL. Fetch a new one before it expires for later reconnects.",
      },
    })
    .input(z.strictObject({ id: sessionId }))
    .output(z.object({ ticket: z.string(), expiresAt: z.iso.datetime() }))
    .mutation(({ ctx }) => {
      // Any interviewer (the token's holder or a workspace member) gets one.
      const { ticket, expiresAt } = issueSocketTicket(ctx.session, ctx.clock());
      return { ticket, expiresAt: expiresAt.toISOString() };
    }),
} satisfies TRPCRouterRecord;
