import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Brand } from "../components/Brand.tsx";
import "../content/content.css";
import { Markdown } from "../content/Markdown.tsx";
import { ratingLabels, recommendationLabels } from "../content/ScorecardForm.tsx";
import { VerdictTable } from "../content/VerdictTable.tsx";
import { languageLabel } from "../editor/languages.ts";
import { adoptTokenFromFragment, loadToken } from "../identity.ts";
import { followLink, paths } from "../router.ts";
import { type Api, createApi, errorCode, errorMessage, type SessionExport } from "../trpc.ts";
import { SessionGone } from "./SessionGone.tsx";
import "./report.css";

const time = (iso: string) => new Date(iso).toLocaleString();

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * `/sessions/:id/report`: one printable page per interview for the interviewers — question, final
 * code, test verdicts, the runs in order, notes and scorecard. The same record as the JSON export.
 */
export function ReportPage({ sessionId }: { sessionId: string }) {
  const [token] = useState(() => {
    adoptTokenFromFragment(sessionId);
    return loadToken(sessionId);
  });
  const api: Api = useMemo(() => createApi(() => token), [token]);
  // With a token, or as a signed-in member of the interview's workspace (the cookie). Refusals are final.
  const load = useQuery({
    queryKey: ["report", sessionId, token],
    queryFn: ({ signal }) => api.export.session.query({ id: sessionId }, { signal }),
    retry: false,
    refetchOnWindowFocus: false,
  });
  const title = load.data?.session.title;
  useEffect(() => {
    if (title !== undefined) document.title = `Report · ${title} · Pairpad`;
  }, [title]);

  const code = load.isError ? errorCode(load.error) : null;
  if (code === "NOT_FOUND" || code === "BAD_REQUEST") return <SessionGone reason="not-found" />;
  if (load.isPending) return <div className="page-status">Loading the report…</div>;
  if (load.isError) {
    const forbidden = code === "UNAUTHORIZED" || code === "FORBIDDEN";
    return (
      <div className="page-status">
        <div className="card gone-card" role="alert">
          <h1>{forbidden ? "Only interviewers can read the report" : "Could not load the report"}</h1>
          <p>
            {forbidden
              ? "Sign in to the interview's workspace, or open the interviewer link in this browser first."
              : errorMessage(load.error)}
          </p>
        </div>
      </div>
    );
  }
  return <Report record={load.data} />;
}

