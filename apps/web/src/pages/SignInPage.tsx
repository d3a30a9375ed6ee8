import { useEffect, useState } from "react";
import { followLink, paths } from "../router.ts";
import { AuthForm, SsoButton } from "../workspace/AuthForm.tsx";
import { identityChanged, nextPath, useInstance, useMe } from "../workspace/identity.ts";
import { AlreadySignedIn, CardPage } from "../workspace/WorkspaceHeader.tsx";

/** Why a single sign-on came back refused (`/signin?error=CODE`, set by the server). */
const ssoErrors: Record<string, string> = {
  SIGNUP_NEEDS_INVITATION:
    "Your single sign-on account has no account here yet, and this server takes new accounts by invitation only. Open the invitation link you were given.",
  SIGNUP_CLOSED: "Your single sign-on account has no account here yet, and sign-up is closed on this server.",
};

function ssoRefusal(): string | null {
  const code = new URLSearchParams(location.search).get("error");
  if (!code) return null;
  return ssoErrors[code] ?? `Single sign-on did not complete (${code.slice(0, 60)}). Try again.`;
}

export function SignInPage() {
  const instance = useInstance();
  const me = useMe();
  const signedIn = me.data?.kind === "member" ? me.data.user : null;
  const [refusal] = useState(ssoRefusal);
  useEffect(() => {
    document.title = "Sign in · Pairpad";
  }, []);
  const signupOffered = instance.data ? instance.data.signup === "open" || instance.data.firstAccount : false;
  return (
    <CardPage labelledBy="sign-in-title">
      <h1 id="sign-in-title">Sign in to your workspace</h1>
      <p className="muted">Interviews, replays, members and API keys of your team.</p>
      {refusal && (
        <p className="form-error" role="alert">
          {refusal}
        </p>
      )}
      {instance.data?.sso && (
        <>
          <SsoButton callbackPath={nextPath()} />
          <p className="auth-divider">
            <span>or with your email</span>
          </p>
        </>
      )}
      {signedIn ? (
        <AlreadySignedIn email={signedIn.email} />
      ) : (
        <AuthForm mode="sign-in" next={nextPath()} onDone={() => identityChanged(nextPath())} />
      )}
      <p className="auth-switch">
        {signupOffered ? (
          <>
            New here?{" "}
            <a href={paths.signUp()} onClick={followLink}>
              Create an account
            </a>
          </>
        ) : (
          "Joining a team? Open the invitation link an admin gave you."
        )}
      </p>
    </CardPage>
  );
}
