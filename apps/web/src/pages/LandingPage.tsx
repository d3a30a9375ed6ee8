import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Brand } from "../components/Brand.tsx";
import { CopyField } from "../components/CopyField.tsx";
import { languageIds, languageLabel } from "../editor/languages.ts";
import { loadName, MAX_NAME_LENGTH, normalizeName, saveName, saveToken } from "../identity.ts";
import { followLink, paths } from "../router.ts";
import { type CreatedSession, errorMessage, type LanguageId, trpc } from "../trpc.ts";

export function LandingPage() {
  const [title, setTitle] = useState("");
  const [language, setLanguage] = useState<LanguageId>("python");
  const [name, setName] = useState(() => loadName() ?? "");
  // Without it the static list below still works.
  const languages = useQuery({ ...trpc.languages.list.queryOptions(), staleTime: 5 * 60_000 });
  const create = useMutation(
    trpc.session.create.mutationOptions({
      onSuccess: (session) => {
        saveToken(session.id, session.interviewerToken);
        if (normalizeName(name)) saveName(name);
      },
    }),
  );
  const created = create.data;

  useEffect(() => {
    document.title = "Pairpad: collaborative coding interviews";
  }, []);

  const availability = (id: LanguageId) => languages.data?.languages.find((l) => l.id === id);

  return (
    <div className="landing">
      <header className="topbar">
        <Brand />
        <a className="button ghost small topbar-signin" href={paths.signIn()} onClick={followLink}>
          Sign in
        </a>
      </header>
      <main className="landing-main">
        <section className="hero" aria-labelledby="hero-title">
          <h1 id="hero-title">Coding interviews, together in real time</h1>
          <p className="lead">
            Share one editor with your candidate: live cursors, a shared language, code that runs in a sandbox
            with output everyone sees, and snapshots you can restore.
          </p>
          <ul className="features">
            <li>Live collaborative editor with named cursors</li>
            <li>JavaScript, TypeScript, Python, Java and C++</li>
            <li>Shared runs with stdin, output and timing</li>
            <li>Snapshots, end-of-interview lock, expiring links</li>
          </ul>
        </section>

        <section className="card create-card" aria-labelledby="create-title">
          {created ? (
            <CreatedLinks session={created} onAnother={() => create.reset()} />
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                create.mutate({ title: title.trim() || undefined, language });
              }}
            >
              <h2 id="create-title">Start an interview</h2>
              <label htmlFor="session-title">Title</label>
              <input
                id="session-title"
                type="text"
                maxLength={200}
                placeholder="Untitled interview"
                value={title}
                onChange={(e) => setTitle(e.target.value)}
              />
              <label htmlFor="session-language">Language</label>
              <select
                id="session-language"
                value={language}
                onChange={(e) => setLanguage(e.target.value as LanguageId)}
              >
                {languageIds.map((id) => {
                  const info = availability(id);
                  return (
                    <option key={id} value={id}>
                      {languageLabel(id)}
                      {info?.version ? ` ${info.version}` : ""}
                      {info && !info.available ? " (cannot run here)" : ""}
                    </option>
                  );
                })}
              </select>
              <label htmlFor="interviewer-name">Your name</label>
              <input
                id="interviewer-name"
                type="text"
                autoComplete="name"
                maxLength={MAX_NAME_LENGTH}
                placeholder="Shown to the candidate"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
              {create.isError && (
                <p className="form-error" role="alert">
                  {errorMessage(create.error)}
                </p>
              )}
              <button type="submit" className="button primary wide" disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create session"}
              </button>
            </form>
          )}
        </section>
      </main>
      <footer className="landing-footer">
        <span>Sessions expire after 24 hours unless extended.</span>
        <a href="/api/docs">API documentation</a>
      </footer>
    </div>
  );
}

function CreatedLinks({ session, onAnother }: { session: CreatedSession; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Keyboard and screen-reader users land on the result; on phones it scrolls into view.
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, []);
  return (
    <div className="created">
      <h2 id="create-title" ref={heading} tabIndex={-1}>
        “{session.title}” is ready
      </h2>
      <CopyField
        label="Interviewer link"
        value={session.interviewerUrl}
        hint="Keep this one private: it carries the interviewer controls."
      />
      <CopyField label="Candidate link" value={session.candidateUrl} hint="Send this to the candidate." />
      <CopyField
        label="Observer link"
        value={session.observerUrl}
        hint="Read-only, for shadowing colleagues."
      />
      <div className="created-actions">
        <a className="button primary" href={paths.session(session.id)} onClick={followLink}>
          Open the interview room
        </a>
        <button type="button" className="button ghost" onClick={onAnother}>
          Create another
        </button>
      </div>
    </div>
  );
}
