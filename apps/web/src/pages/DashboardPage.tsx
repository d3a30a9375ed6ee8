import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { FormError } from "../components/FormError.tsx";
import { recommendationLabels } from "../content/ScorecardForm.tsx";
import { isLanguageId, languageIds, languageLabel } from "../editor/languages.ts";
import { loadName, saveName } from "../identity.ts";
import { followLink, navigate, paths } from "../router.ts";
import {
  errorMessage,
  type Interview,
  type InterviewStatus,
  type LanguageId,
  type Me,
  queryClient,
  trpc,
} from "../trpc.ts";
import { formatDuration, formatWhen } from "../workspace/format.ts";
import { WorkspacePage } from "../workspace/WorkspaceHeader.tsx";

const statuses: Array<{ value: InterviewStatus; label: string }> = [
  { value: "scheduled", label: "Scheduled" },
  { value: "live", label: "Live" },
  { value: "ended", label: "Ended" },
  { value: "expired", label: "Expired" },
];
const statusLabel = (status: InterviewStatus) => statuses.find((s) => s.value === status)?.label ?? status;

/** `value`, once it has stopped changing for `ms`: a search box queries when typing pauses. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** `/` when signed in: the workspace's interviews, newest first. */
export function DashboardPage({ me }: { me: Me }) {
  const [status, setStatus] = useState<InterviewStatus | "">("");
  const [interviewer, setInterviewer] = useState("");
  const [searchText, setSearchText] = useState("");
  const search = useSettled(searchText.trim(), 300);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    document.title = `Interviews · ${me.organization?.name ?? "Pairpad"}`;
    // The room asks for a display name; a member's is known.
    if (!loadName() && me.user) saveName(me.user.name);
  }, [me]);

  const members = useQuery(trpc.workspace.members.queryOptions());
  const interviews = useInfiniteQuery(
    trpc.interviews.list.infiniteQueryOptions(
      {
        status: status || undefined,
        interviewer: interviewer || undefined,
        search: search || undefined,
        limit: 20,
      },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = interviews.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(status || interviewer || search);

  if (!me.organization) {
    return (
      <WorkspacePage me={me} current="dashboard">
        <div className="card empty-state">
          <h1>You are not in a workspace yet</h1>
          <p className="muted">Open the invitation link a workspace admin gave you to join their team.</p>
        </div>
      </WorkspacePage>
    );
  }

  return (
    <WorkspacePage me={me} current="dashboard">
      <div className="page-heading">
        <h1>Interviews</h1>
        <button
          type="button"
          className="button primary"
          aria-expanded={creating}
          onClick={() => setCreating((c) => !c)}
        >
          New interview
        </button>
      </div>
      {creating && <NewInterview onCancel={() => setCreating(false)} />}

      <search className="filters" aria-label="Filter interviews">
        <div className="filter">
          <label htmlFor="interview-search">Search</label>
          <input
            id="interview-search"
            type="search"
            placeholder="Title or candidate"
            maxLength={200}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </div>
        <div className="filter">
          <label htmlFor="interview-status">Status</label>
          <select
            id="interview-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as InterviewStatus | "")}
          >
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="interview-interviewer">Interviewer</label>
          <select
            id="interview-interviewer"
            value={interviewer}
            onChange={(e) => setInterviewer(e.target.value)}
          >
            <option value="">Anyone</option>
            {members.data?.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      </search>

      {interviews.isPending ? (
        <p className="muted list-status" aria-live="polite">
          Loading interviews…
        </p>
      ) : interviews.isError ? (
        <div className="form-error" role="alert">
          Could not load the interviews: {errorMessage(interviews.error)}{" "}
          <button type="button" className="button small secondary" onClick={() => interviews.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <div className="empty-state card">
          <h2>{filtered ? "No interview matches" : "No interviews yet"}</h2>
          <p className="muted">
            {filtered
              ? "Change the filters or the search."
              : "Start one with “New interview”: you get the candidate's link in the room."}
          </p>
        </div>
      ) : (
        <>
          <table className="interviews">
            <thead>
              <tr>
                <th scope="col">Interview</th>
                <th scope="col">Candidate</th>
                <th scope="col">Status</th>
                <th scope="col">Interviewer</th>
                <th scope="col">When</th>
                <th scope="col">Duration</th>
                <th scope="col">
                  <span className="sr-only">Links</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((interview) => (
                <InterviewRow key={interview.id} interview={interview} />
              ))}
            </tbody>
          </table>
          {interviews.hasNextPage && (
            <div className="load-more">
              <button
                type="button"
                className="button secondary"
                disabled={interviews.isFetchingNextPage}
                onClick={() => interviews.fetchNextPage()}
              >
                {interviews.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            </div>
          )}
        </>
      )}
    </WorkspacePage>
  );
}

function InterviewRow({ interview }: { interview: Interview }) {
  // Deleting a record removes every row of it (code, replay, runs, notes) at once.
  const remove = useMutation(
    trpc.interviews.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.interviews.list.pathFilter()),
      onError: (error) => alert(`Could not delete “${interview.title}”: ${errorMessage(error)}`),
    }),
  );
  const language = isLanguageId(interview.language) ? languageLabel(interview.language) : interview.language;
  return (
    <tr data-interview={interview.id}>
      <th scope="row" className="interview-title">
        <a href={paths.session(interview.id)} onClick={followLink}>
          {interview.title}
        </a>
        <span className="interview-language">{language}</span>
      </th>
      <td data-label="Candidate">
        {interview.candidates.length ? interview.candidates.join(", ") : <span className="muted">—</span>}
      </td>
      <td data-label="Status">
        <span>
          <span className={`badge badge-${interview.status}`}>{statusLabel(interview.status)}</span>
          {interview.recommendation && (
            <span className={`verdict verdict-${interview.recommendation}`}>
              {recommendationLabels[interview.recommendation]}
            </span>
          )}
        </span>
      </td>
      <td data-label="Interviewer">{interview.createdBy?.name ?? <span className="muted">API</span>}</td>
      <td data-label="When">
        <time dateTime={interview.startedAt ?? interview.createdAt}>
          {formatWhen(interview.startedAt ?? interview.createdAt)}
        </time>
      </td>
      <td data-label="Duration">{formatDuration(interview.durationMs)}</td>
      <td className="interview-links">
        <a
          className="button small secondary"
          href={paths.session(interview.id)}
          onClick={followLink}
          aria-label={`Open the room of ${interview.title}`}
        >
          Open
        </a>
        <a
          className="button small ghost"
          href={paths.playback(interview.id)}
          onClick={followLink}
          aria-label={`Replay ${interview.title}`}
        >
          Replay
        </a>
        <a
          className="button small ghost"
          href={paths.report(interview.id)}
          onClick={followLink}
          aria-label={`Report of ${interview.title}`}
        >
          Report
        </a>
        <a
          className="button small ghost"
          href={new URL(interview.links.export, location.origin).pathname}
          download={`${interview.id}.json`}
          aria-label={`Export ${interview.title}`}
        >
          Export
        </a>
        <button
          type="button"
          className="button small danger"
          disabled={remove.isPending}
          aria-label={`Delete ${interview.title}`}
          onClick={() => {
            if (confirm(`Delete “${interview.title}” and its whole record (code, replay, runs, notes)?`))
              remove.mutate({ id: interview.id });
          }}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Title and language, then the new interview opens (as its interviewer, by the session cookie). */
function NewInterview({ onCancel }: { onCancel: () => void }) {
  const id = useId();
  const [title, setTitle] = useState("");
  const [language, setLanguage] = useState<LanguageId>("python");
  const create = useMutation(
    trpc.session.create.mutationOptions({
      onSuccess: async (session) => {
        await queryClient.invalidateQueries(trpc.interviews.list.pathFilter());
        navigate(paths.session(session.id));
      },
    }),
  );
  return (
    <form
      className="card new-interview"
      aria-label="New interview"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ title: title.trim() || undefined, language });
      }}
    >
      <div className="filter grow">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          type="text"
          maxLength={200}
          placeholder="Untitled interview"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-language`}>Language</label>
        <select
          id={`${id}-language`}
          value={language}
          onChange={(e) => setLanguage(e.target.value as LanguageId)}
        >
          {languageIds.map((l) => (
            <option key={l} value={l}>
              {languageLabel(l)}
            </option>
          ))}
        </select>
      </div>
      <div className="new-interview-actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create and open"}
        </button>
        <button type="button" className="button ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {create.isError && <FormError error={create.error} />}
    </form>
  );
}
