import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_WORKSPACES_PER_ACCOUNT } from "@pairpad/api/auth/auth";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { signUp, startTestServer } from "./testing.ts";

type Workspace = { id: string; name: string; role: string; active: boolean };

/** An account's workspaces: create, switch, rename; names validated; roles and membership enforced. */
for (const target of testDatabaseTargets()) {
  describe(`creating, switching and renaming workspaces (${target.name})`, () => {
    let server: RunningServer;
    let alice = ""; // owner of her first workspace
    let bob = ""; // another workspace's owner

    const call = async (method: string, path: string, cookie: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json", origin: server.url, cookie },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const ok = async <T>(method: string, path: string, cookie: string, body?: unknown) => {
      const { status, body: answer } = await call(method, path, cookie, body);
      if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(answer)}`);
      return answer as T;
    };
    const list = async (cookie: string) =>
      (await ok<{ workspaces: Workspace[] }>("GET", "/workspaces", cookie)).workspaces;
    const open = async (cookie: string) =>
      (await ok<{ organization: { id: string; name: string } | null; role: string }>(
        "GET",
        "/workspace/me",
        cookie,
      )) as { organization: { id: string; name: string } | null; role: string };

    beforeAll(async () => {
      server = await startTestServer(target, { SIGNIN_ATTEMPTS_PER_MINUTE: 1000 });
      alice = await signUp(server, { email: "alice@a.example", name: "Alice" });
      bob = await signUp(server, { email: "bob@b.example", name: "Bob" });
    });
    afterAll(() => server.stop());

    test("a signed-in user creates a workspace and opens it; switching back shows the first one's interviews", async () => {
      const first = await open(alice);
      const session = await ok<{ id: string }>("POST", "/sessions", alice, { title: "In the first" });

      const created = await call("POST", "/workspaces", alice, { name: "  Platform hiring  " });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: "Platform hiring", role: "owner", active: false });
      const second = created.body.id as string;
      // Creating leaves the open workspace alone; opening the new one is a switch.
      expect((await open(alice)).organization).toEqual(first.organization);
      expect(await ok<Workspace>("POST", `/workspaces/${second}/switch`, alice)).toMatchObject({
        id: second,
        active: true,
      });
      expect((await open(alice)).organization).toEqual({ id: second, name: "Platform hiring" });
      expect((await open(alice)).role).toBe("owner");
      // The new workspace is empty; the first one's interview is not shown there.
      expect((await ok<{ items: unknown[] }>("GET", "/interviews", alice)).items).toEqual([]);
      expect(
        (await list(alice)).map((w) => ({ id: w.id, name: w.name, role: w.role, active: w.active })),
      ).toEqual([
        {
          id: first.organization?.id ?? "",
          name: first.organization?.name ?? "",
          role: "owner",
          active: false,
        },
        { id: second, name: "Platform hiring", role: "owner", active: true },
      ]);

      const back = await ok<Workspace>("POST", `/workspaces/${first.organization?.id}/switch`, alice);
      expect(back).toMatchObject({ id: first.organization?.id, active: true, role: "owner" });
      const items = (await ok<{ items: Array<{ id: string }> }>("GET", "/interviews", alice)).items;
      expect(items.map((i) => i.id)).toEqual([session.id]);
      // Bob's list is his own.
      expect((await list(bob)).map((w) => w.name)).toEqual(["Bob's workspace"]);
    });

    test("an owner renames the open workspace; names are trimmed and checked, the field named", async () => {
      const renamed = await ok<Workspace>("PATCH", "/workspace", alice, { name: " Acme Recruiting " });
      expect(renamed.name).toBe("Acme Recruiting");
      expect((await open(alice)).organization?.name).toBe("Acme Recruiting");
      // What the invitation page shows too.
      const { id } = await ok<{ id: string }>("POST", "/workspace/invitations", alice, {
        email: "carol@a.example",
      });
      expect(
        (await ok<{ organization: { name: string } }>("GET", `/workspace/invitations/${id}`, ""))
          .organization,
      ).toEqual({ name: "Acme Recruiting" });

      for (const name of ["", "   ", "x".repeat(101), "nul\u0000inside", "lone \ud800 surrogate"]) {
        for (const [method, path] of [
          ["PATCH", "/workspace"],
          ["POST", "/workspaces"],
        ] as const) {
          const refused = await call(method, path, alice, { name });
          expect({ name, path, status: refused.status, fields: refused.body.fields }).toEqual({
            name,
            path,
            status: 400,
            fields: ["name"],
          });
        }
      }
      expect((await call("PATCH", "/workspace", alice, { name: "x".repeat(100) })).status).toBe(200);
      expect((await call("PATCH", "/workspace", alice, { name: "Acme Recruiting" })).status).toBe(200);
      // better-auth's own endpoint applies the same rule, rather than a 500 from the database.
      const direct = await fetch(`${server.url}/api/auth/organization/update`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, cookie: alice },
        body: JSON.stringify({ data: { name: "nul\u0000inside" } }),
      });
      expect(direct.status).toBe(400);
      expect((await open(alice)).organization?.name).toBe("Acme Recruiting");
    });

    test("an interviewer may not rename (403); nobody renames or switches into a workspace they are not in", async () => {
      const { organization } = await open(alice);
      const aId = organization?.id ?? "";
      const { id: invitationId } = await ok<{ id: string }>("POST", "/workspace/invitations", alice, {
        email: "dave@a.example",
        role: "interviewer",
      });
      const dave = await signUp(server, { email: "dave@a.example", name: "Dave" });
      await ok("POST", `/workspace/invitations/${invitationId}/accept`, dave);
      await ok("POST", `/workspaces/${aId}/switch`, dave);
      expect((await open(dave)).role).toBe("interviewer");
      expect((await call("PATCH", "/workspace", dave, { name: "Dave's now" })).status).toBe(403);

      // Bob cannot open A, by our route or by better-auth's own; his open workspace stays his.
      const bobs = (await open(bob)).organization;
      expect((await call("POST", `/workspaces/${aId}/switch`, bob)).status).toBe(403);
      const direct = await fetch(`${server.url}/api/auth/organization/set-active`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, cookie: bob },
        body: JSON.stringify({ organizationId: aId }),
      });
      expect(direct.status).toBe(403);
      expect((await open(bob)).organization).toEqual(bobs);
      // Renaming acts on his own open workspace only; better-auth's endpoint refuses A by id.
      const directRename = await fetch(`${server.url}/api/auth/organization/update`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, cookie: bob },
        body: JSON.stringify({ organizationId: aId, data: { name: "Taken over" } }),
      });
      expect(directRename.status).toBeGreaterThanOrEqual(400);
      expect((await call("POST", "/workspaces/not-an-id/switch", bob)).status).toBe(403);
      expect((await open(alice)).organization?.name).toBe("Acme Recruiting");
      // Creating through better-auth's endpoint is closed: only our validated procedure creates. A name
      // with NUL is refused before it (400, naming the field).
      const directCreate = (name: string) =>
        fetch(`${server.url}/api/auth/organization/create`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url, cookie: bob },
          body: JSON.stringify({ name, slug: "x" }),
        });
      expect((await directCreate("Bob's second")).status).toBe(403);
      const withNul = await directCreate("nul\u0000inside");
      expect(withNul.status).toBe(400);
      expect(((await withNul.json()) as { fields?: string[] }).fields).toEqual(["name"]);
      // An anonymous caller is asked to sign in.
      expect((await call("GET", "/workspaces", "")).status).toBe(401);
      expect((await call("POST", "/workspaces", "", { name: "Mine" })).status).toBe(401);
    });

    test("one account may not create workspaces without end", async () => {
      const erin = await signUp(server, { email: "erin@e.example", name: "Erin" });
      const held = (await list(erin)).length;
      for (let i = held; i < MAX_WORKSPACES_PER_ACCOUNT; i++) {
        expect((await call("POST", "/workspaces", erin, { name: `Team ${i}` })).status).toBe(201);
      }
      const refused = await call("POST", "/workspaces", erin, { name: "One too many" });
      expect(refused.status).toBe(403);
      expect(String(refused.body.message)).toMatch(/maximum/i);
      expect(await list(erin)).toHaveLength(MAX_WORKSPACES_PER_ACCOUNT);
    });
  });
}
