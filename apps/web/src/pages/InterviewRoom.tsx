import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Brand } from "../components/Brand.tsx";
import { ConnectionIndicator } from "../components/ConnectionIndicator.tsx";
import { InterviewerPanel } from "../components/InterviewerPanel.tsx";
import { NamePrompt } from "../components/NamePrompt.tsx";
import { OutputPanel } from "../components/OutputPanel.tsx";
import { initials, ParticipantsPanel } from "../components/ParticipantsPanel.tsx";
import { SnapshotsPanel } from "../components/SnapshotsPanel.tsx";
import { TerminalPanel } from "../components/TerminalPanel.tsx";
import { codeCursor } from "../content/cursor.ts";
import { QuestionPanel } from "../content/QuestionPanel.tsx";
import { CodeEditor } from "../editor/CodeEditor.tsx";
import { languageIds, languageLabel } from "../editor/languages.ts";
import { loadColor } from "../identity.ts";
import { type LatestRun, runFromHistory } from "../room/latestRun.ts";
import { CLOSE_DELETED, CLOSE_NOT_FOUND, Room, webSocketBase } from "../room/Room.ts";
import { terminalOf } from "../room/TerminalChannel.ts";
import { useSessionEvents } from "../room/useSessionEvents.ts";
import {
  type Api,
  errorMessage,
  type LanguageId,
  type LanguageInfo,
  type Role,
  type Session,
  type SessionEvent,
} from "../trpc.ts";
import type { GoneReason } from "./SessionGone.tsx";

interface Props {
  api: Api;
  session: Session;
  onSession: (session: Session) => void;
  token: string | null;
  role: Role;
  name: string;
  onRename: (name: string) => void;
  onGone: (reason: GoneReason, detail?: string) => void;
}

export function InterviewRoom(props: Props) {
  const { session, token, role, name } = props;
  const [room, setRoom] = useState<Room | null>(null);
  const color = useState(loadColor)[0];

  // The name changes in place (below); a new room only for another session, token or role.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const joined = new Room({
      sessionId: session.id,
      wsBase: webSocketBase(),
      // The interviewer joins with short-lived tickets: the token stays out of the socket's URL.
      ticket: token ? () => props.api.ticket.create.mutate({ id: session.id }).then((r) => r.ticket) : null,
      user: { name, color, role },
    });
    setRoom(joined);
    return () => joined.destroy();
  }, [session.id, token, role, color]);

  useEffect(() => {
    room?.setName(name);
  }, [room, name]);

  if (!room) return <div className="page-status">Connecting…</div>;
  return <RoomView {...props} room={room} />;
}

