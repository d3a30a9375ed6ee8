import { useId, useState } from "react";
import { authClient, authErrorMessage } from "../auth.ts";

export type AuthMode = "sign-in" | "sign-up";

/**
 * Email and password, through better-auth. A wrong password and an unknown email read the same:
 * the page never says which accounts exist.
 */
export function AuthForm({
  mode,
  email: initialEmail = "",
  onDone,
}: {
  mode: AuthMode;
  email?: string;
  onDone: () => unknown;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    const { error } =
      mode === "sign-in"
        ? await authClient.signIn.email({ email: email.trim(), password })
        : await authClient.signUp.email({ name: name.trim(), email: email.trim(), password });
    if (error) {
      setBusy(false);
      setError(
        mode === "sign-in" && error.status === 401 ? "Wrong email or password." : authErrorMessage(error),
      );
      return;
    }
    try {
      await onDone();
    } finally {
      setBusy(false);
    }
  }

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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
