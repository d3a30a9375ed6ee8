import "./content.css";
import { useEffect, useState } from "react";
import type { Api, RouterOutputs } from "../trpc.ts";

type InterviewerMarker = RouterOutputs["interviewerTimeline"]["markers"]["markers"][number];

const kindLabels: Record<InterviewerMarker["kind"], string> = {
  note: "Note",
  hidden_test_run: "Hidden tests",
  reference_run: "Reference run",
  scorecard: "Scorecard",
};

/**
 * The replay's interviewer-only markers (notes, hidden and reference test runs, the scorecard), each at
 * its moment: those already reached are shown as written; a click jumps the replay there.
 */
export function InterviewerMarkers({
  api,
  sessionId,
  time,
  onJump,
}: {
  api: Api;
  sessionId: string;
  /** The replay's current moment (ms since the epoch). */
  time: number;
  onJump: (at: number) => void;
}) {
  const [markers, setMarkers] = useState<InterviewerMarker[]>([]);
  useEffect(() => {
    api.interviewerTimeline.markers
      .query({ id: sessionId })
      .then((r) => setMarkers(r.markers))
      .catch(() => setMarkers([]));
  }, [api, sessionId]);
  if (markers.length === 0) return null;
  return (
    <section className="panel interviewer-markers" aria-label="Interviewer notes and private runs">
      <h2 className="panel-title">Notes and private runs</h2>
      <ol className="notes-list">
        {markers.map((m) => (
          <li key={`${m.kind}-${m.at}-${m.label}`} data-reached={m.at <= time} className={`marker-${m.kind}`}>
            <button type="button" className="link-button" onClick={() => onJump(m.at)}>
              <span className="muted small">{new Date(m.at).toLocaleTimeString()}</span> {kindLabels[m.kind]}:{" "}
              {m.label}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
