import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { authClient } from "../auth.ts";
import { followLink, paths } from "../router.ts";
import { errorCode, errorMessage, queryClient, trpc } from "../trpc.ts";
import { AuthForm, type AuthMode, SsoButton } from "../workspace/AuthForm.tsx";
import { identityChanged, roleLabels, useInstance, useMe } from "../workspace/identity.ts";
import { CardPage } from "../workspace/WorkspaceHeader.tsx";

const statusText = {
  accepted: "This invitation has been accepted already.",
  rejected: "This invitation was declined.",
  canceled: "This invitation was cancelled by the workspace.",
  expired: "This invitation has expired. Ask the workspace admin for a new link.",
} as const;

/** `/invite/:id`: which workspace and role, then sign in or up, then join and open the dashboard. */
export function InvitePage({ invitationId }: { invitationId: string }) {
  const invitation = useQuery(trpc.workspace.invitation.queryOptions({ invitationId }));
  const me = useMe();
  const instance = useInstance();
  const [mode, setMode] = useState<AuthMode | null>(null);
  const accept = useMutation(
    trpc.workspace.acceptInvitation.mutationOptions({ onSuccess: () => identityChanged(paths.home()) }),
  );

  useEffect(() => {
    document.title = invitation.data
      ? `Join ${invitation.data.organization.name} · Pairpad`
      : "Invitation · Pairpad";
  }, [invitation.data]);

  if (invitation.isPending || me.isPending) {
    return (
      <CardPage labelledBy="invite-title">
        <h1 id="invite-title">Invitation</h1>
        <p className="muted" aria-live="polite">
          Loading…
        </p>
      </CardPage>
    );
  }
  if (invitation.isError) {
    return (
      <CardPage labelledBy="invite-title">
        <h1 id="invite-title">Invitation not found</h1>
        <p className="muted">
          {errorCode(invitation.error) === "NOT_FOUND"
            ? "This link does not lead to an invitation. Check that it was copied whole."
            : errorMessage(invitation.error)}
        </p>
      </CardPage>
    );
  }

  const invite = invitation.data;
  const role = roleLabels[invite.role as keyof typeof roleLabels] ?? invite.role;
  const user = me.data?.kind === "member" ? me.data.user : null;
  const sameEmail = user && user.email.toLowerCase() === invite.email.toLowerCase();
  // With sign-up closed only existing accounts can join; otherwise the invitee may create one here.
  const canSignUp = instance.data?.signup !== "closed";
  const chosen: AuthMode = mode ?? (canSignUp ? "sign-up" : "sign-in");

  return (
    <CardPage labelledBy="invite-title">
      <p className="eyebrow">Invitation</p>
      <h1 id="invite-title">Join {invite.organization.name}</h1>
      <p className="muted">
        As <strong>{role}</strong>, for <strong>{invite.email}</strong>.
      </p>

      {invite.status !== "pending" ? (
        <p className="notice" role="status">
          {statusText[invite.status]}
        </p>
      ) : user && sameEmail ? (
        <>
          <button
            type="button"
            className="button primary wide"
            disabled={accept.isPending}
            onClick={() => accept.mutate({ invitationId })}
          >
            {accept.isPending ? "Joining…" : `Join ${invite.organization.name}`}
          </button>
          {accept.isError && (
            <p className="form-error" role="alert">
              {errorMessage(accept.error)}
            </p>
          )}
        </>
      ) : user ? (
        <>
          <p className="notice" role="status">
            You are signed in as {user.email}; this invitation is for {invite.email}.
          </p>
          <button
            type="button"
            className="button secondary wide"
            onClick={async () => {
              await authClient.signOut();
              queryClient.removeQueries();
              await me.refetch();
            }}
          >
            Sign out to continue
          </button>
        </>
      ) : (
        <>
          {instance.data?.sso && (
            <>
              {/* Back here after the provider, signed in: then "Join". */}
              <SsoButton callbackPath={paths.invite(invitationId)} />
              <p className="auth-divider">
                <span>or with your email</span>
              </p>
            </>
          )}
          <fieldset className="tabs">
            <legend className="sr-only">Account</legend>
            {canSignUp && (
              <button
                type="button"
                aria-pressed={chosen === "sign-up"}
                className="tab"
                onClick={() => setMode("sign-up")}
              >
                New account
              </button>
            )}
            <button
              type="button"
              aria-pressed={chosen === "sign-in"}
              className="tab"
              onClick={() => setMode("sign-in")}
            >
              Existing account
            </button>
          </fieldset>
          <AuthForm
            key={chosen}
            mode={chosen}
            email={invite.email}
            next={paths.invite(invitationId)}
            onDone={() => accept.mutateAsync({ invitationId }).catch(() => me.refetch())}
          />
          {accept.isError && (
            <p className="form-error" role="alert">
              Signed in, but joining failed: {errorMessage(accept.error)}
            </p>
          )}
        </>
      )}
      <p className="auth-switch">
        <a href={paths.home()} onClick={followLink}>
          Go to the start page
        </a>
      </p>
    </CardPage>
  );
}
