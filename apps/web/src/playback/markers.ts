import { isLanguageId, languageLabel } from "../editor/languages.ts";
import { isRunStatus, type LatestRun, runFromHistory, statusLabels } from "../room/latestRun.ts";
import type { Marker } from "../trpc.ts";

export type MarkerKind = Marker["kind"];

/** Kinds shown on the timeline, with their names; edits are the updates themselves. */
export const markerKinds: Partial<Record<MarkerKind, string>> = {
  run: "Run",
  snapshot: "Snapshot",
  restore: "Restore",
  language: "Language",
  join: "Joined",
  leave: "Left",
  session: "Session",
  question: "Question",
  test_run: "Tests",
};

/**
 * Each marker's row above the slider: runs, snapshots and restores, language changes, presence;
 * events close in time stay apart and clickable.
 */
export function markerLane(kind: MarkerKind): "run" | "snapshot" | "language" | "presence" {
  if (kind === "run" || kind === "language") return kind;
  if (kind === "test_run") return "run";
  if (kind === "question") return "language";
  return kind === "snapshot" || kind === "restore" ? "snapshot" : "presence";
}

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);

const knownRoles = new Set(["interviewer", "candidate", "observer"]);

/**
 * The name a person gave, with the role the server knew when it recorded one: a candidate who
 * saves or runs under the interviewer's name reads "Ivy (candidate)".
 */
function whoOf(marker: Marker): string {
  const who = marker.actor ?? "someone";
  const role = marker.payload.role;
  return typeof role === "string" && knownRoles.has(role) ? `${who} (${role})` : who;
}

/** One line for a person: "Run by Carl (candidate): Finished", "Language: Python → TypeScript". */
export function describeMarker(marker: Marker): string {
  const p = marker.payload;
  const who = marker.actor ?? "someone";
  switch (marker.kind) {
    case "run": {
      return `Run by ${whoOf(marker)}${isRunStatus(p.status) ? `: ${statusLabels[p.status]}` : ""}`;
    }
    case "snapshot":
      return `Snapshot “${text(p.label) ?? "untitled"}” saved by ${whoOf(marker)}`;
    case "restore":
      return `Snapshot “${text(p.label) ?? "untitled"}” restored by ${who}`;
    case "language": {
      const to = isLanguageId(p.language) ? languageLabel(p.language) : "another language";
      const from = isLanguageId(p.from) ? `${languageLabel(p.from)} → ` : "";
      return `Language: ${from}${to} (${who})`;
    }
    case "join":
      return `${who} joined${text(p.role) ? ` as ${p.role}` : ""}`;
    case "leave":
      return `${who} left`;
    case "session":
      return p.action === "created" ? "Session created" : `Session updated by ${who}`;
    case "edit":
      return `Edits by ${who}`;
    case "question":
      return text(p.title) ? `Question: ${p.title} (${who})` : `Question cleared (${who})`;
    case "test_run":
      return `Tests run by ${whoOf(marker)}: ${typeof p.passed === "number" ? p.passed : "?"}/${typeof p.total === "number" ? p.total : "?"} passed`;
  }
}

/** A run marker as the output panel shows it. */
export function runOfMarker(marker: Marker): LatestRun | null {
  if (marker.kind !== "run") return null;
  return runFromHistory({
    actor: marker.actor,
    payload: marker.payload,
    createdAt: new Date(marker.at).toISOString(),
  });
}

export function clockTime(time: number): string {
  return new Date(time).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** "4:05" or "1:02:03" for a duration in ms. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
