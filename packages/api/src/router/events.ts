import { type TRPCRouterRecord, tracked } from "@trpc/server";
import { z } from "zod";
import type { SessionEvent } from "../events/events.ts";
import { sessionId } from "../session/sessions.ts";
import { sessionProcedure } from "../trpc.ts";

export const eventsRouter = {
  /** Server events of one session (SSE through `httpSubscriptionLink`); resumes after `lastEventId`. */
  session: sessionProcedure
    .input(z.object({ id: sessionId, lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const pending: Array<SessionEvent & { id: string }> = [];
      let wake: (() => void) | null = null;
      const unsubscribe = ctx.events.subscribe(
        input.id,
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
