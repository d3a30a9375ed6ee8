import type { AppRouter, RouterInputs, RouterOutputs } from "@pairpad/api";
import { QueryClient } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  isTRPCClientError,
  splitLink,
  type TRPCClient,
} from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { EventSource } from "eventsource";

export type { RouterInputs, RouterOutputs };
export type Api = TRPCClient<AppRouter>;

export type Session = RouterOutputs["session"]["get"];
export type CreatedSession = RouterOutputs["session"]["create"];
export type LanguageId = Session["language"];
export type LanguageInfo = RouterOutputs["languages"]["list"]["languages"][number];
export type Snapshot = RouterOutputs["snapshot"]["list"]["snapshots"][number];
export type RunOutput = RouterOutputs["execute"]["run"];
export type Role = RouterOutputs["participants"]["list"]["participants"][number]["role"];
export type TimelinePage = RouterOutputs["playback"]["timeline"];
/** A run, snapshot, restore, language change, join, leave or session change on the replay's timeline. */
export type Marker = TimelinePage["markers"][number];
export type SessionExport = RouterOutputs["export"]["session"];

/**
 * A client for one page. `getToken` is read on every request, so a token adopted later (or
 * forgotten) takes effect without a new client. Subscriptions go over SSE, the rest in batches.
 */
export function createApi(getToken: () => string | null = () => null): Api {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // The `eventsource` ponyfill, so a token goes in a header (never in the URL, where proxies log
        // it); the browser's own EventSource cannot send one. Cookies go along as with any fetch.
        true: httpSubscriptionLink({
          url: "/trpc",
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => {
              const token = getToken();
              const headers = { ...init?.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
              return fetch(input, { ...init, headers, credentials: "same-origin" });
            },
          }),
        }),
        false: httpBatchLink({
          url: "/trpc",
          // The server refuses batches of more than 32 calls.
          maxItems: 16,
          headers() {
            const token = getToken();
            return token ? { Authorization: `Bearer ${token}` } : {};
          },
        }),
      }),
    ],
  });
}

/** A message fit for a person, from whatever a call threw. */
export function errorMessage(error: unknown): string {
  if (isTRPCClientError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errorCode(error: unknown): string | null {
  if (!isTRPCClientError(error)) return null;
  const data: unknown = error.data;
  if (data && typeof data === "object" && "code" in data && typeof data.code === "string") return data.code;
  return null;
}

type EventStream = RouterOutputs["events"]["session"];
/** One event of `events.session`, as delivered: `{ id, data }` (the id resumes the stream). */
export type TrackedSessionEvent = EventStream extends AsyncIterable<infer T> ? T : never;
export type SessionEvent = TrackedSessionEvent["data"];
export type RunResult = Extract<SessionEvent, { type: "run-finished" }>["result"];
export type RunStatus = RunResult["status"];

/** Server state of the workspace pages: cached, refetched and invalidated by TanStack Query. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or missing thing is an answer, not a hiccup: retry only what may pass next time.
      retry: (failures, error) =>
        failures < 2 &&
        !["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(errorCode(error) ?? ""),
      staleTime: 10_000,
    },
  },
});

/** Query and mutation options for every procedure, over a client without an interviewer token. */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client: createApi(), queryClient });

export type Me = RouterOutputs["workspace"]["me"];
export type Interview = RouterOutputs["interviews"]["list"]["items"][number];
export type InterviewStatus = Interview["status"];
export type Member = RouterOutputs["workspace"]["members"]["members"][number];
export type MemberRole = Member["role"];

type InterviewerStream = RouterOutputs["events"]["interviewer"];
/** An event only interviewers receive: notes, hidden and reference runs, scorecard saves. */
export type InterviewerEvent = (InterviewerStream extends AsyncIterable<infer T> ? T : never)["data"];
