/**
 * The OpenAPI document describes the API well enough to build a client from it: openapi-typescript
 * generates the types (kept current: `api-types.gen.ts`), openapi-fetch runs a session's whole
 * lifecycle with them, and every answer on the way is checked against the document.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { testDatabaseTargets } from "@pairpad/db/testing";
import createClient, { type Middleware } from "openapi-fetch";
import type { RunningServer } from "../main.ts";
import { startTestServer } from "../testing.ts";
import type { paths } from "./api-types.gen.ts";
import { OpenApiCheck } from "./openapi-check.ts";

type Json = Record<string, unknown>;
type Operation = {
  operationId: string;
  description?: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; description?: string }>;
  responses: Record<string, Json>;
};

test("the generated client types are current (regenerate: bun apps/server/src/rest/generate-types.ts)", async () => {
  const generator = Bun.spawn(["bun", join(import.meta.dir, "generate-types.ts"), "--stdout"], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const fresh = await new Response(generator.stdout).text();
  expect(await generator.exited).toBe(0);
  expect(fresh).toBe(readFileSync(join(import.meta.dir, "api-types.gen.ts"), "utf8"));
}, 60_000);

for (const target of testDatabaseTargets()) {
  describe(`the OpenAPI document and a client generated from it (${target.name})`, () => {
    let server: RunningServer;
    let document: Json;
    let check: OpenApiCheck;
    const problems: string[] = [];
    /** Every answer the client receives is checked against the document. */
    const conformance: Middleware = {
      async onResponse({ request, response, schemaPath }) {
        const text = await response.clone().text();
        problems.push(...check.problems(request.method, schemaPath, response.status, response.headers, text));
        return response;
      },
    };

    beforeAll(async () => {
      server = await startTestServer(target);
      document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Json;
      check = new OpenApiCheck(document);
    });
    afterAll(() => server.stop());

    test("9: the document validates and says what the server does", async () => {
      await SwaggerParser.validate(structuredClone(document) as never);
      expect(document.servers).toEqual([{ url: "/api", description: "This server" }]);
      const operations = check.operations();
      const ids = operations.map(({ operation }) => (operation as Operation).operationId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const { method, path, operation } of operations) {
        const op = operation as Operation;
        const where = `${method} ${path}`;
        expect(`${where}: ${op.operationId}`).toMatch(
          /: (create|get|update|replace|set|add|edit|delete|list|save|restore|run|export|import)[A-Z][A-Za-z]*$/,
        );
        expect(`${where}: ${op.description ?? ""}`.length).toBeGreaterThan(where.length + 10);
        for (const parameter of op.parameters ?? []) {
          expect(`${where} ${parameter.name}: ${parameter.description ?? "(none)"}`).not.toContain("(none)");
        }
        expect(op.security).toBeArray();
        const statuses = Object.keys(op.responses);
        for (const status of ["431", "500", "503"]) expect(statuses).toContain(status);
        if (
          op.security.some((s) => "interviewerToken" in s) &&
          !op.security.some((s) => Object.keys(s).length === 0)
        ) {
          expect(statuses).toEqual(expect.arrayContaining(["401", "403"]));
        }
        if (method !== "GET" && method !== "DELETE")
          expect(statuses).toEqual(expect.arrayContaining(["413", "415"]));
      }
      const byId = Object.fromEntries(
        operations.map(({ method, path, operation }) => [
          (operation as Operation).operationId,
          { method, path, op: operation as Operation },
        ]),
      );
      // A session's interviewer: its token, or its workspace (an API key, a member's cookie).
      const workspace: Array<Record<string, string[]>> = [
        { apiKey: [] },
        { apiKeyHeader: [] },
        { memberSession: [] },
      ];
      // Anyone creates, unless the instance policy needs a workspace caller (then 401/403).
      expect(byId.createSession?.op.security).toEqual([...workspace, {}]);
      expect(Object.keys(byId.createSession?.op.responses ?? {})).toEqual(
        expect.arrayContaining(["201", "401", "403", "429"]),
      );
      expect(byId.getInstance?.op.security).toEqual([]);
      expect(byId.getSession?.op.security).toEqual([{ interviewerToken: [] }, ...workspace, {}]);
      expect(byId.updateSession?.op.security).toEqual([{ interviewerToken: [] }, ...workspace]);
      expect(byId.listInterviews?.op.security).toEqual(workspace);
      expect(byId.createApiKey?.op.security).toEqual([{ memberSession: [] }]);
      expect(byId.saveSnapshot?.path).toBe("/sessions/{id}/code");
      const create = document.paths as Record<
        string,
        Record<string, { requestBody?: { required?: boolean } }>
      >;
      expect(create["/sessions"]?.post?.requestBody?.required).toBe(false);
      const info = JSON.stringify(document.info);
      for (const phrase of ["256 KiB", "NUL", "trimmed", "x-request-id", "Retry-After"]) {
        expect(JSON.stringify(document)).toContain(phrase);
      }
      expect(info).toContain("Bearer");
      expect(JSON.stringify(create["/sessions/{id}"])).toContain("not with `ttlHours`");
      const responses = (document.components as { responses: Record<string, { headers?: Json }> }).responses;
      expect(Object.keys(responses.Error429?.headers ?? {})).toEqual(["x-request-id", "retry-after"]);
      expect(Object.keys(responses.Error503?.headers ?? {})).toEqual(["x-request-id", "retry-after"]);
    });

    test("a client generated from the document runs the whole lifecycle", async () => {
      const baseUrl = `${server.url}/api`;
      const anonymous = createClient<paths>({ baseUrl });
      anonymous.use(conformance);

      const created = await anonymous.POST("/sessions", {
        body: { title: "Generated client", language: "python" },
      });
      expect(created.response.status).toBe(201);
      if (!created.data) throw new Error("no session");
      const { id, interviewerToken } = created.data;
      const path = { id };

      const interviewer = createClient<paths>({
        baseUrl,
        headers: { authorization: `Bearer ${interviewerToken}` },
      });
      interviewer.use(conformance);
      expect((await interviewer.GET("/sessions/{id}", { params: { path } })).data?.isInterviewer).toBe(true);
      expect((await anonymous.GET("/sessions/{id}", { params: { path } })).data?.isInterviewer).toBe(false);

      const refused = await anonymous.PATCH("/sessions/{id}", { params: { path }, body: { title: "x" } });
      expect(refused.error?.code).toBe("UNAUTHORIZED");
      const updated = await interviewer.PATCH("/sessions/{id}", {
        params: { path },
        body: { title: "Renamed", ttlHours: 2 },
      });
      expect(updated.data?.title).toBe("Renamed");

      const saved = await anonymous.POST("/sessions/{id}/code", {
        params: { path },
        body: { code: "print(42)\n", label: "v1", author: "Ada" },
      });
      expect(saved.data?.label).toBe("v1");
      const snapshotId = saved.data?.id ?? "";
      expect(
        (await anonymous.GET("/sessions/{id}/snapshots", { params: { path } })).data?.snapshots,
      ).toHaveLength(1);
      const restored = await interviewer.POST("/sessions/{id}/snapshots/{snapshotId}/restore", {
        params: { path: { id, snapshotId } },
      });
      expect(restored.data?.code).toBe("print(42)\n");
      expect((await anonymous.GET("/sessions/{id}/code", { params: { path } })).data?.code).toBe(
        "print(42)\n",
      );

      const languages = await anonymous.GET("/languages");
      const python = languages.data?.languages.find((l) => l.id === "python");
      const run = await anonymous.POST("/execute", {
        body: { language: "python", code: "print(input())", stdin: "hi", sessionId: id, runBy: "Ada" },
      });
      if (python?.available) expect(run.data?.stdout).toBe("hi\n");
      else expect(run.response.status).toBe(503);

      const history = await anonymous.GET("/sessions/{id}/history", {
        params: { path, query: { limit: 2 } },
      });
      expect(history.data?.items).toHaveLength(2);
      const next = await anonymous.GET("/sessions/{id}/history", {
        params: { path, query: { cursor: history.data?.nextCursor ?? undefined, kind: "session" } },
      });
      expect(next.data?.items.every((item) => item.kind === "session")).toBe(true);
      expect(
        (await anonymous.GET("/sessions/{id}/participants", { params: { path } })).data?.participants,
      ).toEqual([]);
      expect(
        (await interviewer.GET("/sessions/{id}/playback", { params: { path, query: { limit: 10 } } })).data
          ?.sessionId,
      ).toBe(id);
      const exported = await interviewer.GET("/sessions/{id}/export", { params: { path } });
      expect(exported.data?.snapshots).toHaveLength(1);
      if (python?.available) expect(exported.data?.runs[0]?.stdout).toBe("hi\n");
      expect((await anonymous.GET("/sessions/{id}/export/code", { params: { path } })).data?.filename).toBe(
        "solution.py",
      );

      expect((await interviewer.DELETE("/sessions/{id}", { params: { path } })).data?.deleted).toBe(true);
      const gone = await anonymous.GET("/sessions/{id}", { params: { path } });
      expect(gone.response.status).toBe(404);
      expect(gone.error?.code).toBe("NOT_FOUND");
      expect(problems).toEqual([]);
    }, 60_000);
  });
}
