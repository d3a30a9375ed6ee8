import { z } from "zod";
import { languageId, runResult } from "../execution/executor.ts";
import { roomQuestion } from "../questions/session-question.ts";
import { testRunResult, testRunScope } from "../questions/verdict.ts";

const user = z.object({ connectionId: z.string(), name: z.string(), color: z.string(), role: z.string() });

/** Names kept from the original protocol. */
export const sessionEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user-joined"), user }),
  z.object({ type: z.literal("user-left"), user }),
  z.object({ type: z.literal("language-changed"), language: languageId, by: z.string().nullable() }),
  z.object({
    type: z.literal("snapshot-saved"),
    snapshot: z.object({ id: z.string(), label: z.string().nullable(), author: z.string().nullable() }),
  }),
  z.object({
    type: z.literal("snapshot-restored"),
    snapshotId: z.string(),
    by: z.string().nullable(),
  }),
  z.object({
    type: z.literal("session-updated"),
    session: z.object({
      title: z.string(),
      language: languageId,
      status: z.enum(["active", "ended"]),
      expiresAt: z.string(),
    }),
  }),
  z.object({ type: z.literal("session-ended"), reason: z.enum(["ended", "deleted", "expired"]) }),
  z.object({
    type: z.literal("run-started"),
    runId: z.string(),
    language: languageId,
    by: z.string().nullable(),
  }),
  z.object({
    type: z.literal("run-finished"),
    runId: z.string(),
    language: languageId,
    by: z.string().nullable(),
    result: runResult,
  }),
  z.object({
    type: z.literal("question-changed"),
    question: roomQuestion.nullable(),
    by: z.string().nullable(),
  }),
  z.object({
    type: z.literal("test-run-started"),
    runId: z.string(),
    scope: testRunScope,
    language: languageId,
    by: z.string().nullable(),
  }),
  z.object({ type: z.literal("test-run-finished"), run: testRunResult }),
]);
export type SessionEvent = z.infer<typeof sessionEvent>;
