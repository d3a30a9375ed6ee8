import { useEffect, useState } from "react";
import { authClient } from "../auth.ts";
import { FormError } from "../components/FormError.tsx";
import { followLink, paths } from "../router.ts";
import { nextPath } from "../workspace/identity.ts";
import { CardPage } from "../workspace/WorkspaceHeader.tsx";

/** Why a link did not confirm the address, by better-auth's code (ours: TOKEN_USED). */
const refusals: Record<string, string> = {
  TOKEN_EXPIRED: "This link has expired. Sign in to have a new one sent to you.",
  TOKEN_USED: "This link was already used. If it confirmed your address, just sign in.",
  INVALID_TOKEN: "This link is not valid. Check that it was copied whole, or sign in to have a new one sent.",
  USER_NOT_FOUND: "No account has this address any more.",
};

type Outcome = { confirmed: true } | { confirmed: false; why: string };

/**
 * One answer per token for the page's life: a token works once, so a second run of the effect
 * (React's development double run) must not spend it again and read "already used".
 */
const outcomes = new Map<string, Promise<Outcome>>();

function confirm(token: string): Promise<Outcome> {
  let outcome = outcomes.get(token);
  if (!outcome) {
    outcome = authClient.verifyEmail({ query: { token } }).then(
      ({ error }): Outcome =>
        error
          ? {
              confirmed: false,
              why:
                refusals[error.code ?? ""] ??
                (error.status === 429
                  ? "Too many attempts. Wait a minute, then open the link again."
                  : "The address could not be confirmed. Try the link again in a moment."),
            }
          : { confirmed: true },
      (): Outcome => ({
        confirmed: false,
        why: "The server could not be reached. Try the link again in a moment.",
      }),
    );
    outcomes.set(token, outcome);
  }
  return outcome;
}

/** `/verify-email?token=…`: the link of a verification email. Confirms the address, then offers sign-in. */
export function VerifyEmailPage() {
  const [token] = useState(() => new URLSearchParams(location.search).get("token") ?? "");
  const [next] = useState(() => nextPath(""));
  const [outcome, setOutcome] = useState<Outcome | null>(
    token ? null : { confirmed: false, why: refusals.INVALID_TOKEN ?? "" },
  );

  useEffect(() => {
    document.title = "Confirm your email · Pairpad";
    if (!token) return;
    // The token leaves the address bar (and the history) once read.
    history.replaceState(
      null,
      "",
      next ? `${paths.verifyEmail()}?next=${encodeURIComponent(next)}` : paths.verifyEmail(),
    );
    let current = true;
    void confirm(token).then((result) => {
      if (current) setOutcome(result);
    });
    return () => {
      current = false;
    };
  }, [token, next]);

  const signIn = next ? `${paths.signIn()}?next=${encodeURIComponent(next)}` : paths.signIn();
  return (
    <CardPage labelledBy="verify-title">
      <h1 id="verify-title">
        {outcome === null
          ? "Confirming your address…"
          : outcome.confirmed
            ? "Address confirmed"
            : "Not confirmed"}
      </h1>
      {outcome === null ? (
        <p className="muted" aria-live="polite">
          One moment.
        </p>
      ) : outcome.confirmed ? (
        <p className="notice" role="status">
          Your email address is confirmed. Sign in to continue.
        </p>
      ) : (
        <FormError error={outcome.why} />
      )}
      {outcome !== null && (
        <a className="button primary wide" href={signIn} onClick={followLink}>
          Sign in
        </a>
      )}
    </CardPage>
  );
}
