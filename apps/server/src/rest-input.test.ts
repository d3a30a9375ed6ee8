/**
 * Issue 10, findings 1–7 and the REST/tRPC parity: hostile input over real HTTP is refused with a
 * 400/415 naming the field, and a refused or failed mutation leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appRouter } from "@pairpad/api";
import { MAX_STDIN_BYTES } from "@pairpad/api/router/execute";
import { codeSnapshots, historyEntries, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq, sql } from "drizzle-orm";
import type { ErrorBody } from "./errors.ts";
import type { RunningServer } from "./main.ts";
import { isPlainObject } from "./rest/input.ts";
import { restRoutes } from "./rest/routes.ts";
import { signUp, startTestServer } from "./testing.ts";

/**
 * One bad input, given to an operation over REST and to its procedure over tRPC. `rest` is the body
 * (JSON text) or, for reads and deletes, the query string; `trpc` is the procedure's input where it
 * is not simply that body (a query string's values as the procedure would see them); `params`
 * replaces path parameters (encoded).
 */
interface ParityCase {
  operation: string;
  rest: string;
  trpc?: Record<string, unknown>;
  params?: Record<string, string>;
  as?: "token" | "member" | "key";
}

const PARITY_CASES: ParityCase[] = [
  { operation: "createSession", rest: '{"title":""}' },
  { operation: "createSession", rest: '{"title":"a\\u0000b"}' },
  { operation: "createSession", rest: '{"ttlHours":true}' },
  { operation: "createSession", rest: '{"extra":1}' },
  { operation: "createSession", rest: "null" },
  { operation: "createSession", rest: "[]" },
  { operation: "createSession", rest: "{" },
  { operation: "updateSession", rest: '{"title":"a\\u0000b"}' },
  { operation: "updateSession", rest: '{"title":"\\ud800"}' },
  { operation: "updateSession", rest: '{"title":5}' },
  { operation: "updateSession", rest: '{"language":"klingon"}' },
  { operation: "updateSession", rest: "{}" },
  { operation: "updateSession", rest: "[]" },
  { operation: "updateSession", rest: '"x"' },
  { operation: "updateSession", rest: '{"title":' },
  { operation: "saveSnapshot", rest: '{"code":"a\\u0000b"}' },
  { operation: "saveSnapshot", rest: '{"label":"\\udfff"}' },
  { operation: "saveSnapshot", rest: '{"code":5}' },
  { operation: "saveSnapshot", rest: "null" },
  { operation: "runCode", rest: '{"language":"python","code":"print(1)","args":["ok","a\\u0000b"]}' },
  { operation: "runCode", rest: '{"language":"python","code":"print(1)","stdin":"\\u0000"}' },
  { operation: "runCode", rest: '{"language":5,"code":"print(1)"}' },
  { operation: "runCode", rest: "true" },
  {
    operation: "runCode",
    rest: JSON.stringify({ language: "python", code: "", stdin: "x".repeat(MAX_STDIN_BYTES + 1) }),
  },
  { operation: "listHistory", rest: "cursor=0x10", trpc: { cursor: "0x10" } },
  { operation: "listHistory", rest: "cursor=1e3", trpc: { cursor: "1e3" } },
  { operation: "listHistory", rest: "limit=%201", trpc: { limit: " 1" } },
  { operation: "listHistory", rest: "limit=1&limit=2", trpc: { limit: ["1", "2"] } },
  { operation: "listHistory", rest: "kind=nope", trpc: { kind: "nope" } },
  { operation: "getPlayback", rest: "limit=0", trpc: { limit: 0 } },
  { operation: "deleteSession", rest: "", params: { id: "%00" } },
  { operation: "createApiKey", rest: '{"name":"a\\u0000b"}', as: "member" },
  { operation: "createApiKey", rest: '{"name":" "}', as: "member" },
  { operation: "setMemberRole", rest: '{"role":"god"}', as: "member" },
  { operation: "createInvitation", rest: '{"email":"not-an-address"}', as: "member" },
  { operation: "updateWorkspace", rest: '{"name":"a\\u0000b"}', as: "member" },
  { operation: "updateWorkspace", rest: '{"name":"  "}', as: "member" },
  { operation: "createWorkspace", rest: '{"name":"\\ud800"}', as: "member" },
  { operation: "deleteMember", rest: "", params: { memberId: "%00" }, as: "member" },
  { operation: "listInterviews", rest: "limit=0x10", trpc: { limit: "0x10" }, as: "key" },
  { operation: "listInterviews", rest: "search=a%00b", trpc: { search: "a\u0000b" }, as: "key" },
];

