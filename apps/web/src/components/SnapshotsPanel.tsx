import { useCallback, useEffect, useState } from "react";
import { languageLabel } from "../editor/languages.ts";
import { type Api, errorMessage, type LanguageId, type Snapshot } from "../trpc.ts";

interface Props {
  api: Api;
  sessionId: string;
  /** Bumped when a snapshot event arrives, to refresh the list. */
  version: number;
  canSave: boolean;
  canRestore: boolean;
  author: string;
  current: () => { code: string; language: LanguageId };
}

export function SnapshotsPanel({ api, sessionId, version, canSave, canRestore, author, current }: Props) {
  const [snapshots, setSnapshots] = useState<Snapshot[] | null>(null);
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const result = await api.snapshot.list.query({ id: sessionId });
      setSnapshots(result.snapshots);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api, sessionId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the refresh signal
  useEffect(() => {
    void refresh();
  }, [refresh, version]);

  async function save() {
    setBusy("save");
    setError(null);
    try {
      const { code, language } = current();
      await api.code.save.mutate({ id: sessionId, code, language, label: label.trim() || undefined, author });
      setLabel("");
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function restore(snapshot: Snapshot) {
    setBusy(snapshot.id);
    setError(null);
    try {
      await api.snapshot.restore.mutate({ id: sessionId, snapshotId: snapshot.id });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="snapshots-title">
      <h2 id="snapshots-title" className="panel-title">
        Snapshots {snapshots && <span className="count">{snapshots.length}</span>}
      </h2>
      {canSave && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label htmlFor="snapshot-label" className="sr-only">
            Snapshot label
          </label>
          <input
            id="snapshot-label"
            type="text"
            maxLength={120}
            placeholder="Label (optional)"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
          <button type="submit" className="button secondary" disabled={busy !== null}>
            {busy === "save" ? "Saving…" : "Save snapshot"}
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {snapshots?.length === 0 && <p className="muted small">No snapshots yet.</p>}
      <ul className="snapshots" aria-label="Saved snapshots">
        {snapshots?.map((snapshot) => {
          const name = snapshot.label ?? "Untitled snapshot";
          return (
            <li key={snapshot.id}>
              <div className="snapshot-text">
                <span className="snapshot-label">{name}</span>
                <span className="muted small">
                  {languageLabel(snapshot.language)} · {snapshot.author ?? "unknown"} ·{" "}
                  <time dateTime={snapshot.createdAt}>
                    {new Date(snapshot.createdAt).toLocaleTimeString([], {
                      hour: "2-digit",
                      minute: "2-digit",
                    })}
                  </time>
                </span>
              </div>
              {canRestore && (
                <button
                  type="button"
                  className="button ghost small"
                  aria-label={`Restore snapshot ${name}`}
                  disabled={busy !== null}
                  onClick={() => void restore(snapshot)}
                >
                  {busy === snapshot.id ? "Restoring…" : "Restore"}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
