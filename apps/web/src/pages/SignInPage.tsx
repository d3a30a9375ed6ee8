import { useEffect } from "react";
import { followLink, paths } from "../router.ts";
import { AuthForm } from "../workspace/AuthForm.tsx";
import { identityChanged, nextPath } from "../workspace/identity.ts";
import { CardPage } from "../workspace/WorkspaceHeader.tsx";

export function SignInPage() {
  useEffect(() => {
    document.title = "Sign in · Pairpad";
  }, []);
  return (
    <CardPage labelledBy="sign-in-title">
      <h1 id="sign-in-title">Sign in to your workspace</h1>
      <p className="muted">Interviews, replays, members and API keys of your team.</p>
      <AuthForm mode="sign-in" onDone={() => identityChanged(nextPath())} />
      <p className="auth-switch">
        New here?{" "}
        <a href={paths.signUp()} onClick={followLink}>
          Create an account
        </a>
      </p>
    </CardPage>
  );
}
