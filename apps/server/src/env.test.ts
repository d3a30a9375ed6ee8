import { expect, test } from "bun:test";
import { EnvError, loadEnv } from "./env.ts";

test("embedded defaults with nothing configured", () => {
  const env = loadEnv({});
  expect(env).toMatchObject({
    PORT: 3000,
    DATA_DIR: "./.data",
    SESSION_TTL_HOURS: 24,
    MAX_BODY_BYTES: 1024 * 1024,
    EXECUTOR: "sandbox",
  });
  expect(env.DATABASE_URL).toBeUndefined();
  expect(env.REDIS_URL).toBeUndefined();
});

test("values are parsed and validated", () => {
  const env = loadEnv({
    PORT: "8080",
    SESSION_TTL_HOURS: "2",
    REDIS_URL: "redis://127.0.0.1:6379",
    DATABASE_URL: "",
  });
  expect(env.PORT).toBe(8080);
  expect(env.SESSION_TTL_HOURS).toBe(2);
  expect(env.DATABASE_URL).toBeUndefined();
});

test("a bad value stops start-up with a message naming the setting", () => {
  expect(() => loadEnv({ PORT: "eighty" })).toThrow(EnvError);
  expect(() => loadEnv({ PORT: "eighty", SESSION_TTL_HOURS: "9999" })).toThrow(
    /PORT[\s\S]*SESSION_TTL_HOURS/,
  );
  expect(() => loadEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  expect(() => loadEnv({ EXECUTOR: "vm" })).toThrow(/EXECUTOR/);
  expect(() => loadEnv({ TRUSTED_PROXIES: "10.0.0.0/8, everyone" })).toThrow(/TRUSTED_PROXIES/);
  expect(loadEnv({ TRUSTED_PROXIES: "10.0.0.0/8, loopback ,::1" }).TRUSTED_PROXIES).toEqual([
    "10.0.0.0/8",
    "loopback",
    "::1",
  ]);
  expect(() => loadEnv({ SANDBOX_PREWARM: "-1" })).toThrow(/SANDBOX_PREWARM/);
  expect(loadEnv({ SANDBOX_PREWARM: "0" }).SANDBOX_PREWARM).toBe(0);
  expect(loadEnv({}).ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS).toBe(5);
  expect(loadEnv({ ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS: "20" }).ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS).toBe(20);
  expect(() => loadEnv({ ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS: "0" })).toThrow(
    /ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS/,
  );
  expect(() => loadEnv({ ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS: "2.5" })).toThrow(
    /ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS/,
  );
});

test("a bad value makes `bun run start` exit with the message, not a stack trace", async () => {
  const child = Bun.spawn(["bun", `${import.meta.dir}/start.ts`], {
    env: { ...process.env, PORT: "not-a-port", DATABASE_URL: "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  expect(code).toBe(2);
  expect(stderr).toContain("PORT");
  expect(stderr).not.toContain("    at ");
});

test("instance policy: sign-up, anonymous sessions, retention, single sign-on", () => {
  expect(loadEnv({})).toMatchObject({ SIGNUP: "open", ANONYMOUS_SESSIONS: true, RETENTION_DAYS: 90 });
  const strict = loadEnv({ SIGNUP: "invite", ANONYMOUS_SESSIONS: "false", RETENTION_DAYS: "30" });
  expect(strict).toMatchObject({ SIGNUP: "invite", ANONYMOUS_SESSIONS: false, RETENTION_DAYS: 30 });
  expect(() => loadEnv({ SIGNUP: "maybe" })).toThrow(/SIGNUP/);
  expect(() => loadEnv({ ANONYMOUS_SESSIONS: "yes please" })).toThrow(/ANONYMOUS_SESSIONS/);
  expect(() => loadEnv({ OIDC_ISSUER: "https://id.example" })).toThrow(/OIDC_ISSUER/);
  expect(() => loadEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET/);
});

test("invitation emails: SMTP_URL is an smtp(s) URL, needs SMTP_FROM, and a refusal never echoes its password", () => {
  expect(loadEnv({}).SMTP_URL).toBeUndefined();
  const set = loadEnv({
    SMTP_URL: "smtp://user:pass@mail.example:587",
    SMTP_FROM: "Pairpad <p@example.com>",
  });
  expect(set).toMatchObject({
    SMTP_URL: "smtp://user:pass@mail.example:587",
    SMTP_FROM: "Pairpad <p@example.com>",
  });
  expect(() => loadEnv({ SMTP_URL: "smtp://mail.example" })).toThrow(/SMTP_FROM/);
  let refusal = "";
  try {
    loadEnv({ SMTP_URL: "http://user:hunter2-secret@mail.example", SMTP_FROM: "p@example.com" });
  } catch (error) {
    refusal = String(error);
  }
  expect(refusal).toContain("SMTP_URL");
  expect(refusal).not.toContain("hunter2-secret");
});

test("EMAIL_VERIFICATION: required with a mail server, off without; required without SMTP_URL stops the start", () => {
  const smtp = { SMTP_URL: "smtp://user:pass@mail.example:587", SMTP_FROM: "Pairpad <p@example.com>" };
  expect(loadEnv({}).EMAIL_VERIFICATION).toBe("off");
  expect(loadEnv(smtp).EMAIL_VERIFICATION).toBe("required");
  expect(loadEnv({ ...smtp, EMAIL_VERIFICATION: "off" }).EMAIL_VERIFICATION).toBe("off");
  // The mail server given as an override (as tests do) counts as well.
  expect(loadEnv({}, { SMTP_URL: smtp.SMTP_URL, SMTP_FROM: smtp.SMTP_FROM }).EMAIL_VERIFICATION).toBe(
    "required",
  );
  expect(() => loadEnv({ EMAIL_VERIFICATION: "sometimes" })).toThrow(/EMAIL_VERIFICATION/);
  expect(() => loadEnv({ EMAIL_VERIFICATION: "required" })).toThrow(
    /EMAIL_VERIFICATION: `required` needs a mail server: set SMTP_URL/,
  );
});
