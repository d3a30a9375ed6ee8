import { useState } from "react";
import { clockTime } from "../playback/markers.ts";
import { followLink, paths } from "../router.ts";
import { type Api, errorMessage, type LanguageId, type Session } from "../trpc.ts";

interface Props {
  api: Api;
  session: Session;
  /** The code and language at the replayed point, and its wall-clock time. */
  code: string;
  language: LanguageId;
  time: number;
  /** Called after a restore (which adds to the recording) with a line for the user. */
  onRestored: (message: string) => void;
}

/** "Restore this version" for everyone, and the session's exports. */
export function ReplayActions({ api, session, code, language, time, onRestored }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<"restore" | "export" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = session.status === "ended";
  const when = clockTime(time);

  async function restore() {
    setBusy("restore");
    setError(null);
    try {
      // A snapshot of the replayed code first, so the restore is an ordinary, recorded one.
      const snapshot = await api.code.save.mutate({
        id: session.id,
        code,
        language,
        label: `Replay ${when}`,
        author: "interviewer",
      });
      await api.snapshot.restore.mutate({ id: session.id, snapshotId: snapshot.id });
      onRestored(`Everyone now has the code as of ${when}.`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  }

  async function exportJson() {
    setBusy("export");
    setError(null);
    try {
      const data = await api.export.session.query({ id: session.id });
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `pairpad-${session.id}.json`;
      link.click();
      // Revoked after the click has handed the blob to the download.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="replay-actions-title">
      <h2 id="replay-actions-title" className="panel-title">
        This version
      </h2>
      <div className="replay-actions">
        {confirming ? (
          <fieldset className="confirm">
            <legend>Replace the live code for everyone with the code as of {when}?</legend>
            <div className="confirm-actions">
              <button type="button" className="button ghost small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              {/* biome-ignore lint/a11y/noAutofocus: focus moves to the choice the user just asked for */}
              <button type="button" className="button primary small" autoFocus onClick={() => void restore()}>
                {busy === "restore" ? "Restoring…" : "Restore for everyone"}
              </button>
            </div>
          </fieldset>
        ) : (
          <button
            type="button"
            className="button secondary"
            disabled={busy !== null || ended}
            onClick={() => setConfirming(true)}
          >
            Restore this version
          </button>
        )}
        {ended && <p className="muted small">The interview has ended; reopen it to restore a version.</p>}
        <div className="export-actions">
          <button
            type="button"
            className="button ghost"
            disabled={busy !== null}
            onClick={() => void exportJson()}
          >
            {busy === "export" ? "Exporting…" : "Export JSON"}
          </button>
          <a
            className="button ghost"
            href={`/api/sessions/${encodeURIComponent(session.id)}/solution`}
            download
          >
            Download code
          </a>
          <a className="button ghost" href={paths.report(session.id)} onClick={followLink}>
            Report
          </a>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
