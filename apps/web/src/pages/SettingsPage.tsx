import { useEffect } from "react";
import { AccountSection } from "../settings/AccountSection.tsx";
import { ApiKeysSection } from "../settings/ApiKeysSection.tsx";
import { InvitationsSection } from "../settings/InvitationsSection.tsx";
import { MembersSection } from "../settings/MembersSection.tsx";
import { WorkspaceSection } from "../settings/WorkspaceSection.tsx";
import { WorkspacesSection } from "../settings/WorkspacesSection.tsx";
import type { Me } from "../trpc.ts";
import { canManage } from "../workspace/identity.ts";
import { WorkspacePage } from "../workspace/WorkspaceHeader.tsx";

/** `/settings`: the account, the workspace's members, invitations and API keys. */
export function SettingsPage({ me }: { me: Me }) {
  useEffect(() => {
    document.title = "Settings · Pairpad";
  }, []);
  const admin = canManage(me.role);
  return (
    <WorkspacePage me={me} current="settings" className="settings">
      <div className="page-heading">
        <h1>Settings</h1>
      </div>
      <AccountSection me={me} />
      {me.organization && (
        <WorkspaceSection key={me.organization.id} me={me} organization={me.organization} admin={admin} />
      )}
      <WorkspacesSection />
      {me.organization && <MembersSection me={me} admin={admin} />}
      {me.organization && admin && <InvitationsSection />}
      {me.organization && admin && <ApiKeysSection />}
      {me.organization && !admin && (
        <p className="notice">Invitations and API keys are managed by the workspace's owners and admins.</p>
      )}
    </WorkspacePage>
  );
}
