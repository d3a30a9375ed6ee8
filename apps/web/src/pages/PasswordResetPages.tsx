import { useEffect, useId, useState } from "react";
import { authClient, authErrorMessage } from "../auth.ts";
import { FormError } from "../components/FormError.tsx";
import { followLink, paths } from "../router.ts";
import { CardPage } from "../workspace/WorkspaceHeader.tsx";

/** `/forgot-password`: asks for a reset link; the answer never says whether the address has an account. */
export function ForgotPasswordPage() {
  const id = useId();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Forgot password · Pairpad";
  }, []);

  async function submit() {
    setBusy(true);
    setError(null);
    const address = email.trim();
    const { error } = await authClient.requestPasswordReset({ email: address });
    setBusy(false);
    if (error) setError(authErrorMessage(error));
    else setSentTo(address);
  }

  return (
    <CardPage labelledBy="forgot-title">
      <h1 id="forgot-title">{sentTo ? "Check your email" : "Forgot your password?"}</h1>
      {sentTo ? (
        <p className="notice" role="status">
          If an account exists for <strong>{sentTo}</strong>, we sent it a link to set a new password. The
          link works once, for one hour.
        </p>
      ) : (
        <form
          className="auth-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p className="muted">We will email you a link to set a new password.</p>
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="username"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          {error && <FormError error={error} />}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? "Sending…" : "Email me a link"}
          </button>
        </form>
      )}
      <p className="auth-switch">
        <a href={paths.signIn()} onClick={followLink}>
          Back to sign in
        </a>
      </p>
    </CardPage>
  );
}

const invalidLink =
  "This link does not work any more: it was already used, it expired (links work for one hour), or it was not copied whole. Ask for a new one.";

/** `/reset-password?token=…`: the link of a reset email. Sets a new password, then offers sign-in. */
export function ResetPasswordPage() {
  const id = useId();
  const [token] = useState(() => new URLSearchParams(location.search).get("token") ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(token ? null : invalidLink);

  useEffect(() => {
    document.title = "Set a new password · Pairpad";
    // The token leaves the address bar (and the history) once read; it stays in this page's state.
    if (token) history.replaceState(null, "", paths.resetPassword());
  }, [token]);

  async function submit() {
    setBusy(true);
    setError(null);
    const { error } = await authClient.resetPassword({ newPassword: password, token });
    setBusy(false);
    if (!error) setDone(true);
    else if (error.code === "INVALID_TOKEN") setError(invalidLink);
    else setError(authErrorMessage(error));
  }

  return (
    <CardPage labelledBy="reset-title">
      <h1 id="reset-title">{done ? "Password changed" : "Set a new password"}</h1>
      {done ? (
        <>
          <p className="notice" role="status">
            Your new password is set, your address is confirmed, and every other session of the account is
            signed out. Sign in with the new password.
          </p>
          <a className="button primary wide" href={paths.signIn()} onClick={followLink}>
            Sign in
          </a>
        </>
      ) : (
        <form
          className="auth-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label htmlFor={`${id}-password`}>New password</label>
          <p className="hint" id={`${id}-password-hint`}>
            At least 8 characters.
          </p>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={128}
            aria-describedby={`${id}-password-hint`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error && <FormError error={error} />}
          <button type="submit" className="button primary wide" disabled={busy || !token}>
            {busy ? "Saving…" : "Set new password"}
          </button>
          {error === invalidLink && (
            <a className="button secondary wide" href={paths.forgotPassword()} onClick={followLink}>
              Email me a new link
            </a>
          )}
        </form>
      )}
    </CardPage>
  );
}