function Report({ record }: { record: SessionExport }) {
  const { session, interview } = record;
  const participants = [
    ...new Map(
      record.timeline
        .filter((entry) => entry.kind === "join" && entry.actor)
        .map((entry) => [`${entry.actor}/${entry.payload.role ?? ""}`, entry]),
    ).values(),
  ];
  const rubricTitle = new Map((interview.question?.rubric ?? []).map((item) => [item.id, item.title]));
  const lastAt = record.timeline.at(-1)?.at ?? session.updatedAt;
  const span = new Date(lastAt).getTime() - new Date(session.createdAt).getTime();

  return (
    <div className="report">
      <header className="topbar report-noprint">
        <Brand />
        <div className="report-actions">
          <a className="button ghost" href={paths.playback(session.id)} onClick={followLink}>
            Replay
          </a>
          <button type="button" className="button primary" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </header>
      <main className="report-main">
        <h1>{session.title}</h1>
        <dl className="report-facts">
          <dt>Language</dt>
          <dd>{languageLabel(record.code.language)}</dd>
          <dt>Started</dt>
          <dd>{time(session.createdAt)}</dd>
          <dt>Duration</dt>
          <dd>{duration(span)}</dd>
          <dt>Status</dt>
          <dd>{session.status}</dd>
          <dt>Participants</dt>
          <dd>
            {participants.length === 0
              ? "—"
              : participants.map((p) => `${p.actor} (${p.payload.role ?? "?"})`).join(", ")}
          </dd>
        </dl>

        <section aria-labelledby="report-scorecard">
          <h2 id="report-scorecard">Scorecard</h2>
          {interview.scorecard ? (
            <>
              <p>
                Recommendation:{" "}
                <strong>
                  {interview.scorecard.recommendation
                    ? recommendationLabels[interview.scorecard.recommendation]
                    : "not decided"}
                </strong>
                <span className="muted small">
                  {" "}
                  · saved {time(interview.scorecard.updatedAt)}
                  {interview.scorecard.updatedBy ? ` by ${interview.scorecard.updatedBy}` : ""}
                </span>
              </p>
              {interview.scorecard.ratings.length > 0 && (
                <table className="report-table">
                  <thead>
                    <tr>
                      <th scope="col">Rubric item</th>
                      <th scope="col">Rating</th>
                      <th scope="col">Comment</th>
                    </tr>
                  </thead>
                  <tbody>
                    {interview.scorecard.ratings.map((r) => (
                      <tr key={r.itemId}>
                        <td>{rubricTitle.get(r.itemId) ?? r.itemId}</td>
                        <td>{ratingLabels[r.rating as 1 | 2 | 3 | 4] ?? r.rating}</td>
                        <td>{r.comment}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {interview.scorecard.summary && <p className="report-summary">{interview.scorecard.summary}</p>}
              {interview.scorecardRevisions.length > 1 && (
                <details className="report-revisions">
                  <summary>{interview.scorecardRevisions.length} saves</summary>
                  <ol>
                    {interview.scorecardRevisions.map((r) => (
                      <li key={r.savedAt}>
                        {time(r.savedAt)}
                        {r.savedBy ? ` · ${r.savedBy}` : ""} ·{" "}
                        {r.recommendation ? recommendationLabels[r.recommendation] : "not decided"}
                      </li>
                    ))}
                  </ol>
                </details>
              )}
            </>
          ) : (
            <p className="muted">No scorecard yet.</p>
          )}
        </section>

        <section aria-labelledby="report-question">
          <h2 id="report-question">Question</h2>
          {interview.question ? (
            <>
              <h3>
                {interview.question.title}{" "}
                <span className={`badge difficulty-${interview.question.difficulty}`}>
                  {interview.question.difficulty}
                </span>
              </h3>
              <div className="question-prompt">
                <Markdown source={interview.question.prompt} />
              </div>
            </>
          ) : (
            <p className="muted">No question was picked.</p>
          )}
        </section>

        <section aria-labelledby="report-code">
          <h2 id="report-code">Final code</h2>
          <pre className="report-code">{record.code.code || "(empty)"}</pre>
        </section>

        <section aria-labelledby="report-tests">
          <h2 id="report-tests">Test runs</h2>
          {interview.testRuns.length === 0 && <p className="muted">No tests were run.</p>}
          {interview.testRuns.map((run) => (
            <div key={run.id} className="report-test-run">
              <p className="muted small">{time(run.createdAt)}</p>
              <VerdictTable run={run} />
            </div>
          ))}
        </section>

        <section aria-labelledby="report-runs">
          <h2 id="report-runs">Runs</h2>
          {record.runs.length === 0 ? (
            <p className="muted">No runs.</p>
          ) : (
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">By</th>
                  <th scope="col">Language</th>
                  <th scope="col">Status</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {record.runs.map((run) => (
                  <tr key={run.runId}>
                    <td>{time(run.at)}</td>
                    <td>{run.by ?? "—"}</td>
                    <td>{languageLabel(run.language)}</td>
                    <td>
                      {run.status}
                      {run.exitCode !== null && run.exitCode !== 0 ? ` (exit ${run.exitCode})` : ""}
                    </td>
                    <td>{Math.round(run.timeMs)} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="report-notes">
          <h2 id="report-notes">Interviewer notes</h2>
          {interview.notes.length === 0 ? (
            <p className="muted">No notes.</p>
          ) : (
            <ol className="report-notes">
              {interview.notes.map((note) => (
                <li key={note.id}>
                  <span className="muted small">
                    {new Date(note.at).toLocaleTimeString()} · {note.author ?? "interviewer"}
                  </span>
                  <p>{note.text}</p>
                </li>
              ))}
            </ol>
          )}
        </section>
        <p className="muted small">Exported {time(record.exportedAt)}</p>
      </main>
    </div>
  );
}
