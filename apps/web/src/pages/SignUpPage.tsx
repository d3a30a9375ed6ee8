import { useEffect } from "react";
import { followLink, paths } from "../router.ts";
import { AuthForm } from "../workspace/AuthForm.tsx";
import { identityChanged, useInstance, useMe } from "../workspace/identity.ts";
import { AlreadySignedIn, CardPage } from "../workspace/WorkspaceHeader.tsx";

export function SignUpPage() {
  const instance = useInstance();
  const me = useMe();
  const signedIn = me.data?.kind === "member" ? me.data.user : null;
  useEffect(() => {
    document.title = "Create an account · Pairpad";
  }, []);

  const policy = instance.data;
  // The first account is always allowed: it owns the server's workspace.
  const refusal =
    !policy || policy.firstAccount || policy.signup === "open"
      ? null
      : policy.signup === "invite"
        ? "Accounts on this server are by invitation. Open the invitation link a workspace admin gave you: you create your account there."
        : "Sign-up is closed on this server. Ask its administrator for an account.";

  return (
    <CardPage labelledBy="sign-up-title">
      <h1 id="sign-up-title">Create your account</h1>
      {signedIn ? (
        <AlreadySignedIn email={signedIn.email} />
      ) : instance.isPending ? (
        <p className="muted" aria-live="polite">
          Loading…
        </p>
      ) : refusal ? (
        <p className="notice" role="status">
          {refusal}
        </p>
      ) : (
        <>
          <p className="muted">
            {policy?.firstAccount
              ? "This server has no accounts yet: yours will own its workspace."
              : "You get a workspace of your own; invite your team from its settings."}
            {policy?.emailVerification && " We will email you a link to confirm your address."}
          </p>
          <AuthForm mode="sign-up" onDone={() => identityChanged(paths.home())} />
        </>
      )}
      <p className="auth-switch">
        Have an account?{" "}
        <a href={paths.signIn()} onClick={followLink}>
          Sign in
        </a>
      </p>
    </CardPage>
  );
}
