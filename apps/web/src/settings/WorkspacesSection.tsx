import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SingleFieldForm } from "../components/SingleFieldForm.tsx";
import { paths } from "../router.ts";
import { trpc } from "../trpc.ts";
import { identityChanged, roleLabels } from "../workspace/identity.ts";
import { Loaded } from "./Loaded.tsx";
import { Row } from "./Row.tsx";
import { Section } from "./Section.tsx";

/** The account's workspaces: open another, or create one of its own. */
export function WorkspacesSection() {
  const [name, setName] = useState("");
  const workspaces = useQuery(trpc.workspaces.list.queryOptions());
  const open = useMutation(trpc.workspaces.switch.mutationOptions());
  const openThere = (organizationId: string, to: string) =>
    open.mutate({ organizationId }, { onSuccess: () => identityChanged(to) });
  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      // A new workspace is opened at once, on its (empty) dashboard.
      onSuccess: (created) => openThere(created.id, paths.home()),
    }),
  );
  return (
    <Section id="workspaces-title" title="Your workspaces">
      <Loaded query={workspaces}>
        {(data) => (
          <ul className="rows" aria-label="Your workspaces">
            {data.workspaces.map((workspace) => (
              <Row
                key={workspace.id}
                data-workspace={workspace.name}
                title={workspace.name}
                detail={roleLabels[workspace.role]}
              >
                <div className="row-actions">
                  {workspace.active ? (
                    <span className="role-tag">Current</span>
                  ) : (
                    <button
                      type="button"
                      className="button small secondary"
                      disabled={open.isPending}
                      onClick={() => openThere(workspace.id, paths.settings())}
                      aria-label={`Open ${workspace.name}`}
                    >
                      Open
                    </button>
                  )}
                </div>
              </Row>
            ))}
          </ul>
        )}
      </Loaded>
      <SingleFieldForm
        label="New workspace name"
        maxLength={100}
        placeholder="e.g. Platform hiring"
        value={name}
        onChange={setName}
        onSubmit={() => create.mutate({ name })}
        submitLabel="Create workspace"
        pendingLabel="Creating…"
        pending={create.isPending}
        disabled={open.isPending}
        error={create.error ?? open.error}
        emphasis="secondary"
      />
    </Section>
  );
}
