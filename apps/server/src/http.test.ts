import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

for (const target of testDatabaseTargets()) {
  describe(`REST over HTTP (${target.name})`, () => {
    let server: RunningServer;
    const api = (path: string, init?: RequestInit) => fetch(`${server.url}/api${path}`, init);
    const create = async (body: unknown = { title: "Loop", language: "python" }) => {
      const response = await api("/sessions", { method: "POST", ...json(body) });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; interviewerToken: string; candidateUrl: string };
    };

    beforeAll(async () => {
      server = await startTestServer(target, { MAX_BODY_BYTES: 64 * 1024 });
    });
    afterAll(() => server.stop());

    test("health, readiness and metrics answer", async () => {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: "ready" });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain("pairpad_http_request_duration_seconds");
    });

    test("the session lifecycle over REST", async () => {
      const created = await create();
      expect(created.candidateUrl).toBe(`http://localhost:${server.port}/sessions/${created.id}`);
      const auth = { authorization: `Bearer ${created.interviewerToken}` };

      const got = await api(`/sessions/${created.id}`);
      expect(got.status).toBe(200);
      const text = await got.text();
      expect(text).not.toContain(created.interviewerToken);
      expect(JSON.parse(text)).toMatchObject({
        id: created.id,
        title: "Loop",
        language: "python",
        status: "active",
      });

      const patched = await api(`/sessions/${created.id}`, {
        method: "PATCH",
        ...json({ title: "Loop 2" }, auth),
      });
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ title: "Loop 2" });

      const saved = await api(`/sessions/${created.id}/code`, {
        method: "POST",
        ...json({ code: "print(2)", label: "v1" }),
      });
      expect(saved.status).toBe(200);
      const code = await (await api(`/sessions/${created.id}/code`)).json();
      expect(code).toEqual({ code: "", language: "python" });

      const history = (await (await api(`/sessions/${created.id}/history?limit=1`)).json()) as {
        items: Array<{ kind: string }>;
        nextCursor: number | null;
      };
      expect(history.items.map((i) => i.kind)).toEqual(["snapshot"]);
      expect(history.nextCursor).toBeNumber();
      const next = (await (
        await api(`/sessions/${created.id}/history?limit=1&cursor=${history.nextCursor}`)
      ).json()) as {
        items: Array<{ kind: string }>;
      };
      expect(next.items.map((i) => i.kind)).toEqual(["session"]);

      expect(await (await api(`/sessions/${created.id}/participants`)).json()).toEqual({ participants: [] });

      const deleted = await api(`/sessions/${created.id}`, { method: "DELETE", headers: auth });
      expect(deleted.status).toBe(200);
      expect((await api(`/sessions/${created.id}`)).status).toBe(404);
    });

    test("interviewer-only calls: 401 without a token, 403 with a wrong one", async () => {
      const created = await create();
      const none = await api(`/sessions/${created.id}`, { method: "PATCH", ...json({ title: "x" }) });
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ code: "UNAUTHORIZED" });
      const wrong = await api(`/sessions/${created.id}`, {
        method: "DELETE",
        headers: { authorization: "Bearer nope" },
      });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ code: "FORBIDDEN" });
      expect((await api(`/sessions/${created.id}`)).status).toBe(200);
    });

    test("validation errors are 400 and name the offending fields", async () => {
      const response = await api("/sessions", { method: "POST", ...json({ title: "", language: "cobol" }) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; message: string; fields: string[] };
      expect(body.code).toBe("BAD_REQUEST");
      expect(body.fields.sort()).toEqual(["language", "title"]);
      expect(body.message).toContain("language");
      expect(JSON.stringify(body)).not.toContain("    at "); // no stack traces
    });

    test("malformed JSON is 400, a wrong content type 415, an unknown id 404, a malformed id 400", async () => {
      const malformed = await api("/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"title": "unterminated',
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ code: "PARSE_ERROR" });
      const xml = await api("/sessions", {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: "<a/>",
      });
      expect(xml.status).toBe(415);
      const unknown = await api("/sessions/AAAAAAAAAAAAAAAAAAAAAA");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: "NOT_FOUND" });
      const bad = await api("/sessions/..%2F..%2Fetc");
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { fields: string[] }).fields).toEqual(["id"]);
      expect((await api("/no/such/route")).status).toBe(404);
    });

    test("a body over the limit is 413 before it is parsed, declared or streamed", async () => {
      const big = `{"title":"${"x".repeat(70 * 1024)}"}`;
      const declared = await api("/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: big,
      });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(8 * 1024)));
          controller.close();
        },
      });
      const streamed = await api("/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
      });
      expect(streamed.status).toBe(413);
      const trpc = await fetch(`${server.url}/trpc/session.create`, {
        method: "POST",
        ...json({ title: "x".repeat(70 * 1024) }),
      });
      expect(trpc.status).toBe(413);
      // The server is still fine afterwards.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    test("the OpenAPI document validates and documents the REST table", async () => {
      const document = (await (await api("/openapi.json")).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      await SwaggerParser.validate(structuredClone(document) as never);
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      );
      for (const expected of [
        "POST /sessions",
        "GET /sessions/{id}",
        "PATCH /sessions/{id}",
        "DELETE /sessions/{id}",
        "GET /sessions/{id}/code",
        "POST /sessions/{id}/code",
        "POST /execute",
        "GET /sessions/{id}/participants",
        "GET /sessions/{id}/history",
      ]) {
        expect(operations).toContain(expected);
      }
      const docs = await api("/docs");
      expect(docs.status).toBe(200);
      const html = await docs.text();
      expect(html).toContain("/api/docs/assets/swagger-ui-bundle.js");
      expect(html).not.toMatch(/https?:\/\/(cdn|unpkg)/);
      expect((await api("/docs/assets/swagger-ui-bundle.js")).status).toBe(200);
      expect((await api("/docs/assets/..%2F..%2Fpackage.json")).status).toBe(404);
    });

    test("20: every answer carries the security headers; the docs page has no inline script", async () => {
      const created = await create();
      for (const path of [
        "/healthz",
        "/api/sessions/AAAAAAAAAAAAAAAAAAAAAA",
        `/api/sessions/${created.id}`,
        "/api/docs",
      ]) {
        const response = await fetch(`${server.url}${path}`);
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        expect(response.headers.get("x-frame-options")).toBe("DENY");
        expect(response.headers.get("referrer-policy")).toBe("no-referrer");
        const policy = response.headers.get("content-security-policy") ?? "";
        expect(policy).toContain("frame-ancestors 'none'");
        expect(policy).toContain("script-src 'self'");
        expect(policy).not.toMatch(/script-src[^;]*unsafe/);
      }
      const docs = await (await api("/docs")).text();
      expect(docs).not.toMatch(/<script>(?!<\/script>)/);
      const init = await api("/docs/assets/init.js");
      expect(init.status).toBe(200);
      expect(await init.text()).toContain("SwaggerUIBundle");
    });

    test("the final code downloads as a file named for its language", async () => {
      const created = await create({ language: "python" });
      await server.deps.rooms.replaceCode(created.id, "print('done')\n", "candidate");
      const response = await fetch(`${server.url}/api/sessions/${created.id}/solution`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe('attachment; filename="solution.py"');
      expect(await response.text()).toBe("print('done')\n");
      expect((await fetch(`${server.url}/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/solution`)).status).toBe(404);
    });

    test("tRPC and REST serve the same procedures", async () => {
      const created = await create();
      const input = encodeURIComponent(JSON.stringify({ id: created.id }));
      const response = await fetch(`${server.url}/trpc/session.get?input=${input}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { data: { id: string; title: string } } };
      expect(body.result.data).toMatchObject({ id: created.id, title: "Loop" });
    });
  });
}
