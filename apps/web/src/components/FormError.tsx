import { errorMessage } from "../trpc.ts";

/** What went wrong, in words, announced at once to screen readers. */
export function FormError({ error }: { error: unknown }) {
  return (
    <p className="form-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
