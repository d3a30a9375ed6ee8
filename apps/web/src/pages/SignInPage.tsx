import { useEffect } from "react";
import { followLink, paths } from "../router.ts";
import { AuthForm, SsoButton } from "../workspace/AuthForm.tsx";
import { identityChanged, nextPath, useInstance } from "../workspace/identity.ts";
import { CardPage } from "../workspace/WorkspaceHeader.tsx";

export function SignInPage() {
  const instance = useInstance();
  useEffect(() => {
    document.title = "Sign in · Pairpad";
  }, []);
  const signupOffered = instance.data ? instance.data.signup === "open" || instance.data.firstAccount : false;
  return (
    <CardPage labelledBy="sign-in-title">
      <h1 id="sign-in-title">Sign in to your workspace</h1>
      <p className="muted">Interviews, replays, members and API keys of your team.</p>
      {instance.data?.sso && (
        <>
          <SsoButton callbackPath={nextPath()} />
          <p className="auth-divider">
            <span>or with your email</span>
          </p>
        </>
      )}
      <AuthForm mode="sign-in" onDone={() => identityChanged(nextPath())} />
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
