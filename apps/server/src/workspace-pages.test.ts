/** What the web client's invitation page reads before anyone signs in. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { signUp, startTestServer } from "./testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`an invitation seen from its link (${target.name})`, () => {
    let server: RunningServer;
    let owner = "";
    const get = async (path: string) => {
      const response = await fetch(`${server.url}/api${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      server = await startTestServer(target, { SIGNUP: "invite", SIGNIN_ATTEMPTS_PER_MINUTE: 1000 });
      owner = await signUp(server, { email: "owner@x.example", name: "Owner" });
    });
    afterAll(() => server.stop());

    test("an invitation's link shows its workspace, role and address until it is used", async () => {
      const created = (await (
        await fetch(`${server.url}/api/workspace/invitations`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: owner, origin: server.url },
          body: JSON.stringify({ email: "Newcomer@x.example", role: "admin" }),
        })
      ).json()) as { id: string };

      const shown = await get(`/workspace/invitations/${created.id}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({
        id: created.id,
        organization: { name: "Workspace" },
        email: "newcomer@x.example",
        role: "admin",
        status: "pending",
      });

      // Invited, the newcomer may sign up under the invite-only policy, and joins.
      const newcomer = await signUp(server, { email: "newcomer@x.example", name: "Newcomer" });
      const accepted = await fetch(`${server.url}/api/workspace/invitations/${created.id}/accept`, {
        method: "POST",
        headers: { cookie: newcomer, origin: server.url },
      });
      expect(accepted.status).toBe(200);
      expect((await get(`/workspace/invitations/${created.id}`)).body).toMatchObject({ status: "accepted" });

      expect((await get("/workspace/invitations/nosuchinvitation")).status).toBe(404);
      expect((await get("/workspace/invitations/bad%00id")).status).toBe(400);
    });
  });
}
