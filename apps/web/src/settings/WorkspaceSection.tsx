import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { SingleFieldForm } from "../components/SingleFieldForm.tsx";
import { type Me, queryClient, trpc } from "../trpc.ts";
import { roleLabels } from "../workspace/identity.ts";
import { Section } from "./Section.tsx";

/** The open workspace's name, renamed by its owners and admins. */
export function WorkspaceSection({
  me,
  organization,
  admin,
}: {
  me: Me;
  organization: { id: string; name: string };
  admin: boolean;
}) {
  const [name, setName] = useState(organization.name);
  const rename = useMutation(
    trpc.workspaces.rename.mutationOptions({
      onSuccess: (renamed) => setName(renamed.name),
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.workspace.me.pathFilter()),
          queryClient.invalidateQueries(trpc.workspaces.list.pathFilter()),
        ]),
    }),
  );
  return (
    <Section id="workspace-title" title="This workspace">
      {admin ? (
        <SingleFieldForm
          label="Workspace name"
          maxLength={100}
          value={name}
          onChange={(value) => {
            setName(value);
            rename.reset();
          }}
          onSubmit={() => rename.mutate({ name })}
          submitLabel="Rename"
          pendingLabel="Renaming…"
          pending={rename.isPending}
          disabled={name === organization.name}
          error={rename.error}
        />
      ) : (
        <p className="muted">
          {organization.name}: only its owners and admins rename it (you are{" "}
          {me.role ? roleLabels[me.role].toLowerCase() : "a member"}).
        </p>
      )}
      {rename.isSuccess && (
        <p className="form-success" role="status">
          Renamed to “{rename.data.name}”.
        </p>
      )}
    </Section>
  );
}
