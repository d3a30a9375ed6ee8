import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { observerId, requireWatchedSession, toWatchOutput, watchOutput } from "../session/sessions.ts";
import { publicProcedure } from "../trpc.ts";

/** What an observer link opens: the session as an observer sees it, by the link's own id. */
export const watchRouter = {
  session: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/watch/{observerId}",
        operationId: "getWatchedSession",
        auth: "none",
        tags: ["sessions"],
        summary: "The session an observer link watches (read-only; no session id or candidate link)",
      },
    })
    .input(z.strictObject({ observerId }))
    .output(watchOutput)
    .query(async ({ ctx, input }) => toWatchOutput(await requireWatchedSession(ctx, input.observerId))),
} satisfies TRPCRouterRecord;
