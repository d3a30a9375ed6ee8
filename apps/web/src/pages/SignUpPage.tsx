import { useEffect } from "react";
import { followLink, paths } from "../router.ts";
import { AuthForm } from "../workspace/AuthForm.tsx";
import { identityChanged } from "../workspace/identity.ts";
import { CardPage } from "../workspace/WorkspaceHeader.tsx";

export function SignUpPage() {
  useEffect(() => {
    document.title = "Create an account · Pairpad";
  }, []);
  return (
    <CardPage labelledBy="sign-up-title">
      <h1 id="sign-up-title">Create your account</h1>
      <p className="muted">
        You get a workspace of your own (the server's first account owns its workspace); invite your team from
        its settings. Invited? Open the invitation link instead.
      </p>
      <AuthForm mode="sign-up" onDone={() => identityChanged(paths.home())} />
      <p className="auth-switch">
        Have an account?{" "}
        <a href={paths.signIn()} onClick={followLink}>
          Sign in
        </a>
      </p>
    </CardPage>
  );
}
