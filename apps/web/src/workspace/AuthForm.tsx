import { useId, useState } from "react";
import { authClient, authErrorMessage } from "../auth.ts";
import { FormError } from "../components/FormError.tsx";

export type AuthMode = "sign-in" | "sign-up";

/**
 * Email and password, through better-auth. A wrong password and an unknown email read the same:
 * the page never says which accounts exist. When the server verifies addresses, a sign-up ends on
 * "check your email" (a taken address reads the same), and a sign-in refused for an unconfirmed
 * address offers a new link.
 */
export function AuthForm({
  mode,
  email: initialEmail = "",
  next,
  onDone,
}: {
  mode: AuthMode;
  email?: string;
  /** Where the emailed link's page sends the user to sign in (e.g. back to an invitation). */
  next?: string;
  onDone: () => unknown;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The address a verification link went (or must go) to: the form gives way to what to do next. */
  const [mailed, setMailed] = useState<{ to: string; why: "signed-up" | "unconfirmed" } | null>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    const address = email.trim();
    if (mode === "sign-in") {
      const { error } = await authClient.signIn.email({ email: address, password });
      if (error) {
        setBusy(false);
        if (error.code === "EMAIL_NOT_VERIFIED") setMailed({ to: address, why: "unconfirmed" });
        else setError(error.status === 401 ? "Wrong email or password." : authErrorMessage(error));
        return;
      }
    } else {
      const { data, error } = await authClient.signUp.email({
        name: name.trim(),
        email: address,
        password,
        callbackURL: next,
      });
      if (error) {
        setBusy(false);
        setError(authErrorMessage(error));
        return;
      }
      // No session: the address must be confirmed first (the server verifies addresses).
      if (!data?.token) {
        setBusy(false);
        setMailed({ to: address, why: "signed-up" });
        return;
      }
    }
    try {
      await onDone();
    } finally {
      setBusy(false);
    }
  }

  if (mailed) return <CheckYourEmail {...mailed} next={next} onBack={() => setMailed(null)} />;

  return (
    <form
      className="auth-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {mode === "sign-up" && (
        <>
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            type="text"
            autoComplete="name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </>
      )}
      <label htmlFor={`${id}-email`}>Email</label>
      <input
        id={`${id}-email`}
        type="email"
        autoComplete={mode === "sign-in" ? "username" : "email"}
        required
        maxLength={254}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor={`${id}-password`}>Password</label>
      {mode === "sign-up" && (
        <p className="hint" id={`${id}-password-hint`}>
          At least 8 characters.
        </p>
      )}
      <input
        id={`${id}-password`}
        type="password"
        autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
        required
        minLength={mode === "sign-up" ? 8 : undefined}
        maxLength={128}
        aria-describedby={mode === "sign-up" ? `${id}-password-hint` : undefined}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error && <FormError error={error} />}
      <button type="submit" className="button primary wide" disabled={busy}>
        {mode === "sign-in" ? (busy ? "Signing in…" : "Sign in") : busy ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}

/** Single sign-on through the server's OpenID Connect provider (better-auth's generic OAuth, id `oidc`). */
export function SsoButton({ callbackPath = "/" }: { callbackPath?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="sso">
      <button
        type="button"
        className="button secondary wide"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const { error } = await authClient.signIn.social({ provider: "oidc", callbackURL: callbackPath });
          // On success the browser is on its way to the provider.
          if (error) {
            setBusy(false);
            setError(authErrorMessage(error));
          }
        }}
      >
        Sign in with SSO
      </button>
      {error && <FormError error={error} />}
    </div>
  );
}

/** What to do after a sign-up (or a sign-in) that waits for the address to be confirmed; a new link on request. */
function CheckYourEmail({
  to,
  why,
  next,
  onBack,
}: {
  to: string;
  why: "signed-up" | "unconfirmed";
  next?: string;
  /** Back to the form (another address, or signing in once confirmed). */
  onBack: () => void;
}) {
  const [resend, setResend] = useState<"idle" | "sending" | "sent" | { failed: string }>("idle");
  return (
    <div className="auth-form" role="status" aria-live="polite">
      {why === "signed-up" ? (
        <>
          <h2>Check your email</h2>
          <p>
            We sent a link to <strong>{to}</strong>. Open it to confirm your address, then sign in. The link
            works once, for 24 hours.
          </p>
        </>
      ) : (
        <>
          <h2>Confirm your email address</h2>
          <p>
            <strong>{to}</strong> is not confirmed yet. Open the link we emailed to it, then sign in again.
          </p>
        </>
      )}
      {resend === "sent" ? (
        <p className="notice">A new link is on its way to {to}.</p>
      ) : (
        <button
          type="button"
          className="button secondary wide"
          disabled={resend === "sending"}
          onClick={async () => {
            setResend("sending");
            const { error } = await authClient.sendVerificationEmail({ email: to, callbackURL: next });
            setResend(error ? { failed: authErrorMessage(error) } : "sent");
          }}
        >
          {resend === "sending" ? "Sending…" : "Email me a new link"}
        </button>
      )}
      {typeof resend === "object" && <FormError error={resend.failed} />}
      <button type="button" className="button ghost wide" onClick={onBack}>
        Back to the form
      </button>
    </div>
  );
}
