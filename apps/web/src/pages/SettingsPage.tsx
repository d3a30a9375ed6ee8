import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { authClient, authErrorMessage } from "../auth.ts";
import { CopyField } from "../components/CopyField.tsx";
import { paths } from "../router.ts";
import { errorMessage, type Me, type Member, type MemberRole, queryClient, trpc } from "../trpc.ts";
import { formatWhen } from "../workspace/format.ts";
import { canManage, identityChanged, roleLabels } from "../workspace/identity.ts";
import { WorkspaceHeader } from "../workspace/WorkspaceHeader.tsx";

/** `/settings`: the account, the workspace's members, invitations and API keys. */
export function SettingsPage({ me }: { me: Me }) {
  useEffect(() => {
    document.title = "Settings · Pairpad";
  }, []);
  const admin = canManage(me.role);
  return (
    <div className="workspace">
      <WorkspaceHeader me={me} current="settings" />
      <main className="workspace-main settings">
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
      </main>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function AccountSection({ me }: { me: Me }) {
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function changePassword() {
    setBusy(true);
    setResult(null);
    const { error } = await authClient.changePassword({
      currentPassword: current,
      newPassword: next,
      revokeOtherSessions: true,
    });
    setBusy(false);
    if (error) {
      setResult({
        ok: false,
        message:
          error.status === 400 && /password/i.test(error.message ?? "")
            ? "The current password is not right."
            : authErrorMessage(error),
      });
      return;
    }
    setCurrent("");
    setNext("");
    setResult({ ok: true, message: "Password changed. Other devices were signed out." });
  }

  return (
    <Section id="account-title" title="Account">
      <dl className="facts">
        <div>
          <dt>Name</dt>
          <dd>{me.user?.name}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{me.user?.email}</dd>
        </div>
        <div>
          <dt>Workspace</dt>
          <dd>
            {me.organization
              ? `${me.organization.name} · ${me.role ? roleLabels[me.role] : "member"}`
              : "None yet"}
          </dd>
        </div>
      </dl>
      <form
        className="password-form"
        aria-labelledby={`${id}-title`}
        onSubmit={(e) => {
          e.preventDefault();
          void changePassword();
        }}
      >
        <h3 id={`${id}-title`}>Change password</h3>
        <div className="field-row">
          <div className="filter">
            <label htmlFor={`${id}-current`}>Current password</label>
            <input
              id={`${id}-current`}
              type="password"
              autoComplete="current-password"
              required
              maxLength={128}
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </div>
          <div className="filter">
            <label htmlFor={`${id}-new`}>New password</label>
            <input
              id={`${id}-new`}
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              maxLength={128}
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </div>
          <button type="submit" className="button secondary" disabled={busy}>
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
        {result && (
          <p className={result.ok ? "form-success" : "form-error"} role={result.ok ? "status" : "alert"}>
            {result.message}
          </p>
        )}
      </form>
      <div className="section-actions">
        <button
          type="button"
          className="button ghost"
          onClick={async () => {
            await authClient.signOut();
            identityChanged(paths.home());
          }}
        >
          Sign out
        </button>
      </div>
    </Section>
  );
}

/** The open workspace's name, renamed by its owners and admins. */
function WorkspaceSection({
  me,
  organization,
  admin,
}: {
  me: Me;
  organization: { id: string; name: string };
  admin: boolean;
}) {
  const id = useId();
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
        <form
          className="field-row"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ name });
          }}
        >
          <div className="filter grow">
            <label htmlFor={`${id}-name`}>Workspace name</label>
            <input
              id={`${id}-name`}
              type="text"
              required
              maxLength={100}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                rename.reset();
              }}
            />
          </div>
          <button
            type="submit"
            className="button primary"
            disabled={rename.isPending || name === organization.name}
          >
            {rename.isPending ? "Renaming…" : "Rename"}
          </button>
        </form>
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
      {rename.isError && (
        <p className="form-error" role="alert">
          {errorMessage(rename.error)}
        </p>
      )}
    </Section>
  );
}

/** The account's workspaces: open another, or create one of its own. */
function WorkspacesSection() {
  const id = useId();
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
  const failure = create.error ?? open.error;
  return (
    <Section id="workspaces-title" title="Your workspaces">
      {workspaces.isPending ? (
        <p className="muted">Loading…</p>
      ) : workspaces.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(workspaces.error)}
        </p>
      ) : (
        <ul className="rows" aria-label="Your workspaces">
          {workspaces.data.workspaces.map((workspace) => (
            <li className="row" key={workspace.id} data-workspace={workspace.name}>
              <div className="row-main">
                <span className="row-title">{workspace.name}</span>
                <span className="row-detail">{roleLabels[workspace.role]}</span>
              </div>
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
            </li>
          ))}
        </ul>
      )}
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name });
        }}
      >
        <div className="filter grow">
          <label htmlFor={`${id}-name`}>New workspace name</label>
          <input
            id={`${id}-name`}
            type="text"
            required
            maxLength={100}
            placeholder="e.g. Platform hiring"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button type="submit" className="button secondary" disabled={create.isPending || open.isPending}>
          {create.isPending ? "Creating…" : "Create workspace"}
        </button>
      </form>
      {failure && (
        <p className="form-error" role="alert">
          {errorMessage(failure)}
        </p>
      )}
    </Section>
  );
}

