import { type ReactNode, useId } from "react";
import { FormError } from "./FormError.tsx";

/**
 * A one-line form: a required labelled input, a submit button that says while it works, and the
 * error of the last try below. `children` go between the input and the button (a role beside an email).
 */
export function SingleFieldForm(props: {
  label: string;
  type?: "text" | "email";
  maxLength: number;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Besides while pending: when there is nothing to submit, or another call is under way. */
  disabled?: boolean;
  error?: unknown;
  emphasis?: "primary" | "secondary";
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <>
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <div className="filter grow">
          <label htmlFor={id}>{props.label}</label>
          <input
            id={id}
            type={props.type ?? "text"}
            required
            maxLength={props.maxLength}
            placeholder={props.placeholder}
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
          />
        </div>
        {props.children}
        <button
          type="submit"
          className={`button ${props.emphasis ?? "primary"}`}
          disabled={props.pending || props.disabled}
        >
          {props.pending ? props.pendingLabel : props.submitLabel}
        </button>
      </form>
      {props.error ? <FormError error={props.error} /> : null}
    </>
  );
}
