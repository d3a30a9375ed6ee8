import type { LiveResult, Who } from "@pairpad/api/terminal/state";
import type { Api, RouterOutputs } from "../trpc.ts";

type Kind = RouterOutputs["playback"]["terminal"]["events"][number]["kind"];

/** One recorded event of a live run, decoded. */
export interface TerminalEvent {
  at: number;
  runId: string;
  kind: Kind;
  actor: string | null;
  bytes: Uint8Array;
}

/** A live run as the replay shows it: its header and its output events in order. */
export interface RecordedRun {
  runId: string;
  startedAt: number;
  endedAt: number | null;
  language: string | null;
  mode: string | null;
  by: Who | null;
  cols: number;
  rows: number;
  result: LiveResult | null;
  output: TerminalEvent[];
}

const PAGE_SIZE = 20_000;
const text = new TextDecoder();

function decodeBase64(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function json(bytes: Uint8Array): Record<string, unknown> {
  try {
    return JSON.parse(text.decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Pages through `playback.terminal` and groups the events by run, in order. */
export async function loadTerminalRuns(
  api: Api,
  sessionId: string,
  signal: AbortSignal,
): Promise<RecordedRun[]> {
  const runs = new Map<string, RecordedRun>();
  let cursor: number | undefined;
  do {
    const page = await api.playback.terminal.query({ id: sessionId, cursor, limit: PAGE_SIZE }, { signal });
    for (const event of page.events) {
      const decoded: TerminalEvent = { ...event, bytes: decodeBase64(event.data) };
      let run = runs.get(event.runId);
      if (!run) {
        run = {
          runId: event.runId,
          startedAt: event.at,
          endedAt: null,
          language: null,
          mode: null,
          by: null,
          cols: 80,
          rows: 24,
          result: null,
          output: [],
        };
        runs.set(event.runId, run);
      }
      if (event.kind === "start") {
        const start = json(decoded.bytes);
        run.startedAt = event.at;
        run.language = typeof start.language === "string" ? start.language : null;
        run.mode = typeof start.mode === "string" ? start.mode : null;
        run.by = (start.by as Who | undefined) ?? null;
        if (typeof start.cols === "number") run.cols = start.cols;
        if (typeof start.rows === "number") run.rows = start.rows;
      } else if (event.kind === "output" || event.kind === "resize") {
        run.output.push(decoded);
      } else if (event.kind === "end") {
        run.endedAt = event.at;
        run.result = json(decoded.bytes) as unknown as LiveResult;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return [...runs.values()].sort((a, b) => a.startedAt - b.startedAt);
}

/** The run on screen at `time`: the last one started at or before it. */
export function runAt(runs: RecordedRun[], time: number): RecordedRun | null {
  let found: RecordedRun | null = null;
  for (const run of runs) if (run.startedAt <= time) found = run;
  return found;
}
