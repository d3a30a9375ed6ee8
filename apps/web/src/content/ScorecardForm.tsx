import { useEffect, useId, useState } from "react";
import { type Api, errorMessage, type RouterOutputs } from "../trpc.ts";
import "./content.css";

type Scorecard = RouterOutputs["scorecard"]["get"];
type Recommendation = NonNullable<Scorecard["recommendation"]>;
type Rating = Scorecard["ratings"][number];

export const recommendationLabels: Record<Recommendation, string> = {
  strong_no: "Strong no",
  no: "No",
  yes: "Yes",
  strong_yes: "Strong yes",
};

export const ratingLabels = ["", "1 · Poor", "2 · Mixed", "3 · Good", "4 · Excellent"] as const;

/**
 * The interviewer's scorecard: per rubric item of the session's question a 1–4 rating and a comment,
 * an overall recommendation and a summary. Only interviewers are given it; the server refuses anyone else.
 */
export function ScorecardForm({ api, sessionId, name }: { api: Api; sessionId: string; name: string }) {
  const id = useId();
  const [card, setCard] = useState<Scorecard | null>(null);
  const [ratings, setRatings] = useState<Record<string, Rating>>({});
  const [recommendation, setRecommendation] = useState<Recommendation | null>(null);
  const [summary, setSummary] = useState("");
  const [state, setState] = useState<"idle" | "saving" | "saved">("idle");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    api.scorecard.get
      .query({ id: sessionId }, { signal: abort.signal })
      .then((loaded) => {
        setCard(loaded);
        setRatings(Object.fromEntries(loaded.ratings.map((r) => [r.itemId, r])));
        setRecommendation(loaded.recommendation);
        setSummary(loaded.summary);
      })
      .catch((e) => {
        if (!abort.signal.aborted) setError(errorMessage(e));
      });
    return () => abort.abort();
  }, [api, sessionId]);

  if (!card) return error ? <p className="error small">{error}</p> : null;

  const edit = (itemId: string, change: Partial<Rating>) => {
    setState("idle");
    setRatings((current) => {
      const previous = current[itemId] ?? { itemId, rating: 0, comment: "" };
      return { ...current, [itemId]: { ...previous, ...change } };
    });
  };

  const save = async () => {
    setState("saving");
    setError(null);
    try {
      const saved = await api.scorecard.save.mutate({
        id: sessionId,
        by: name,
        // Items not rated yet are left out: a rating is 1–4 or absent.
        ratings: card.rubric.flatMap((item) => {
          const r = ratings[item.id];
          return r && r.rating >= 1 ? [{ itemId: item.id, rating: r.rating, comment: r.comment }] : [];
        }),
        recommendation,
        summary,
      });
      setCard(saved);
      setState("saved");
    } catch (e) {
      setError(errorMessage(e));
      setState("idle");
    }
  };

  return (
    <form
      className="scorecard"
      aria-label="Scorecard"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="panel-title">Scorecard</h3>
      {card.rubric.length === 0 && (
        <p className="muted small">The question has no rubric: give a recommendation and a summary.</p>
      )}
      {card.rubric.map((item) => {
        const current = ratings[item.id];
        return (
          <fieldset key={item.id} className="scorecard-item">
            <legend>{item.title}</legend>
            {item.description && <p className="muted small">{item.description}</p>}
            <div className="scorecard-ratings">
              {[1, 2, 3, 4].map((value) => (
                <label key={value} className="scorecard-rating">
                  <input
                    type="radio"
                    name={`${id}-${item.id}`}
                    value={value}
                    checked={current?.rating === value}
                    onChange={() => edit(item.id, { rating: value })}
                  />
                  {ratingLabels[value]}
                </label>
              ))}
            </div>
            <input
              type="text"
              className="scorecard-comment"
              aria-label={`Comment on ${item.title}`}
              placeholder="Comment"
              maxLength={5000}
              value={current?.comment ?? ""}
              onChange={(e) => edit(item.id, { comment: e.target.value })}
            />
          </fieldset>
        );
      })}
      <label className="scorecard-field">
        Recommendation
        <select
          value={recommendation ?? ""}
          onChange={(e) => {
            setState("idle");
            setRecommendation((e.target.value || null) as Recommendation | null);
          }}
        >
          <option value="">Not decided</option>
          {Object.entries(recommendationLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="scorecard-field">
        Summary
        <textarea
          value={summary}
          maxLength={20_000}
          onChange={(e) => {
            setState("idle");
            setSummary(e.target.value);
          }}
        />
      </label>
      <div className="scorecard-actions">
        <button type="submit" className="button small" disabled={state === "saving"}>
          {state === "saving" ? "Saving…" : "Save scorecard"}
        </button>
        <span className="muted small" role="status">
          {state === "saved" && "Saved"}
          {state !== "saved" &&
            card.updatedAt &&
            `Last saved ${new Date(card.updatedAt).toLocaleString()}${card.updatedBy ? ` by ${card.updatedBy}` : ""}`}
        </span>
      </div>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
