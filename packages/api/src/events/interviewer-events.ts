import { z } from "zod";
import { languageId } from "../execution/executor.ts";
import { noteParagraph } from "../questions/notes.ts";
import { testRunResult } from "../questions/verdict.ts";

const privateScope = z.enum(["hidden", "reference"]);

/**
 * What only a session's interviewers receive, live: the notes as they change, the hidden and reference
 * test runs, scorecard saves. Published on a channel of its own (`ApiDeps.interviewerEvents`), which
 * only the interviewer-only `events.interviewer` stream subscribes to.
 */
export const interviewerEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("notes-changed"),
    paragraphs: z.array(noteParagraph),
    by: z.string().nullable(),
  }),
  z.object({
    type: z.literal("private-test-run-started"),
    runId: z.string(),
    scope: privateScope,
    language: languageId,
    by: z.string().nullable(),
  }),
  z.object({ type: z.literal("private-test-run-finished"), run: testRunResult }),
  z.object({ type: z.literal("scorecard-saved"), by: z.string().nullable(), at: z.iso.datetime() }),
]);
export type InterviewerEvent = z.infer<typeof interviewerEvent>;
