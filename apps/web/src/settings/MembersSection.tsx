import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { FormError } from "../components/FormError.tsx";
import { type Me, type Member, type MemberRole, queryClient, trpc } from "../trpc.ts";
import { roleLabels } from "../workspace/identity.ts";
import { Loaded } from "./Loaded.tsx";
import { Row } from "./Row.tsx";
import { Section } from "./Section.tsx";

/** The workspace's members; owners and admins change their roles or remove them. */
export function MembersSection({ me, admin }: { me: Me; admin: boolean }) {
  const members = useQuery(trpc.workspace.members.queryOptions());
  const invalidate = () => queryClient.invalidateQueries(trpc.workspace.members.pathFilter());
  const setRole = useMutation(trpc.workspace.setRole.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.workspace.removeMember.mutationOptions({ onSettled: invalidate }));
  const failure = setRole.error ?? remove.error;

  return (
    <Section id="members-title" title="Members">
      {!admin && <p className="muted">Only owners and admins change roles or remove members.</p>}
      <Loaded query={members}>
        {(data) => (
          <ul className="rows" aria-label="Members">
            {data.members.map((member) => (
              <MemberRow
                key={member.id}
                member={member}
                self={member.userId === me.user?.id}
                admin={admin}
                busy={setRole.isPending || remove.isPending}
                onRole={(role) => setRole.mutate({ memberId: member.id, role })}
                onRemove={() => {
                  if (confirm(`Remove ${member.name} from the workspace?`))
                    remove.mutate({ memberId: member.id });
                }}
              />
            ))}
          </ul>
        )}
      </Loaded>
      {failure && <FormError error={failure} />}
    </Section>
  );
}

function MemberRow(props: {
  member: Member;
  self: boolean;
  admin: boolean;
  busy: boolean;
  onRole: (role: MemberRole) => void;
  onRemove: () => void;
}) {
  const { member, self, admin } = props;
  const id = useId();
  return (
    <Row
      data-member={member.email}
      title={
        <>
          {member.name}
          {self && <span className="muted"> (you)</span>}
        </>
      }
      detail={member.email}
    >
      {admin && !self ? (
        <div className="row-actions">
          <label htmlFor={id} className="sr-only">
            Role of {member.name}
          </label>
          <select
            id={id}
            value={member.role}
            disabled={props.busy}
            onChange={(e) => props.onRole(e.target.value as MemberRole)}
          >
            {(Object.keys(roleLabels) as MemberRole[]).map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button small danger"
            disabled={props.busy}
            onClick={props.onRemove}
            aria-label={`Remove ${member.name}`}
          >
            Remove
          </button>
        </div>
      ) : (
        <span className="role-tag">{roleLabels[member.role]}</span>
      )}
    </Row>
  );
}
