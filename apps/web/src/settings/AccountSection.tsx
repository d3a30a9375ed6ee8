import { useId, useState } from "react";
import { authClient, authErrorMessage } from "../auth.ts";
import { paths } from "../router.ts";
import type { Me } from "../trpc.ts";
import { identityChanged, roleLabels } from "../workspace/identity.ts";
import { Section } from "./Section.tsx";

/** Who is signed in, a password change (signing out other devices) and signing out. */
export function AccountSection({ me }: { me: Me }) {
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
      <PasswordForm />
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

function PasswordForm() {
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
  );
}