for (const target of testDatabaseTargets()) {
  describe(`REST input hardening (${target.name})`, () => {
    let server: RunningServer;
    let id = "";
    let token = "";
    const api = (path: string, init?: RequestInit) => fetch(`${server.url}/api${path}`, init);
    const send = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
      api(path, { method, headers: { "content-type": "application/json", ...headers }, body });
    const auth = () => ({ authorization: `Bearer ${token}` });
    const db = () => server.deps.db;
    const counts = async () => ({
      sessions: await db().$count(sessions),
      history: await db().$count(historyEntries),
      snapshots: await db().$count(codeSnapshots),
    });
    const sessionState = async () => {
      const [row] = await db().select().from(sessions).where(eq(sessions.id, id));
      const history = await db().select().from(historyEntries).where(eq(historyEntries.sessionId, id));
      return { row, history };
    };
    async function refused(response: Response, status: number, fields?: string[]) {
      const body = (await response.json()) as ErrorBody;
      expect({ status: response.status, fields: body.fields }).toEqual({ status, fields });
      expect(body.requestId).toBe(response.headers.get("x-request-id") ?? "missing");
      return body;
    }

    beforeAll(async () => {
      server = await startTestServer(target);
      const created = (await (await send("POST", "/sessions", '{"title":"Loop"}')).json()) as {
        id: string;
        interviewerToken: string;
      };
      id = created.id;
      token = created.interviewerToken;
    });
    afterAll(() => server.stop());

    test("1: query parameters named like Object properties are ignored, never a 500", async () => {
      for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
        for (const path of [`/sessions/${id}`, `/sessions/${id}/code`, `/sessions/${id}/history`]) {
          const response = await api(`${path}?${name}=x`);
          expect(`${path}?${name}: ${response.status}`).toBe(`${path}?${name}: 200`);
        }
        const wrongToken = await api(`/sessions/${id}?${name}=x`, {
          method: "DELETE",
          headers: { authorization: "Bearer nope" },
        });
        expect(wrongToken.status).toBe(403);
      }
      // As keys of a body they are unknown fields, refused by name.
      await refused(await send("POST", "/sessions", '{"__proto__":{"title":"x"}}'), 400, ["__proto__"]);
      await refused(await send("POST", "/sessions", '{"constructor":1}'), 400, ["constructor"]);
      expect((await api(`/sessions/${id}`)).status).toBe(200);
    });

    test("2: NUL in a string is a 400 naming the field, on every operation that stores strings", async () => {
      const before = await counts();
      await refused(await send("POST", "/sessions", '{"title":"a\\u0000b"}'), 400, ["title"]);
      await refused(await send("PATCH", `/sessions/${id}`, '{"title":"a\\u0000b"}', auth()), 400, ["title"]);
      for (const field of ["code", "label", "author"]) {
        await refused(await send("POST", `/sessions/${id}/code`, `{"${field}":"a\\u0000b"}`), 400, [field]);
      }
      for (const field of ["code", "stdin", "runBy"]) {
        const body = { language: "python", code: "print(1)", sessionId: id, [field]: "a\u0000b" };
        await refused(await send("POST", "/execute", JSON.stringify(body)), 400, [field]);
      }
      expect(await counts()).toEqual(before);
    });

    test("3: a lone surrogate is refused before anything is written", async () => {
      const before = await sessionState();
      await refused(await send("PATCH", `/sessions/${id}`, '{"title":"\\ud800"}', auth()), 400, ["title"]);
      await refused(await send("POST", "/sessions", '{"title":"x\\udfff"}'), 400, ["title"]);
      await refused(await send("POST", `/sessions/${id}/code`, '{"label":"\\ud83d"}'), 400, ["label"]);
      expect(await sessionState()).toEqual(before);
      // A surrogate pair is a character like any other.
      const emoji = await send("PATCH", `/sessions/${id}`, '{"title":"\\ud83d\\ude00 loop"}', auth());
      expect(emoji.status).toBe(200);
      expect(((await emoji.json()) as { title: string }).title).toBe("😀 loop");
    });

    test("3: a write whose history entry fails is not applied at all", async () => {
      // The database refuses the history entry: the change it records must not be stored either.
      await db().execute(
        sql.raw(`alter table history_entries add constraint refuse_for_test
          check (payload->>'action' is distinct from 'updated' and payload->>'action' is distinct from 'created'
                 and kind <> 'snapshot') not valid`),
      );
      try {
        const before = await sessionState();
        const all = await counts();
        const patched = await send("PATCH", `/sessions/${id}`, '{"title":"Changed"}', auth());
        expect(patched.status).toBe(500);
        expect(await sessionState()).toEqual(before);
        expect((await send("POST", "/sessions", '{"title":"New"}')).status).toBe(500);
        expect((await send("POST", `/sessions/${id}/code`, '{"code":"x = 1"}')).status).toBe(500);
        expect(await counts()).toEqual(all);
      } finally {
        await db().execute(sql.raw("alter table history_entries drop constraint refuse_for_test"));
      }
    });

    test("4: a body that is not an object is refused, as tRPC refuses it", async () => {
      const before = await counts();
      const state = await sessionState();
      for (const body of ["null", "[]", '"x"', "123", "true"]) {
        await refused(await send("POST", "/sessions", body), 400, ["(body)"]);
        await refused(await send("PATCH", `/sessions/${id}`, body, auth()), 400, ["(body)"]);
        await refused(await send("POST", `/sessions/${id}/code`, body), 400, ["(body)"]);
        await refused(await send("POST", "/execute", body), 400, ["(body)"]);
      }
      // An empty PATCH changes nothing and records nothing.
      await refused(await send("PATCH", `/sessions/${id}`, "{}", auth()), 400, ["(body)"]);
      expect(await counts()).toEqual(before);
      expect(await sessionState()).toEqual(state);
      // An empty body is an empty create: every field has a default.
      const empty = await api("/sessions", { method: "POST" });
      expect(empty.status).toBe(201);
      expect(await empty.json()).toMatchObject({ title: "Untitled interview", language: "javascript" });
    });

    test("5: no coercion: booleans, strings and lists are not numbers; query integers are plain decimals", async () => {
      for (const ttl of ["true", '"5"', "[5]", '"1e1"', "null"]) {
        await refused(await send("POST", "/sessions", `{"ttlHours":${ttl}}`), 400, ["ttlHours"]);
      }
      for (const [query, field] of [
        ["cursor=0x10", "cursor"],
        ["cursor=1e3", "cursor"],
        ["cursor=%2016", "cursor"],
        ["cursor=16%20", "cursor"],
        ["cursor=+16", "cursor"],
        ["cursor=016", "cursor"],
        ["limit=%201", "limit"],
        ["limit=1.5", "limit"],
        ["limit=", "limit"],
        ["limit=1&limit=2", "limit"],
        ["kind=nope", "kind"],
      ] as const) {
        await refused(await api(`/sessions/${id}/history?${query}`), 400, [field]);
      }
      expect((await api(`/sessions/${id}/history?cursor=16&limit=1`)).status).toBe(200);
      await refused(await api(`/sessions/${id}/playback?cursor=0x1`, { headers: auth() }), 400, ["cursor"]);
    });

    test("6: an argument with NUL is a 400 naming args.N, not a sandbox failure", async () => {
      const body = { language: "python", code: "print(1)", args: ["ok", "a\u0000b"] };
      await refused(await send("POST", "/execute", JSON.stringify(body)), 400, ["args.1"]);
    });

    test("7: media types compare without case; only JSON itself is JSON", async () => {
      for (const type of [
        "APPLICATION/JSON",
        "application/json; charset=UTF-8",
        "Application/Json;charset=utf-8",
      ]) {
        const response = await send("POST", "/sessions", "{}", { "content-type": type });
        expect(`${type}: ${response.status}`).toBe(`${type}: 201`);
      }
      for (const type of [
        "application/jsonx",
        "text/json",
        "text/plain",
        "application/json; charset=latin1",
        "",
      ]) {
        const response = await api("/sessions", {
          method: "POST",
          headers: type ? { "content-type": type } : {},
          body: "{}",
        });
        expect(`${type}: ${response.status}`).toBe(`${type}: 415`);
        expect(((await response.json()) as ErrorBody).code).toBe("UNSUPPORTED_MEDIA_TYPE");
      }
    });

    test("REST and tRPC give the same answer (status, code, fields, message) for the same bad input", async () => {
      // The workspace's credentials: a member's cookie and an organization API key.
      const cookie = await signUp(server, { email: "parity@a.example", name: "Parity" });
      const key = (await (
        await send("POST", "/workspace/api-keys", '{"name":"parity"}', { cookie })
      ).json()) as { key: string };
      const [member] = (
        (await (await api("/workspace/members", { headers: { cookie } })).json()) as {
          members: Array<{ id: string }>;
        }
      ).members;
      const credentials = { token: auth(), member: { cookie }, key: { "x-api-key": key.key } };
      const pathValues: Record<string, string> = { id, memberId: member?.id ?? "missing" };
      const routes = new Map(restRoutes(appRouter).map((route) => [route.operation.operationId, route]));

      for (const c of PARITY_CASES) {
        const route = routes.get(c.operation);
        if (!route) throw new Error(`no operation ${c.operation}`);
        const { method } = route.operation;
        const params: Record<string, string> = {};
        for (const segment of route.segments) {
          if ("param" in segment)
            params[segment.param] = c.params?.[segment.param] ?? pathValues[segment.param] ?? "";
        }
        const path = route.operation.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
        const headers = { ...credentials[c.as ?? "token"], "x-request-id": "parity-check" };
        const reads = method === "GET" || method === "DELETE";
        const rest = reads
          ? await api(`${path}?${c.rest}`, { method, headers })
          : await send(method, path, c.rest, headers);

        // The same input to the procedure: the body with the path's parameters, as the REST adapter
        // hands it on, or the case's own for a query string.
        const decoded = Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]),
        );
        let input: string;
        if (c.trpc !== undefined) input = JSON.stringify({ ...(c.trpc as object), ...decoded });
        else if (reads) input = JSON.stringify(decoded);
        else {
          let parsed: unknown;
          try {
            parsed = JSON.parse(c.rest);
          } catch {
            parsed = undefined;
          }
          input = isPlainObject(parsed) ? JSON.stringify({ ...parsed, ...decoded }) : c.rest;
        }
        const trpc =
          route.type === "query"
            ? await fetch(`${server.url}/trpc/${route.procedure}?input=${encodeURIComponent(input)}`, {
                headers,
              })
            : await fetch(`${server.url}/trpc/${route.procedure}`, {
                method: "POST",
                headers: { "content-type": "application/json", ...headers },
                body: input,
              });

        const restBody = (await rest.json()) as ErrorBody;
        const trpcBody = (await trpc.json()) as {
          error: { message: string; data: { code: string; fields?: string[]; requestId?: string } };
        };
        const answer = (status: number, body: ErrorBody) => ({
          case: `${c.operation} ${c.rest.slice(0, 100)}`,
          status,
          code: body.code,
          fields: body.fields,
          message: body.message,
        });
        expect(rest.status).toBeGreaterThanOrEqual(400);
        expect(answer(trpc.status, { ...trpcBody.error.data, message: trpcBody.error.message })).toEqual(
          answer(rest.status, restBody),
        );
        expect(trpcBody.error.data.requestId).toBe("parity-check");
      }
    });
  });
}
