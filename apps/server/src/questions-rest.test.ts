import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { cookieOf, signUp, startTestServer } from "./testing.ts";

const question = {
  title: "FizzBuzz",
  prompt: "Print numbers 1..n, *Fizz* for multiples of 3.",
  tags: ["warm-up"],
  starterCode: { python: "n = int(input())\n" },
  tests: [
    { stdin: "3\n", expected: "1\n2\nFizz\n" },
    { stdin: "5\n", expected: "1\n2\nFizz\n4\nBuzz\n", visibility: "hidden" },
  ],
};

for (const target of testDatabaseTargets()) {
  describe(`question bank over REST (${target.name})`, () => {
    let server: RunningServer;
    let auth: Record<string, string>;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/api${path}`, {
        ...init,
        headers: { "content-type": "application/json", ...auth, ...(init.headers as object) },
      });

    beforeAll(async () => {
      server = await startTestServer(target, { SIGNUP: "open" });
      const session = await (
        await fetch(`${server.url}/api/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).json();
      auth = { authorization: `Bearer ${(session as { interviewerToken: string }).interviewerToken}` };
    });
    afterAll(() => server.stop());

    test("CRUD, search, export and import", async () => {
      const created = await api("/questions", { method: "POST", body: JSON.stringify(question) });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };

      const got = (await (await api(`/questions/${id}`)).json()) as { tests: Array<{ visibility: string }> };
      expect(got.tests.map((t) => t.visibility)).toEqual(["public", "hidden"]);

      const list = (await (await api("/questions?q=fizz&tags=warm-up&limit=10")).json()) as {
        items: Array<{ id: string; hiddenTests: number }>;
      };
      expect(list.items).toEqual([expect.objectContaining({ id, hiddenTests: 1 })]);

      const exported = await api("/questions/export");
      expect(exported.status).toBe(200);
      const document = (await exported.json()) as { questions: unknown[] };
      expect(document.questions.length).toBe(1);

      const imported = await api("/questions/import", { method: "POST", body: JSON.stringify(document) });
      expect(((await imported.json()) as { imported: number }).imported).toBe(1);

      const replaced = await api(`/questions/${id}`, {
        method: "PUT",
        body: JSON.stringify({ ...question, title: "FizzBuzz 2" }),
      });
      expect(((await replaced.json()) as { title: string }).title).toBe("FizzBuzz 2");
      expect((await api(`/questions/${id}`, { method: "DELETE" })).status).toBe(200);
      expect((await api(`/questions/${id}`)).status).toBe(404);
    });

    test("bad input is a 400 naming the field; no token 401", async () => {
      const bad = await api("/questions", {
        method: "POST",
        body: JSON.stringify({ ...question, tests: [{ stdin: "", expected: "x", timeLimitMs: 0 }] }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { fields: string[] }).fields).toEqual(["tests.0.timeLimitMs"]);
      const anonymous = await fetch(`${server.url}/api/questions`);
      expect(anonymous.status).toBe(401);
    });

    test("each workspace has its own bank; a session's token opens its workspace's bank", async () => {
      // Signed in after signing up: the sign-up's own session opens no workspace yet.
      const member = async (email: string) => {
        await signUp(server, { email, password: "correct horse battery" });
        const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: JSON.stringify({ email, password: "correct horse battery" }),
        });
        return cookieOf(response);
      };
      const ada = await member("ada@bank.test");
      const bob = await member("bob@bank.test");
      const as = (cookie: string) => ({ headers: { cookie, authorization: "" } });
      const mine = await api("/questions", { method: "POST", body: JSON.stringify(question), ...as(ada) });
      expect(mine.status).toBe(200);
      const { id } = (await mine.json()) as { id: string };
      const titles = async (init: RequestInit) =>
        (
          (await (await api("/questions?limit=100", init)).json()) as { items: Array<{ id: string }> }
        ).items.map((q) => q.id);
      expect(await titles(as(ada))).toContain(id);
      expect(await titles(as(bob))).not.toContain(id);
      expect(await titles({})).not.toContain(id); // the instance bank, through an anonymous session's token
      expect((await api(`/questions/${id}`, as(bob))).status).toBe(404);
      expect((await api(`/questions/${id}`, { method: "DELETE", ...as(bob) })).status).toBe(404);

      // A session of Ada's workspace picks from that workspace's bank, also through its own token.
      const created = await api("/sessions", { method: "POST", body: "{}", ...as(ada) });
      const session = (await created.json()) as { id: string; interviewerToken: string };
      const token = { headers: { authorization: `Bearer ${session.interviewerToken}` } };
      expect(await titles(token)).toContain(id);
      const picked = await api(`/sessions/${session.id}/question`, {
        method: "PUT",
        body: JSON.stringify({ questionId: id }),
        ...token,
      });
      expect(picked.status).toBe(200);
    });

    test("the OpenAPI document describes the bank and is valid", async () => {
      const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { operationId?: string }>>;
      };
      expect(document.paths["/questions"]?.get?.operationId).toBe("listQuestions");
      expect(document.paths["/questions/{id}"]?.put?.operationId).toBe("replaceQuestion");
      expect(document.paths["/questions/import"]?.post?.operationId).toBe("importQuestions");
      await SwaggerParser.validate(structuredClone(document) as never);
    });
  });
}
