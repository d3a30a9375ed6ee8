import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { CopyField } from "../components/CopyField.tsx";
import { FormError } from "../components/FormError.tsx";
import { SingleFieldForm } from "../components/SingleFieldForm.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { formatWhen } from "../workspace/format.ts";
import { Loaded } from "./Loaded.tsx";
import { Row } from "./Row.tsx";
import { Section } from "./Section.tsx";

/** The workspace's API keys: a new one is shown once, any is revoked at once. */
export function ApiKeysSection() {
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
      <SingleFieldForm
        label="Key name"
        maxLength={32}
        placeholder="e.g. Greenhouse sync"
        value={name}
        onChange={setName}
        onSubmit={() => create.mutate({ name: name.trim() })}
        submitLabel="Create API key"
        pendingLabel="Creating…"
        pending={create.isPending}
        error={create.error}
      />
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
      <Loaded query={keys}>
        {(data) =>
          data.keys.length === 0 ? (
            <p className="muted">No API keys yet.</p>
          ) : (
            <ul className="rows" aria-label="API keys">
              {data.keys.map((key) => (
                <Row
                  key={key.id}
                  data-api-key={key.name ?? key.id}
                  title={key.name ?? "Unnamed key"}
                  detail={
                    <>
                      <code>{key.start ?? ""}…</code> · created {formatWhen(key.createdAt)} ·{" "}
                      {key.lastUsedAt ? `last used ${formatWhen(key.lastUsedAt)}` : "never used"}
                    </>
                  }
                >
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button small danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (
                          confirm(`Revoke “${key.name ?? "this key"}”? Requests with it are refused at once.`)
                        )
                          revoke.mutate({ keyId: key.id });
                      }}
                      aria-label={`Revoke ${key.name ?? "the key"}`}
                    >
                      Revoke
                    </button>
                  </div>
                </Row>
              ))}
            </ul>
          )
        }
      </Loaded>
      {revoke.isError && <FormError error={revoke.error} />}
    </Section>
  );
}
