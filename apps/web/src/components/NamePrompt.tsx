import { useEffect, useRef, useState } from "react";
import { MAX_NAME_LENGTH, normalizeName } from "../identity.ts";

/** Asks for the display name others will see on this participant's cursor. */
export function NamePrompt({
  initial,
  context,
  onSubmit,
  onCancel,
}: {
  initial?: string;
  context?: string;
  onSubmit: (name: string) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial ?? "");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const value = normalizeName(name);

  return (
    <div className="overlay">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="name-prompt-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (value) onSubmit(value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape" && onCancel) onCancel();
        }}
      >
        <h2 id="name-prompt-title">What should others call you?</h2>
        {context && <p className="muted">{context}</p>}
        <label htmlFor="display-name">Display name</label>
        <input
          id="display-name"
          ref={input}
          type="text"
          autoComplete="name"
          maxLength={MAX_NAME_LENGTH}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Ada Lovelace"
        />
        <p className="hint">Shown next to your cursor. Remembered in this browser.</p>
        <div className="dialog-actions">
          {onCancel && (
            <button type="button" className="button ghost" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button primary" disabled={!value}>
            Continue
          </button>
        </div>
      </form>
    </div>
  );
}