function MembersSection({ me, admin }: { me: Me; admin: boolean }) {
  const members = useQuery(trpc.workspace.members.queryOptions());
  const invalidate = () => queryClient.invalidateQueries(trpc.workspace.members.pathFilter());
  const setRole = useMutation(trpc.workspace.setRole.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.workspace.removeMember.mutationOptions({ onSettled: invalidate }));
  const failure = setRole.error ?? remove.error;

  return (
    <Section id="members-title" title="Members">
      {!admin && <p className="muted">Only owners and admins change roles or remove members.</p>}
      {members.isPending ? (
        <p className="muted">Loading…</p>
      ) : members.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(members.error)}
        </p>
      ) : (
        <ul className="rows" aria-label="Members">
          {members.data.members.map((member) => (
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
      {failure && (
        <p className="form-error" role="alert">
          {errorMessage(failure)}
        </p>
      )}
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
    <li className="row" data-member={member.email}>
      <div className="row-main">
        <span className="row-title">
          {member.name}
          {self && <span className="muted"> (you)</span>}
        </span>
        <span className="row-detail">{member.email}</span>
      </div>
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
    </li>
  );
}

function InvitationsSection() {
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
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate({ email: email.trim(), role });
        }}
      >
        <div className="filter grow">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="filter">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <option value="interviewer">Interviewer</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <button type="submit" className="button primary" disabled={invite.isPending}>
          {invite.isPending ? "Inviting…" : "Create invite link"}
        </button>
      </form>
      {invite.isError && (
        <p className="form-error" role="alert">
          {errorMessage(invite.error)}
        </p>
      )}
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
              <li className="row" key={invitation.id} data-invitation={invitation.email}>
                <div className="row-main">
                  <span className="row-title">{invitation.email}</span>
                  <span className="row-detail">
                    {invitation.role} · until {formatWhen(invitation.expiresAt)}
                  </span>
                </div>
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
              </li>
            ))}
          </ul>
        </>
      )}
      {cancel.isError && (
        <p className="form-error" role="alert">
          {errorMessage(cancel.error)}
        </p>
      )}
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

function ApiKeysSection() {
  const id = useId();
  const [name, setName] = useState("");
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter());
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({ onSuccess: () => setName(""), onSettled: invalidate }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSettled: invalidate }));

  return (
    <Section id="api-keys-title" title="API keys">
      <p className="muted">
        For the REST API and automation (an ATS integration): send it as{" "}
        <code>Authorization: Bearer &lt;key&gt;</code> or <code>x-api-key</code>. A key acts for the whole
        workspace. <a href="/api/docs">API documentation</a>
      </p>
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim() });
        }}
      >
        <div className="filter grow">
          <label htmlFor={`${id}-name`}>Key name</label>
          <input
            id={`${id}-name`}
            type="text"
            required
            maxLength={32}
            placeholder="e.g. Greenhouse sync"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create API key"}
        </button>
      </form>
      {create.isError && (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
      {create.data && (
        <div className="fresh" role="status">
          <CopyField
            label="New API key"
            value={create.data.key}
            hint="Copy it now: it is shown only once and stored hashed."
          />
          <button type="button" className="button small ghost fresh-done" onClick={() => create.reset()}>
            I have copied it
          </button>
        </div>
      )}
      {keys.isPending ? (
        <p className="muted">Loading…</p>
      ) : keys.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(keys.error)}
        </p>
      ) : keys.data.keys.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <ul className="rows" aria-label="API keys">
          {keys.data.keys.map((key) => (
            <li className="row" key={key.id} data-api-key={key.name ?? key.id}>
              <div className="row-main">
                <span className="row-title">{key.name ?? "Unnamed key"}</span>
                <span className="row-detail">
                  <code>{key.start ?? ""}…</code> · created {formatWhen(key.createdAt)} ·{" "}
                  {key.lastUsedAt ? `last used ${formatWhen(key.lastUsedAt)}` : "never used"}
                </span>
              </div>
              <div className="row-actions">
                <button
                  type="button"
                  className="button small danger"
                  disabled={revoke.isPending}
                  onClick={() => {
                    if (confirm(`Revoke “${key.name ?? "this key"}”? Requests with it are refused at once.`))
                      revoke.mutate({ keyId: key.id });
                  }}
                  aria-label={`Revoke ${key.name ?? "the key"}`}
                >
                  Revoke
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {revoke.isError && (
        <p className="form-error" role="alert">
          {errorMessage(revoke.error)}
        </p>
      )}
    </Section>
  );
}
