import type { AddressInfo } from "node:net";
import type { TestDatabaseTarget } from "@pairpad/db/testing";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { parseTrustedProxies } from "./client-address.ts";
import type { Env } from "./env.ts";
import { freePort } from "./rooms/test-support.ts";
import { captureJsonLogs, cookieOf, eventually, startTestServer } from "./testing.ts";

export interface MailServerOptions {
  /** The credentials it asks for (AUTH PLAIN/LOGIN). */
  user: string;
  password: string;
  /** Recipients it refuses (550), as a real server refuses an unknown mailbox. */
  refuse?: string[];
}

/**
 * A real SMTP server (smtp-server, from the nodemailer project) on a loopback port, for invitation
 * email tests: what it accepts, parsed (mailparser).
 */
export async function startMailServer(options: MailServerOptions) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS certificate to trust, AUTH allowed without TLS.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password)
        callback(null, { user: options.user });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address))
        callback(new Error(`Mailbox ${address.address} unavailable`));
      else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    /** SMTP_URL for a server that sends through this one. */
    url: `smtp://${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}@127.0.0.1:${port}`,
    received,
    /** The emails to an address, oldest first. */
    to: (address: string) =>
      received.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "") === address),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The invitation link in an email's text. */
export const inviteLinkIn = (mail: ParsedMail): string =>
  mail.text?.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)?.[0] ?? "";

export type MailServer = Awaited<ReturnType<typeof startMailServer>>;

/** The email-verification link in an email's text (the web client's `/verify-email` page). */
export const verificationLinkIn = (mail: ParsedMail): string =>
  mail.text?.match(/https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9._%&=-]+/)?.[0] ?? "";

/** What the `/verify-email` page does with its link: hands the token to better-auth's endpoint. */
export function verifyByLink(server: { url: string }, link: string): Promise<Response> {
  const token = new URL(link).searchParams.get("token") ?? "";
  return fetch(`${server.url}/api/auth/verify-email?token=${encodeURIComponent(token)}`);
}

/**
 * A browser's cookie for a new account on a server with EMAIL_VERIFICATION=required: signs up, opens
 * the link the mail server received, then signs in.
 */
export async function signUpVerified(
  server: { url: string },
  mail: MailServer,
  account: { email: string; password?: string; name?: string },
  headers: Record<string, string> = {},
): Promise<string> {
  const password = account.password ?? "correct horse battery";
  const before = mail.to(account.email).length;
  const signedUp = await postAuth(
    server,
    "/sign-up/email",
    { email: account.email, password, name: account.name ?? account.email.split("@")[0] },
    headers,
  );
  if (!signedUp.ok) throw new Error(`sign-up failed: ${signedUp.status} ${await signedUp.text()}`);
  const link = await eventually(() => {
    const found = mail.to(account.email).slice(before).map(verificationLinkIn).find(Boolean);
    if (!found) throw new Error(`no verification email to ${account.email}`);
    return found;
  });
  const verified = await verifyByLink(server, link);
  if (!verified.ok) throw new Error(`verification failed: ${verified.status} ${await verified.text()}`);
  const signedIn = await postAuth(server, "/sign-in/email", { email: account.email, password }, headers);
  if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
  return cookieOf(signedIn);
}

/** The password reset link in an email's text (the web client's `/reset-password` page). */
export const resetLinkIn = (mail: ParsedMail): string =>
  mail.text?.match(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9._%-]+/)?.[0] ?? "";

/** POSTs JSON to better-auth's endpoint `path` (under /api/auth) as the web client does: same origin. */
export function postAuth(
  server: { url: string },
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * A server for account-mail tests: SMTP to a loopback mail server, PUBLIC_URL named before it
 * starts (as a deployment's is), client addresses from X-Forwarded-For (so each test can be its own
 * client), and its JSON logs (stderr and stdout) collected to check that no secret reaches them.
 */
export async function startMailedServer(target: TestDatabaseTarget, env: Partial<Env> = {}) {
  const mail = await startMailServer({ user: "pairpad", password: `pw-${crypto.randomUUID()}` });
  const port = freePort();
  const logs: string[] = [];
  const release = captureJsonLogs(logs, [process.stderr, process.stdout]);
  const server = await startTestServer(target, {
    PORT: port,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "info",
    TRUSTED_PROXIES: parseTrustedProxies("loopback"),
    SIGNUPS_PER_MINUTE_PER_CLIENT: 3,
    SMTP_URL: mail.url,
    SMTP_FROM: "Pairpad <accounts@pairpad.example>",
    ...env,
  }).catch(async (error) => {
    release();
    await mail.close();
    throw error;
  });
  return {
    mail,
    server,
    logs,
    async stop() {
      release();
      await server.stop();
      await mail.close();
    },
  };
}
