import { useCallback, useEffect, useRef, useState } from "react";
import type * as Y from "yjs";
import { languageLabel } from "../editor/languages.ts";
import {
  type Api,
  errorMessage,
  type InterviewerEvent,
  type LanguageId,
  type Role,
  type RouterOutputs,
  type SessionEvent,
} from "../trpc.ts";
import "./content.css";
import { useInterviewerEvents } from "../room/useSessionEvents.ts";
import { Markdown } from "./Markdown.tsx";
import { ScorecardForm } from "./ScorecardForm.tsx";
import { type TestRun, VerdictTable } from "./VerdictTable.tsx";

type RoomQuestion = NonNullable<RouterOutputs["sessionQuestion"]["get"]["question"]>;
type Summary = RouterOutputs["question"]["list"]["items"][number];
type Note = RouterOutputs["notes"]["get"]["paragraphs"][number];

interface Props {
  api: Api;
  sessionId: string;
  role: Role;
  name: string;
  language: LanguageId;
  code: Y.Text;
  /** The code cursor's offset, kept with each note. */
  cursor: () => number | null;
  canRun: boolean;
  /** The latest question or test event of the session (from the room's one event stream). */
  event: SessionEvent | null;
}

/** Replaces the editor's text in one transaction: one ordinary change every participant receives. */
function replaceCode(code: Y.Text, next: string) {
  const apply = () => {
    code.delete(0, code.length);
    code.insert(0, next);
  };
  if (code.doc) code.doc.transact(apply);
  else apply();
}

/**
 * The question beside the editor: its prompt for everyone, the public tests' verdicts shared with the
 * room; for interviewers, the question picker, private runs (every test, the reference solution) and notes.
 */
export function QuestionPanel({ api, sessionId, role, name, language, code, cursor, canRun, event }: Props) {
  const isInterviewer = role === "interviewer";
  const [question, setQuestion] = useState<RoomQuestion | null>(null);
  const [shared, setShared] = useState<TestRun | null>(null);
  const [privateRun, setPrivateRun] = useState<TestRun | null>(null);
  const [running, setRunning] = useState<TestRun["scope"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starterOffer, setStarterOffer] = useState<LanguageId | null>(null);
  /** The latest event of the interviewers' own stream (another interviewer's note, run or scorecard). */
  const [privateEvent, setPrivateEvent] = useState<InterviewerEvent | null>(null);
  useInterviewerEvents(api, sessionId, isInterviewer, (e) => {
    if (e.type === "private-test-run-finished") setPrivateRun(e.run);
    setPrivateEvent(e);
  });

  useEffect(() => {
    api.sessionQuestion.get
      .query({ id: sessionId })
      .then((r) => setQuestion(r.question))
      .catch(() => {});
    api.testRun.list
      .query({ id: sessionId, limit: 20 })
      .then((r) => setShared((current) => current ?? r.runs.find((run) => run.scope === "public") ?? null))
      .catch(() => {});
  }, [api, sessionId]);

  useEffect(() => {
    if (!event) return;
    if (event.type === "question-changed") {
      setQuestion(event.question);
      setShared(null);
    } else if (event.type === "test-run-finished") {
      setShared(event.run);
    } else if (event.type === "test-run-started") {
      setError(null);
    }
  }, [event]);

  // Switching language offers that language's starter while the editor still holds the previous one.
  const previousLanguage = useRef(language);
  useEffect(() => {
    const from = previousLanguage.current;
    previousLanguage.current = language;
    if (!question || from === language || role === "observer") return;
    const current = code.toString();
    const starter = question.starterCode[language];
    if (starter !== undefined && (current.trim() === "" || current === question.starterCode[from])) {
      setStarterOffer(language);
    } else setStarterOffer(null);
  }, [language, question, code, role]);

  const run = useCallback(
    async (scope: TestRun["scope"]) => {
      setRunning(scope);
      setError(null);
      try {
        const result = await api.testRun.run.mutate({
          id: sessionId,
          scope,
          runBy: name,
          language,
          code: code.toString(),
        });
        if (scope === "public") setShared(result);
        else setPrivateRun(result);
      } catch (caught) {
        setError(errorMessage(caught));
      } finally {
        setRunning(null);
      }
    },
    [api, sessionId, name, language, code],
  );

  return (
    <section className="question-panel" aria-label="Question">
      {isInterviewer && <QuestionPicker api={api} sessionId={sessionId} name={name} onPicked={setQuestion} />}
      {question ? (
        <>
          <header className="question-head">
            <h2>{question.title}</h2>
            <span className={`badge difficulty-${question.difficulty}`}>{question.difficulty}</span>
          </header>
          <div className="question-prompt">
            <Markdown source={question.prompt} />
          </div>
          {starterOffer && (
            <div className="starter-offer" role="status">
              <button
                type="button"
                className="button small"
                onClick={() => {
                  const starter = question.starterCode[starterOffer];
                  if (starter !== undefined) replaceCode(code, starter);
                  setStarterOffer(null);
                }}
              >
                Insert the {languageLabel(starterOffer)} starter code
              </button>
            </div>
          )}
          {question.tests.length > 0 && (
            <details className="public-tests">
              <summary>{question.tests.length} public tests</summary>
              {question.tests.map((t) => (
                <div key={t.id} className="public-test small">
                  <strong>{t.name || t.id}</strong>
                  {t.seed !== undefined && (
                    <>
                      <span className="muted">Data</span>
                      <pre>{t.seed}</pre>
                    </>
                  )}
                  <pre>{t.stdin}</pre>→<pre>{t.expected}</pre>
                </div>
              ))}
            </details>
          )}
          <div className="test-actions">
            {canRun && (
              <button
                type="button"
                className="button"
                disabled={running !== null}
                onClick={() => void run("public")}
              >
                {running === "public" ? "Running tests…" : "Run tests"}
              </button>
            )}
            {isInterviewer && canRun && (
              <>
                <button
                  type="button"
                  className="button ghost"
                  disabled={running !== null}
                  onClick={() => void run("hidden")}
                >
                  {running === "hidden" ? "Running…" : "Run all tests (private)"}
                </button>
                <button
                  type="button"
                  className="button ghost"
                  disabled={running !== null}
                  onClick={() => void run("reference")}
                >
                  {running === "reference" ? "Running…" : "Run reference (private)"}
                </button>
              </>
            )}
          </div>
          {error && (
            <p className="error small" role="alert">
              {error}
            </p>
          )}
          {shared && <VerdictTable run={shared} />}
          {isInterviewer && privateRun && <VerdictTable run={privateRun} />}
        </>
      ) : (
        <p className="muted small">
          {isInterviewer ? "No question yet: pick one above, or interview without." : "No question yet."}
        </p>
      )}
      {isInterviewer && (
        <InterviewerNotes api={api} sessionId={sessionId} name={name} cursor={cursor} event={privateEvent} />
      )}
      {isInterviewer && (
        <ScorecardForm key={question?.id ?? "none"} api={api} sessionId={sessionId} name={name} />
      )}
    </section>
  );
}

