import { useEffect, useState } from "react";
import { paths } from "../router.ts";
import { type Api, errorMessage, type Session } from "../trpc.ts";
import { CopyField } from "./CopyField.tsx";

const HOUR = 3_600_000;
/** The API accepts expiries up to 7 days from now. */
const MAX_TTL_HOURS = 24 * 7;

interface Props {
  api: Api;
  session: Session;
  onSession: (session: Session) => void;
  onDeleted: () => void;
}

/** Rename, extend, end and delete: the calls that need the interviewer token. */
export function InterviewerPanel({ api, session, onSession, onDeleted }: Props) {
  const [title, setTitle] = useState(session.title);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"end" | "delete" | null>(null);
  const now = useNow();

  useEffect(() => setTitle(session.title), [session.title]);

  async function act(what: string, call: () => Promise<void>) {
    setBusy(what);
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  }

  const update = (what: string, patch: Omit<Parameters<Api["session"]["update"]["mutate"]>[0], "id">) =>
    act(what, async () => {
      const updated = await api.session.update.mutate({ id: session.id, ...patch });
      onSession({ ...session, ...updated });
    });

  const remainingHours = (new Date(session.expiresAt).getTime() - now) / HOUR;
  const extendTo = Math.min(MAX_TTL_HOURS, Math.max(0, remainingHours) + 24);
  const ended = session.status === "ended";
  const trimmed = title.trim();

  return (
    <section className="panel" aria-labelledby="interviewer-title">
      <h2 id="interviewer-title" className="panel-title">
        Interviewer controls
      </h2>

      <CopyField label="Candidate link" value={session.candidateUrl} />
      <CopyField label="Observer link" value={session.observerUrl} />

      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed && trimmed !== session.title) void update("rename", { title: trimmed });
        }}
      >
        <label htmlFor="rename-title" className="sr-only">
          Session title
        </label>
        <input
          id="rename-title"
          type="text"
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <button
          type="submit"
          className="button secondary"
          disabled={busy !== null || !trimmed || trimmed === session.title}
        >
          Rename
        </button>
      </form>

      <a
        className="button secondary replay-link"
        href={paths.playback(session.id)}
        target="_blank"
        rel="noopener"
        aria-label="Replay the session (opens in a new tab)"
      >
        <span aria-hidden="true">▶</span> Replay
      </a>

      <div className="expiry">
        <span>
          Expires{" "}
          <time dateTime={session.expiresAt} title={new Date(session.expiresAt).toLocaleString()}>
            {formatRemaining(remainingHours)}
          </time>
        </span>
        <button
          type="button"
          className="button ghost small"
          disabled={busy !== null || extendTo - remainingHours < 0.5}
          onClick={() => void update("extend", { ttlHours: extendTo })}
          aria-label="Extend expiry by 24 hours"
        >
          {busy === "extend" ? "Extending…" : "+24 h"}
        </button>
      </div>

      <div className="danger-zone">
        {ended ? (
          <button
            type="button"
            className="button secondary"
            disabled={busy !== null}
            onClick={() => void update("reopen", { status: "active" })}
          >
            Reopen interview
          </button>
        ) : confirm === "end" ? (
          <Confirm
            question="End the interview? The code becomes read-only for everyone."
            action="End now"
            onConfirm={() => void update("end", { status: "ended" })}
            onCancel={() => setConfirm(null)}
          />
        ) : (
          <button
            type="button"
            className="button warning"
            disabled={busy !== null}
            onClick={() => setConfirm("end")}
          >
            End interview
          </button>
        )}
        {confirm === "delete" ? (
          <Confirm
            question="Delete this session and all its data? Everyone is disconnected."
            action="Delete for good"
            onConfirm={() =>
              void act("delete", async () => {
                await api.session.delete.mutate({ id: session.id });
                onDeleted();
              })
            }
            onCancel={() => setConfirm(null)}
          />
        ) : (
          <button
            type="button"
            className="button danger"
            disabled={busy !== null}
            onClick={() => setConfirm("delete")}
          >
            Delete session
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Confirm(props: { question: string; action: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <fieldset className="confirm">
      <legend>{props.question}</legend>
      <div className="confirm-actions">
        <button type="button" className="button ghost small" onClick={props.onCancel}>
          Cancel
        </button>
        {/* biome-ignore lint/a11y/noAutofocus: focus moves to the choice the user just asked for */}
        <button type="button" className="button danger small" autoFocus onClick={props.onConfirm}>
          {props.action}
        </button>
      </div>
    </fieldset>
  );
}

function useNow(intervalMs = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function formatRemaining(hours: number) {
  if (hours <= 0) return "now";
  if (hours < 1) return `in ${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 72) return `in ${Math.round(hours)} h`;
  return `in ${Math.round(hours / 24)} days`;
}
