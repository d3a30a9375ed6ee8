import { Brand } from "../components/Brand.tsx";
import { followLink, paths } from "../router.ts";

export function NotFoundPage() {
  return (
    <div className="gone">
      <header className="topbar">
        <Brand />
      </header>
      <main className="gone-main">
        <div className="card gone-card">
          <h1>Page not found</h1>
          <p>There is nothing at this address.</p>
          <div className="gone-actions">
            <a className="button primary" href={paths.home()} onClick={followLink}>
              Go to the start page
            </a>
          </div>
        </div>
      </main>
    </div>
  );
}
