import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { authClient } from "../auth.ts";
import { Brand } from "../components/Brand.tsx";
import { followLink, paths } from "../router.ts";
import { type Me, trpc } from "../trpc.ts";
import { identityChanged } from "./identity.ts";

/** The top bar of the workspace pages: the workspace's name and where to go. */
export function WorkspaceHeader({ me, current }: { me: Me; current: "dashboard" | "settings" }) {
  return (
    <header className="topbar workspace-topbar">
      <Brand />
      {me.organization && <WorkspaceSwitcher current={me.organization} />}
      <nav className="workspace-nav" aria-label="Workspace pages">
        <a
          href={paths.home()}
          onClick={followLink}
          aria-current={current === "dashboard" ? "page" : undefined}
        >
          Interviews
        </a>
        <a
          href={paths.settings()}
          onClick={followLink}
          aria-current={current === "settings" ? "page" : undefined}
        >
          Settings
        </a>
      </nav>
      {me.user && (
        <span className="workspace-user" title={me.user.email}>
          {me.user.name}
        </span>
      )}
    </header>
  );
}

/** The open workspace's name; a choice of workspace for an account in several. */
function WorkspaceSwitcher({ current }: { current: { id: string; name: string } }) {
  const id = useId();
  const workspaces = useQuery({ ...trpc.workspaces.list.queryOptions(), staleTime: 60_000 });
  const open = useMutation(
    trpc.workspaces.switch.mutationOptions({ onSuccess: () => identityChanged(paths.home()) }),
  );
  const list = workspaces.data?.workspaces ?? [];
  if (list.length < 2) return <span className="workspace-name">{current.name}</span>;
  return (
    <span className="workspace-name">
      <label htmlFor={id} className="sr-only">
        Workspace
      </label>
      <select
        id={id}
        className="workspace-select"
        value={current.id}
        disabled={open.isPending}
        onChange={(e) => open.mutate({ organizationId: e.target.value })}
      >
        {list.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A signed-in page of the workspace: the top bar, then `children` as its main content. */
export function WorkspacePage({
  me,
  current,
  className,
  children,
}: {
  me: Me;
  current: "dashboard" | "settings";
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="workspace">
      <WorkspaceHeader me={me} current={current} />
      <main className={className ? `workspace-main ${className}` : "workspace-main"}>{children}</main>
    </div>
  );
}

/** A centred card page (sign-in, sign-up, invitation) with the brand above. */
export function CardPage({ children, labelledBy }: { children: React.ReactNode; labelledBy: string }) {
  return (
    <div className="gone auth-page">
      <header className="topbar">
        <Brand />
      </header>
      <main className="gone-main">
        <section className="card auth-card" aria-labelledby={labelledBy}>
          {children}
        </section>
      </main>
    </div>
  );
}

/** On the sign-in and sign-up pages, for a browser that is signed in already. */
export function AlreadySignedIn({ email }: { email: string }) {
  return (
    <>
      <p className="notice" role="status">
        You are signed in as {email}.
      </p>
      <div className="gone-actions">
        <a className="button primary" href={paths.home()} onClick={followLink}>
          Open the dashboard
        </a>
        <button
          type="button"
          className="button ghost"
          onClick={async () => {
            await authClient.signOut();
            identityChanged(location.pathname + location.search);
          }}
        >
          Sign out
        </button>
      </div>
    </>
  );
}