function RoomView({ api, session, onSession, role, name, onRename, onGone, room }: Props & { room: Room }) {
  const state = useSyncExternalStore(room.subscribe, room.getState);
  const terminal = useMemo(() => terminalOf(room), [room]);
  const terminalView = useSyncExternalStore(terminal.subscribe, terminal.getView);
  const [ioView, setIoView] = useState<"output" | "terminal">("output");
  const [latestRun, setLatestRun] = useState<LatestRun | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [stdin, setStdin] = useState("");
  const [snapshotsVersion, setSnapshotsVersion] = useState(0);
  const [languages, setLanguages] = useState<LanguageInfo[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  /** The latest question or test-run event, for the question panel (one event stream per page). */
  const [contentEvent, setContentEvent] = useState<SessionEvent | null>(null);

  const language: LanguageId = state.language ?? session.language;
  const ended = session.status === "ended" || state.locked;
  const readOnly = ended || role === "observer" || state.connection === "closed";
  const isInterviewer = role === "interviewer";

  // A live run (anyone's) brings the terminal to the front.
  const terminalRunId = terminalView.state?.status === "running" ? terminalView.state.runId : null;
  useEffect(() => {
    if (terminalRunId) setIoView("terminal");
  }, [terminalRunId]);

  useEffect(() => {
    document.title = `${session.title} · Pairpad`;
  }, [session.title]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  useEffect(() => {
    api.languages.list
      .query()
      .then((r) => setLanguages(r.languages))
      .catch(() => setLanguages([]));
    // The output panel starts with the session's latest run, if any.
    api.history.list
      .query({ id: session.id, kind: "run", limit: 1 })
      .then((page) => {
        const entry = page.items[0];
        const run = entry ? runFromHistory(entry) : null;
        if (run) setLatestRun((current) => current ?? run);
      })
      .catch(() => {});
  }, [api, session.id]);

  // The real-time server's final word: 4404 unknown or expired, 4410 deleted.
  useEffect(() => {
    const closed = state.closedWith;
    if (!closed) return;
    if (closed.code === CLOSE_NOT_FOUND) onGone("not-found");
    else if (closed.code === CLOSE_DELETED) onGone("deleted");
    else onGone("closed", closed.reason || `Close code ${closed.code}`);
  }, [state.closedWith, onGone]);

  const sessionRef = useRef(session);
  sessionRef.current = session;

  const onEvent = useCallback(
    (event: SessionEvent) => {
      const at = new Date();
      switch (event.type) {
        case "run-started":
          setRunError(null);
          setLatestRun({ phase: "running", runId: event.runId, by: event.by, language: event.language, at });
          break;
        case "run-finished":
          setLatestRun({
            phase: "finished",
            runId: event.runId,
            by: event.by,
            language: event.language,
            at,
            result: event.result,
          });
          break;
        case "snapshot-saved":
          setSnapshotsVersion((v) => v + 1);
          break;
        case "snapshot-restored":
          setSnapshotsVersion((v) => v + 1);
          setNotice(`${event.by ?? "The interviewer"} restored a snapshot`);
          break;
        case "session-updated":
          onSession({ ...sessionRef.current, ...event.session });
          break;
        case "session-ended":
          if (event.reason === "ended") {
            onSession({ ...sessionRef.current, status: "ended" });
            setNotice("The interview has ended");
          } else {
            onGone(event.reason);
          }
          break;
        case "question-changed":
        case "test-run-started":
        case "test-run-finished":
          setContentEvent(event);
          break;
        case "user-joined":
        case "user-left":
        case "language-changed":
          break;
      }
    },
    [onSession, onGone],
  );
  useSessionEvents(api, session.id, onEvent, () => onGone("not-found"));

  const canRun = role !== "observer" && !ended;

  const run = useCallback(async () => {
    if (!canRun || running) return;
    setRunning(true);
    setRunError(null);
    setLatestRun({ phase: "running", runId: null, by: name, language, at: new Date() });
    try {
      const result = await api.execute.run.mutate({
        language,
        code: room.code.toString(),
        stdin,
        sessionId: session.id,
        runBy: name,
      });
      // Keep a newer run someone else started meanwhile; ours also arrives as an event.
      setLatestRun((current) =>
        current && current.runId !== null && current.runId !== result.runId
          ? current
          : { phase: "finished", runId: result.runId, by: name, language, at: new Date(), result },
      );
    } catch (error) {
      setRunError(`Run failed: ${errorMessage(error)}`);
      setLatestRun((current) => (current?.phase === "running" && current.runId === null ? null : current));
    } finally {
      setRunning(false);
    }
  }, [api, canRun, running, language, stdin, name, room, session.id]);

  // Ctrl/Cmd+Enter runs from anywhere on the page (the editor handles its own first).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
        event.preventDefault();
        void run();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [run]);

  const languageInfo = languages.find((l) => l.id === language);
  const currentCode = useCallback(() => ({ code: room.code.toString(), language }), [room, language]);

  return (
    <div className="room" data-role={role} data-locked={ended}>
      <header className="topbar room-topbar">
        <Brand />
        <div className="room-title">
          <h1 title={session.title}>{session.title}</h1>
          <span className={`badge ${ended ? "badge-ended" : "badge-live"}`}>{ended ? "Ended" : "Live"}</span>
        </div>
        <div className="topbar-end">
          <ConnectionIndicator connection={state.connection} />
          <button
            type="button"
            className="me"
            onClick={() => setRenaming(true)}
            aria-label={`You are ${name}, ${role}. Change your display name`}
          >
            <span
              className="avatar small"
              style={{ backgroundColor: state.peers.find((p) => p.isSelf)?.color }}
              aria-hidden="true"
            >
              {initials(name)}
            </span>
            <span className="me-name">{name}</span>
          </button>
        </div>
      </header>

      {ended && (
        <div className="banner banner-ended" role="status">
          The interview has ended. The code is read-only for everyone.
        </div>
      )}
      {role === "observer" && !ended && (
        <div className="banner" role="status">
          You are observing: you can follow along but not edit or run.
        </div>
      )}
      <div className="toast-region" aria-live="polite">
        {notice && <div className="toast">{notice}</div>}
      </div>

      <div className="room-body with-question">
        <QuestionPanel
          api={api}
          sessionId={session.id}
          role={role}
          name={name}
          language={language}
          code={room.code}
          cursor={() => codeCursor(room)}
          canRun={canRun}
          event={contentEvent}
        />
        <main className="workspace">
          <div className="toolbar" role="toolbar" aria-label="Editor toolbar">
            <label htmlFor="language-picker" className="sr-only">
              Language
            </label>
            <select
              id="language-picker"
              value={language}
              disabled={readOnly}
              onChange={(e) => room.setLanguage(e.target.value as LanguageId)}
            >
              {languageIds.map((id) => (
                <option key={id} value={id}>
                  {languageLabel(id)}
                </option>
              ))}
            </select>
            {languageInfo && (
              <span className="muted small toolbar-note">
                {languageInfo.available
                  ? (languageInfo.version ?? "")
                  : `Cannot run here${languageInfo.reason ? `: ${languageInfo.reason}` : ""}`}
              </span>
            )}
            <span className="spacer" />
            {canRun && (
              <button
                type="button"
                className="button run"
                onClick={() => void run()}
                disabled={running}
                aria-keyshortcuts="Control+Enter Meta+Enter"
              >
                <span aria-hidden="true">▶</span> {running ? "Running…" : "Run"}
                <span className="kbd" aria-hidden="true">
                  {/Mac|iPhone|iPad/.test(navigator.userAgent) ? "⌘↵" : "Ctrl ↵"}
                </span>
              </button>
            )}
          </div>
          <div className="editor-frame">
            <CodeEditor room={room} language={language} readOnly={readOnly} onRun={() => void run()} />
          </div>
          <div className="io-tabs" role="tablist" aria-label="Output or terminal">
            <button
              type="button"
              role="tab"
              aria-selected={ioView === "output"}
              onClick={() => setIoView("output")}
            >
              Output
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={ioView === "terminal"}
              onClick={() => setIoView("terminal")}
              data-testid="terminal-tab"
            >
              Terminal{terminalRunId ? " ●" : ""}
            </button>
          </div>
          <div className="io io-terminal" hidden={ioView !== "terminal"}>
            <TerminalPanel
              api={api}
              sessionId={session.id}
              channel={terminal}
              role={role}
              canRun={canRun}
              language={language}
            />
          </div>
          <div className="io" hidden={ioView !== "output"}>
            <div className="stdin">
              <label htmlFor="stdin-box" className="panel-title">
                Input (stdin)
              </label>
              <textarea
                id="stdin-box"
                spellCheck={false}
                placeholder="Passed to the program on standard input"
                value={stdin}
                disabled={!canRun}
                onChange={(e) => setStdin(e.target.value)}
              />
            </div>
            <OutputPanel run={latestRun} error={runError} />
          </div>
        </main>

        <aside className="sidebar" aria-label="Session">
          <ParticipantsPanel peers={state.peers} connected={state.connection === "connected"} />
          <SnapshotsPanel
            api={api}
            sessionId={session.id}
            version={snapshotsVersion}
            canSave={role !== "observer"}
            canRestore={isInterviewer && !ended}
            author={name}
            current={currentCode}
          />
          {isInterviewer && (
            <InterviewerPanel
              api={api}
              session={session}
              onSession={onSession}
              onDeleted={() => onGone("deleted")}
            />
          )}
        </aside>
      </div>

      {renaming && (
        <NamePrompt
          initial={name}
          onCancel={() => setRenaming(false)}
          onSubmit={(value) => {
            onRename(value);
            setRenaming(false);
          }}
        />
      )}
    </div>
  );
}
