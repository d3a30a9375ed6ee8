import { type TRPCRouterRecord, tracked } from "@trpc/server";
import { z } from "zod";
import type { SessionEvent } from "../events/events.ts";
import { readableSessionId, requireReadableSession } from "../session/sessions.ts";
import { publicProcedure } from "../trpc.ts";

export const eventsRouter = {
  /**
   * Server events of one session (SSE through `httpSubscriptionLink`); resumes after `lastEventId`.
   * `id` is the session id, or an observer link's id (the events carry no session id).
   */
  session: publicProcedure
    .input(z.object({ id: readableSessionId, lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const session = await requireReadableSession(ctx, input.id);
      const pending: Array<SessionEvent & { id: string }> = [];
      let wake: (() => void) | null = null;
      const unsubscribe = ctx.events.subscribe(
        session.id,
        (event) => {
          pending.push(event);
          wake?.();
        },
        input.lastEventId ?? undefined,
      );
      const stopped = new Promise<void>((resolve) =>
        signal?.addEventListener("abort", () => resolve(), { once: true }),
      );
      try {
        while (!signal?.aborted) {
          const event = pending.shift();
          if (event) {
            const { id, ...data } = event;
            yield tracked(id, data as SessionEvent);
            if (data.type === "session-ended" && data.reason !== "ended") return;
            continue;
          }
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
          wake = null;
        }
      } finally {
        unsubscribe();
      }
    }),
} satisfies TRPCRouterRecord;
