/** Issue 10 on better-auth's own endpoints (/api/auth/*): hostile input never corrupts, blocks or leaks. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { sql } from "drizzle-orm";
import type { ErrorBody } from "./errors.ts";
import type { RunningServer } from "./main.ts";
import { signUp, startTestServer } from "./testing.ts";

const ATTEMPTS = 4;
const SIGNUPS = 3;

for (const target of testDatabaseTargets()) {
  describe(`better-auth's endpoints under hostile input (${target.name})`, () => {
    let server: RunningServer;
    let cookie: string;
    let client = 0;

    /** A POST as the web client sends it; each call may come from a client address of its own. */
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/auth${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: server.url,
          "x-forwarded-for": `192.0.2.${client}`,
          ...headers,
        },
        body,
      });
    const session = async () => {
      const response = await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie } });
      return (await response.json()) as { user: { name: string; email: string } };
    };

    beforeAll(async () => {
      server = await startTestServer(target, {
        SIGNIN_ATTEMPTS_PER_MINUTE: ATTEMPTS,
        SIGNUPS_PER_MINUTE_PER_CLIENT: SIGNUPS,
        TRUSTED_PROXIES: ["loopback"],
        LOG_LEVEL: "error",
      });
      cookie = await signUp(server, { email: "owner@example.com", name: "Owner" });
    });
    afterAll(() => server.stop());

    test("NUL and unpaired surrogates are refused with a 400 naming the field; nothing is stored", async () => {
      const bad = [
        // Raw JSON text: a lone surrogate exists only as an escape.
        [
          "/sign-up/email",
          '{"email":"nul@example.com","password":"password123","name":"Eve\\u0000"}',
          "name",
        ],
        ["/sign-up/email", '{"email":"lone@example.com","password":"password123","name":"\\ud800"}', "name"],
        [
          "/sign-up/email",
          '{"email":"img@example.com","password":"password123","name":"I","image":"\\u0000"}',
          "image",
        ],
        ["/update-user", '{"name":"x\\u0000"}', "name"],
        ["/update-user", '{"name":"\\udc00x"}', "name"],
        ["/organization/update", '{"data":{"slug":"a\\u0000"}}', "data.slug"],
        ["/organization/update", '{"data":{"logo":"a\\u0000"}}', "data.logo"],
        ["/organization/update", '{"data":{"metadata":{"\\u0000":1}}}', "data.metadata.\u0000"],
      ] as const;
      for (const [path, body, field] of bad) {
        const response = await post(path, body, { cookie });
        const answer = (await response.json()) as ErrorBody;
        expect({ path, status: response.status, fields: answer.fields }).toEqual({
          path,
          status: 400,
          fields: [field],
        });
        expect(answer.code).toBe("BAD_REQUEST");
        expect(answer.requestId).toBeString();
      }
      const invitation = await fetch(`${server.url}/api/auth/organization/get-invitation?id=%00`, {
        headers: { cookie },
      });
      expect(invitation.status).toBe(400);
      expect(((await invitation.json()) as ErrorBody).fields).toEqual(["id"]);

      expect((await session()).user.name).toBe("Owner");
      for (const email of ["nul@example.com", "lone@example.com", "img@example.com"]) {
        const signIn = await post("/sign-in/email", JSON.stringify({ email, password: "password123" }));
        expect({ email, status: signIn.status }).toEqual({ email, status: 401 });
        client++;
      }
    });

    test("a failure inside better-auth is logged without the query's parameters, and answered as JSON", async () => {
      const captured: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      const consoleError = console.error;
      process.stderr.write = ((chunk: string | Uint8Array) => {
        captured.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
        return true;
      }) as typeof process.stderr.write;
      console.error = (...args: unknown[]) => captured.push(args.map(String).join(" "));
      // The database refuses this name, as it would on any failure of its own.
      const db = server.deps.db;
      await db.execute(
        sql.raw("alter table auth_users add constraint refuse_name check (name <> 'Secret Name') not valid"),
      );
      try {
        const response = await post("/update-user", JSON.stringify({ name: "Secret Name" }), { cookie });
        expect(response.status).toBe(500);
        expect(((await response.json()) as ErrorBody).code).toBe("INTERNAL_SERVER_ERROR");
      } finally {
        await db.execute(sql.raw("alter table auth_users drop constraint refuse_name"));
        process.stderr.write = write;
        console.error = consoleError;
      }
      const logged = captured.join("\n");
      expect(logged).toContain("auth: request failed");
      expect(logged).not.toContain("Secret Name");
      expect((await session()).user.name).toBe("Owner");
    });

    test("password checks behind a session share the sign-in budget: a stolen cookie buys no guesses", async () => {
      client++;
      const statuses: number[] = [];
      for (let i = 0; i <= ATTEMPTS; i++) {
        const response = await post("/verify-password", JSON.stringify({ password: `guess ${i}` }), {
          cookie,
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, ATTEMPTS)).not.toContain(429);
      expect(statuses.at(-1)).toBe(429);
      const change = await post(
        "/change-password",
        JSON.stringify({ currentPassword: "guess", newPassword: "another password" }),
        { cookie },
      );
      expect(change.status).toBe(429);
      expect(Number(change.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    test("one client makes only so many accounts a minute: then 429, and no account is made", async () => {
      client++;
      const account = (i: number) =>
        JSON.stringify({ email: `many${i}@example.com`, password: "password123", name: `Many ${i}` });
      for (let i = 0; i < SIGNUPS; i++) expect((await post("/sign-up/email", account(i))).status).toBe(200);
      const refused = await post("/sign-up/email", account(SIGNUPS));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await refused.json()) as ErrorBody).code).toBe("TOO_MANY_REQUESTS");
      client++;
      const signIn = await post(
        "/sign-in/email",
        JSON.stringify({ email: `many${SIGNUPS}@example.com`, password: "password123" }),
      );
      expect(signIn.status).toBe(401);
    });

    test("an account's name is 1 to 80 characters, trimmed, at sign-up and after", async () => {
      client++;
      const account = (email: string, name: string) =>
        JSON.stringify({ email, password: "password123", name });
      for (const name of ["N".repeat(100_000), "   ", ""]) {
        const response = await post("/sign-up/email", account("named@example.com", name));
        expect({ length: name.length, status: response.status }).toEqual({
          length: name.length,
          status: 400,
        });
        expect(((await response.json()) as ErrorBody).message).toContain("name");
      }
      client++;
      const made = await post("/sign-up/email", account("named@example.com", "  Grace  "));
      expect(made.status).toBe(200);
      expect(((await made.json()) as { user: { name: string } }).user.name).toBe("Grace");

      const renamed = await post("/update-user", JSON.stringify({ name: "x".repeat(81) }), { cookie });
      expect(renamed.status).toBe(400);
      expect((await session()).user.name).toBe("Owner");
    });
  });
}
