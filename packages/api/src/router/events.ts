import { type TRPCRouterRecord, tracked } from "@trpc/server";
import { z } from "zod";
import type { SessionEvent } from "../events/events.ts";
import type { InterviewerEvent } from "../events/interviewer-events.ts";
import type { EventChannel } from "../ports.ts";
import { readableSessionId, requireReadableSession, sessionId } from "../session/sessions.ts";
import { interviewerProcedure, publicProcedure } from "../trpc.ts";

/**
 * One channel's events of one session as a tracked stream, from `lastEventId` on, until the caller
 * leaves or `last` says the stream is over.
 */
async function* streamOf<E extends { type: string }>(
  channel: EventChannel<E>,
  id: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
  last: (event: E) => boolean = () => false,
) {
  const pending: Array<E & { id: string }> = [];
  let wake: (() => void) | null = null;
  const unsubscribe = channel.subscribe(
    id,
    (event) => {
      pending.push(event);
      wake?.();
    },
    lastEventId ?? undefined,
  );
  const stopped = new Promise<void>((resolve) =>
    signal?.addEventListener("abort", () => resolve(), { once: true }),
  );
  try {
    while (!signal?.aborted) {
      const event = pending.shift();
      if (event) {
        const { id: eventId, ...data } = event;
        yield tracked(eventId, data as unknown as E);
        if (last(data as unknown as E)) return;
        continue;
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}

export const eventsRouter = {
  /**
   * Server events of one session (SSE through `httpSubscriptionLink`); resumes after `lastEventId`.
   * `id` is the session id, or an observer link's id (the events carry no session id).
   */
  session: publicProcedure
    .input(z.object({ id: readableSessionId, lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const session = await requireReadableSession(ctx, input.id);
      yield* streamOf<SessionEvent>(
        ctx.events,
        session.id,
        input.lastEventId,
        signal,
        (event) => event.type === "session-ended" && event.reason !== "ended",
      );
    }),

  /**
   * The interviewers' own events (notes, hidden and reference runs, scorecard saves): their token or
   * workspace membership is checked before anything is subscribed to.
   */
  interviewer: interviewerProcedure
    .input(z.object({ id: sessionId, lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      yield* streamOf<InterviewerEvent>(ctx.interviewerEvents, ctx.session.id, input.lastEventId, signal);
    }),
} satisfies TRPCRouterRecord;
