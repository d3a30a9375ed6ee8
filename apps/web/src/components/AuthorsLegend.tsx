import type { Author } from "../playback/recording.ts";

interface Props {
  authors: Author[];
  /** Characters of the code at the current point written by each author (by `Author.key`). */
  written: Map<string | null, number>;
}

const roleLabels = { interviewer: "Interviewer", candidate: "Candidate", observer: "Observer" } as const;

/** Who wrote what: each author's colour in the editor, and their share of the code at this point. */
export function AuthorsLegend({ authors, written }: Props) {
  const unattributed = written.get(null) ?? 0;
  return (
    <section className="panel" aria-labelledby="authors-title">
      <h2 id="authors-title" className="panel-title">
        Authors
      </h2>
      {authors.length === 0 && <p className="muted small legend-empty">Nobody has written any code yet.</p>}
      <ul className="legend" aria-label="Authors and their colours">
        {authors.map((author) => (
          <li key={author.key} data-author={author.name}>
            <span className="swatch" style={{ backgroundColor: author.color }} aria-hidden="true" />
            <span className="legend-name">
              {author.name}
              {author.role && <span className="muted small"> · {roleLabels[author.role]}</span>}
            </span>
            <span className="muted small">{characters(written.get(author.key) ?? 0)}</span>
          </li>
        ))}
        {unattributed > 0 && (
          <li>
            <span className="swatch swatch-none" aria-hidden="true" />
            <span className="legend-name muted">Not attributed</span>
            <span className="muted small">{characters(unattributed)}</span>
          </li>
        )}
      </ul>
    </section>
  );
}

function characters(n: number) {
  return n === 1 ? "1 character" : `${n.toLocaleString()} characters`;
}
