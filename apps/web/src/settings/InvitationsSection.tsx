import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { CopyField } from "../components/CopyField.tsx";
import { FormError } from "../components/FormError.tsx";
import { SingleFieldForm } from "../components/SingleFieldForm.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { formatWhen } from "../workspace/format.ts";
import { Row } from "./Row.tsx";
import { Section } from "./Section.tsx";

/** Invite links by email, and the pending ones: copied again or cancelled. */
export function InvitationsSection() {
  const id = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"interviewer" | "admin">("interviewer");
  const invitations = useQuery(trpc.workspace.invitations.queryOptions());
  const invalidate = () => queryClient.invalidateQueries(trpc.workspace.invitations.pathFilter());
  const invite = useMutation(
    trpc.workspace.invite.mutationOptions({
      onSuccess: () => setEmail(""),
      onSettled: invalidate,
    }),
  );
  const cancel = useMutation(trpc.workspace.cancelInvitation.mutationOptions({ onSettled: invalidate }));

  return (
    <Section id="invitations-title" title="Invitations">
      <p className="muted">
        Invite a colleague by email: they get the link by email when this server sends mail, and you can
        always give it to them yourself. They join when they sign in or sign up there with that address.
      </p>
      <SingleFieldForm
        label="Email"
        type="email"
        maxLength={254}
        value={email}
        onChange={setEmail}
        onSubmit={() => invite.mutate({ email: email.trim(), role })}
        submitLabel="Create invite link"
        pendingLabel="Inviting…"
        pending={invite.isPending}
        error={invite.error}
      >
        <div className="filter">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <option value="interviewer">Interviewer</option>
            <option value="admin">Admin</option>
          </select>
        </div>
      </SingleFieldForm>
      {invite.data && (
        <div className="fresh">
          {invite.data.mail === "sent" && (
            <p className="form-success" role="status">
              Emailed to {invite.data.email}.
            </p>
          )}
          {invite.data.mail === "failed" && (
            <p className="form-error" role="alert">
              The email to {invite.data.email} could not be sent: give them the link below.
            </p>
          )}
          <CopyField
            label="Invite link"
            value={invite.data.link}
            hint={`For ${invite.data.email}, as ${invite.data.role}. Valid until ${formatWhen(invite.data.expiresAt)}.`}
          />
        </div>
      )}
      {invitations.data && invitations.data.invitations.length > 0 && (
        <>
          <h3>Pending</h3>
          <ul className="rows" aria-label="Pending invitations">
            {invitations.data.invitations.map((invitation) => (
              <Row
                key={invitation.id}
                data-invitation={invitation.email}
                title={invitation.email}
                detail={`${invitation.role} · until ${formatWhen(invitation.expiresAt)}`}
              >
                <div className="row-actions">
                  <CopyButton text={invitation.link} label={`Copy the invite link for ${invitation.email}`} />
                  <button
                    type="button"
                    className="button small danger"
                    disabled={cancel.isPending}
                    onClick={() => cancel.mutate({ invitationId: invitation.id })}
                    aria-label={`Cancel the invitation of ${invitation.email}`}
                  >
                    Cancel
                  </button>
                </div>
              </Row>
            ))}
          </ul>
        </>
      )}
      {cancel.isError && <FormError error={cancel.error} />}
    </Section>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button small secondary"
      aria-label={label}
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? "Copied" : "Copy link"}
    </button>
  );
}
