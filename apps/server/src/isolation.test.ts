import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appRouter } from "@pairpad/api";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { type RestRoute, restRoutes } from "./rest/routes.ts";
import { signUp, startTestServer } from "./testing.ts";

/**
 * Two workspaces on one server: every operation of the API, called with the other workspace's
 * credentials (a member's cookie, an API key) on the first workspace's things, over REST and tRPC.
 */
for (const target of testDatabaseTargets()) {
  describe(`two-workspace isolation on every operation (${target.name})`, () => {
    let server: RunningServer;
    // Workspace A's things, and B's credentials.
    const a = {
      cookie: "",
      key: "",
      keyId: "",
      sessionId: "",
      snapshotId: "",
      paragraphId: "",
      questionId: "",
      memberId: "",
      invitationId: "",
      organizationId: "",
    };
    const b = { cookie: "", key: "" };
    const secret = `A-secret-${crypto.randomUUID()}`;

    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const response = await fetch(`${server.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    const ok = async <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const { status, text } = await call(method, path, headers, body);
      if (status >= 300) throw new Error(`${method} ${path}: ${status} ${text}`);
      return JSON.parse(text) as T;
    };

    beforeAll(async () => {
      server = await startTestServer(target, { SIGNIN_ATTEMPTS_PER_MINUTE: 1000 });
      a.cookie = await signUp(server, { email: "alice@a.example", name: "Alice" });
      b.cookie = await signUp(server, { email: "bob@b.example", name: "Bob" });
      const asA = { cookie: a.cookie };
      ({ id: a.sessionId } = await ok<{ id: string }>("POST", "/sessions", asA, { title: secret }));
      ({ id: a.snapshotId } = await ok<{ id: string }>("POST", `/sessions/${a.sessionId}/code`, asA, {
        code: `print("${secret}")`,
      }));
      const notes = await ok<{ paragraphs: Array<{ id: string }> }>(
        "POST",
        `/sessions/${a.sessionId}/notes`,
        asA,
        {
          text: secret,
        },
      );
      a.paragraphId = notes.paragraphs[0]?.id ?? "";
      ({ id: a.questionId } = await ok<{ id: string }>("POST", "/questions", asA, {
        title: secret,
        prompt: "Reverse a list",
      }));
      ({ id: a.invitationId } = await ok<{ id: string }>("POST", "/workspace/invitations", asA, {
        email: "carol@a.example",
      }));
      ({ key: a.key, id: a.keyId } = await ok<{ key: string; id: string }>(
        "POST",
        "/workspace/api-keys",
        asA,
        {
          name: "a",
        },
      ));
      const { members } = await ok<{ members: Array<{ id: string }> }>("GET", "/workspace/members", asA);
      a.memberId = members[0]?.id ?? "";
      ({
        organization: { id: a.organizationId },
      } = await ok<{ organization: { id: string } }>("GET", "/workspace/me", asA));
      ({ key: b.key } = await ok<{ key: string }>(
        "POST",
        "/workspace/api-keys",
        { cookie: b.cookie },
        { name: "b" },
      ));
    });
    afterAll(() => server.stop());

    /** The path of a route with A's ids in it. */
    const pathOf = (route: RestRoute) => `/${idsOf(route)}`;
    const idsOf = (route: RestRoute) =>
      route.segments
        .map((s) => {
          if ("literal" in s) return s.literal;
          const id = route.operation.path.startsWith("/questions")
            ? a.questionId
            : (
                {
                  id: a.sessionId,
                  snapshotId: a.snapshotId,
                  paragraphId: a.paragraphId,
                  memberId: a.memberId,
                  invitationId: a.invitationId,
                  keyId: a.keyId,
                  organizationId: a.organizationId,
                } as Record<string, string>
              )[s.param];
          return id ?? "unknown";
        })
        .join("/");
    const routes = restRoutes(appRouter);
    // Bodies that pass validation, so that what answers is the access check.
    const validBodies: Record<string, unknown> = {
      setMemberRole: { role: "admin" },
      replaceQuestion: { title: "Taken over", prompt: "x" },
      updateSession: { title: "Taken over" },
      saveSnapshot: { code: "taken over" },
      addInterviewerNote: { text: "taken over" },
      editInterviewerNote: { text: "taken over" },
    };
    // What a link grants (candidates and observers hold them) is not the workspace's to refuse.
    const linkCapability = (route: RestRoute) =>
      ["none", "optional"].includes(route.operation.auth ?? "required");
    // Reads of B's own workspace: answered, and nothing of A's in them.
    const ownReads = routes.filter(
      (r) => r.operation.method === "GET" && !r.segments.some((s) => "param" in s) && !linkCapability(r),
    );
    // Everything else that names something of A's.
    const onA = routes.filter((r) => r.segments.some((s) => "param" in s) && !linkCapability(r));

    for (const [who, headers] of [
      ["cookie", () => ({ cookie: b.cookie })],
      ["API key", () => ({ "x-api-key": b.key })],
    ] as const) {
      test(`B's ${who} reads only B's workspace`, async () => {
        expect(ownReads.length).toBeGreaterThan(4);
        for (const route of ownReads) {
          const { status, text } = await call("GET", pathOf(route), headers());
          // An API key does not manage the workspace (403); whatever answers holds nothing of A's.
          expect({ op: route.operation.operationId, status: status === 403 ? 200 : status }).toEqual({
            op: route.operation.operationId,
            status: 200,
          });
          for (const id of [
            secret,
            a.sessionId,
            a.questionId,
            a.invitationId,
            a.keyId,
            a.organizationId,
            "alice@a.example",
          ]) {
            expect({ op: route.operation.operationId, leaks: text.includes(id) }).toEqual({
              op: route.operation.operationId,
              leaks: false,
            });
          }
        }
      });

      test(`B's ${who} reaches nothing of A's, over REST and tRPC`, async () => {
        expect(onA.length).toBeGreaterThan(20);
        for (const route of onA) {
          const path = pathOf(route);
          const body =
            route.operation.method === "GET" || route.operation.method === "DELETE"
              ? undefined
              : (validBodies[route.operation.operationId] ?? {});
          const rest = await call(route.operation.method, path, headers(), body);
          // The route exists: a refusal from the operation, not from the router.
          expect(rest.text).not.toContain("No such route");
          // A session's interviewer-only operations refuse outright; elsewhere A's ids are unknown in B.
          const expected = path.startsWith("/sessions/") ? [403] : [403, 404];
          expect({
            op: route.operation.operationId,
            rest: expected.includes(rest.status) ? "refused" : rest,
          }).toEqual({ op: route.operation.operationId, rest: "refused" });
          const input: Record<string, string> = {};
          for (const s of route.segments)
            if ("param" in s) input[s.param] = idsOf({ ...route, segments: [s] });
          const trpc =
            route.type === "query"
              ? await fetch(
                  `${server.url}/trpc/${route.procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
                  { headers: headers() },
                )
              : await fetch(`${server.url}/trpc/${route.procedure}`, {
                  method: "POST",
                  headers: { "content-type": "application/json", ...headers() },
                  body: JSON.stringify({
                    ...(validBodies[route.operation.operationId] as object | undefined),
                    ...input,
                  }),
                });
          // The same procedure over tRPC refuses the same way.
          expect({
            op: route.procedure,
            trpc: [403, 404].includes(trpc.status) ? "refused" : trpc.status,
          }).toEqual({
            op: route.procedure,
            trpc: "refused",
          });
        }
      });
    }

    test("B renames only B's own open workspace, and cannot open A's", async () => {
      expect((await call("PATCH", "/workspace", { cookie: b.cookie }, { name: "Taken over" })).status).toBe(
        200,
      );
      expect((await call("PATCH", "/workspace", { "x-api-key": b.key }, { name: "Taken over" })).status).toBe(
        403,
      );
      expect(
        (await call("POST", `/workspaces/${a.organizationId}/switch`, { cookie: b.cookie })).status,
      ).toBe(403);
      const { workspaces } = await ok<{ workspaces: Array<{ id: string; name: string }> }>(
        "GET",
        "/workspaces",
        { cookie: b.cookie },
      );
      expect(workspaces.map((w) => w.name)).toEqual(["Taken over"]);
    });

    test("after all that, A's workspace is as it was", async () => {
      const asA = { cookie: a.cookie };
      const session = await ok<{ title: string }>("GET", `/sessions/${a.sessionId}`, asA);
      expect(session.title).toBe(secret);
      const notes = await ok<{ paragraphs: Array<{ text: string }> }>(
        "GET",
        `/sessions/${a.sessionId}/notes`,
        asA,
      );
      expect(notes.paragraphs.map((p) => p.text)).toEqual([secret]);
      expect((await ok<{ title: string }>("GET", `/questions/${a.questionId}`, asA)).title).toBe(secret);
      const { members } = await ok<{ members: Array<{ email: string; role: string }> }>(
        "GET",
        "/workspace/members",
        asA,
      );
      expect(members.map((m) => `${m.email}:${m.role}`)).toEqual(["alice@a.example:owner"]);
      const invitations = await ok<{ invitations: Array<{ id: string }> }>(
        "GET",
        "/workspace/invitations",
        asA,
      );
      expect(invitations.invitations.map((i) => i.id)).toEqual([a.invitationId]);
      expect((await call("GET", "/interviews", { "x-api-key": a.key })).status).toBe(200);
      // B's rename (of B's own open workspace) and switch attempts left A's name and B's workspace alone.
      const me = await ok<{ organization: { id: string; name: string } }>("GET", "/workspace/me", asA);
      expect(me.organization).toEqual({ id: a.organizationId, name: "Workspace" });
      const bMe = await ok<{ organization: { id: string } }>("GET", "/workspace/me", { cookie: b.cookie });
      expect(bMe.organization.id).not.toBe(a.organizationId);
    });
  });
}
