import { Brand } from "../components/Brand.tsx";
import { followLink, paths } from "../router.ts";
import type { Me } from "../trpc.ts";

/** The top bar of the workspace pages: the workspace's name and where to go. */
export function WorkspaceHeader({ me, current }: { me: Me; current: "dashboard" | "settings" }) {
  return (
    <header className="topbar workspace-topbar">
      <Brand />
      {me.organization && <span className="workspace-name">{me.organization.name}</span>}
      <nav className="workspace-nav" aria-label="Workspace">
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
