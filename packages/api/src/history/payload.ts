import { z } from "zod";
import { languageId, runStatus } from "../execution/executor.ts";

/** A run as the history keeps it: outputs cut at 16 KiB each. */
export const runRecord = z.looseObject({
  runId: z.string(),
  language: languageId,
  code: z.string(),
  stdin: z.string(),
  status: runStatus,
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  compileOutput: z.string().optional(),
  timeMs: z.number(),
});
export type RunRecord = z.infer<typeof runRecord>;

/**
 * What a history entry holds, by kind. One object with every field optional (the kind says which
 * are set) rather than a union, so entries written by older or newer servers still read.
 */
export const historyPayload = z
  .looseObject({
    action: z.string().nullish().meta({ description: "`session`: what happened" }),
    title: z.string().nullish().meta({ description: "`session`: the title set" }),
    status: z.string().nullish().meta({ description: "`session`: the status set; `run`: the run's status" }),
    expiresAt: z.string().nullish().meta({ description: "`session`: the expiry set" }),
    language: z.string().nullish().meta({ description: "`language`, `session`, `run`: the language" }),
    from: z
      .string()
      .nullish()
      .meta({ description: "`language`: the previous language; `edit`: window start" }),
    to: z.string().nullish().meta({ description: "`edit`: window end" }),
    updates: z.number().nullish().meta({ description: "`edit`: updates by this author in the window" }),
    snapshotId: z.string().nullish().meta({ description: "`snapshot`, `restore`: the snapshot" }),
    label: z.string().nullish().meta({ description: "`snapshot`, `restore`: its label" }),
    connectionId: z.string().nullish().meta({ description: "`join`, `leave`: the connection" }),
    role: z
      .string()
      .nullish()
      .meta({
        description:
          "`join`, `leave`: the role the server gave the connection; `snapshot`, `run`, `test_run`: the caller's " +
          "role as the server knows it (the actor is a display name the caller chose)",
      }),
    runId: z.string().nullish().meta({ description: "`run`: the run" }),
    code: z.string().nullish().meta({ description: "`run`: the code run" }),
    stdin: z.string().nullish(),
    stdout: z.string().nullish(),
    stderr: z.string().nullish(),
    compileOutput: z.string().nullish(),
    exitCode: z.number().nullish(),
    timeMs: z.number().nullish(),
  })
  .meta({ description: "Fields by kind; other fields may appear and are to be ignored" });