function QuestionPicker({
  api,
  sessionId,
  name,
  onPicked,
}: {
  api: Api;
  sessionId: string;
  name: string;
  onPicked: (q: RoomQuestion | null) => void;
}) {
  const [query, setQuery] = useState("");
  const [items, setItems] = useState<Summary[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.question.list
        .query({ q: query || undefined, limit: 8 })
        .then((r) => current && setItems(r.items))
        .catch((e) => current && setError(errorMessage(e)));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  return (
    <div className="question-picker">
      <label htmlFor="question-search" className="panel-title">
        Question bank
      </label>
      <input
        id="question-search"
        type="search"
        placeholder="Search questions"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {error && <p className="error small">{error}</p>}
      <ul className="question-results">
        {items.map((item) => (
          <li key={item.id}>
            <span>{item.title}</span>
            <button
              type="button"
              className="button small"
              aria-label={`Use ${item.title}`}
              onClick={() =>
                api.sessionQuestion.set
                  .mutate({ id: sessionId, questionId: item.id, by: name })
                  .then((r) => onPicked(r.question))
                  .catch((e) => setError(errorMessage(e)))
              }
            >
              Use
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function InterviewerNotes({
  api,
  sessionId,
  name,
  cursor,
  event,
}: {
  api: Api;
  sessionId: string;
  name: string;
  cursor: () => number | null;
  event: InterviewerEvent | null;
}) {
  const [notes, setNotes] = useState<Note[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  // Another interviewer's paragraph appears as they add it.
  useEffect(() => {
    if (event?.type === "notes-changed") setNotes(event.paragraphs);
  }, [event]);

  useEffect(() => {
    api.notes.get
      .query({ id: sessionId })
      .then((r) => {
        setNotes(r.paragraphs);
        setLoaded(true);
      })
      .catch(() => {});
  }, [api, sessionId]);

  const add = () => {
    const text = draft.trim();
    if (!text) return;
    api.notes.add
      .mutate({ id: sessionId, text, cursor: cursor(), by: name })
      .then((r) => {
        setNotes(r.paragraphs);
        setDraft("");
      })
      .catch((e) => setError(errorMessage(e)));
  };

  return (
    <div className="interviewer-notes">
      <label htmlFor="note-draft" className="panel-title">
        Private notes
      </label>
      <ol className="notes-list" aria-busy={!loaded}>
        {notes.map((n) => (
          <li key={n.id}>
            <span className="muted small">{new Date(n.at).toLocaleTimeString()}</span> {n.text}
          </li>
        ))}
      </ol>
      <textarea
        id="note-draft"
        placeholder="Only interviewers see these notes"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            add();
          }
        }}
      />
      <button type="button" className="button small" onClick={add}>
        Add note
      </button>
      {error && <p className="error small">{error}</p>}
    </div>
  );
}
