import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { captureJsonLogs, eventually, metricValue, signUp, startTestServer } from "./testing.ts";
import { inviteLinkIn, signUpVerified, startMailServer } from "./testing-mail-server.ts";

const SMTP_USER = "pairpad";
const SMTP_PASSWORD = `pw-${crypto.randomUUID()}`;
/** The mail server refuses this recipient, as a real one refuses an unknown mailbox. */
const BOUNCING = "nobody@a.example";

for (const target of testDatabaseTargets()) {
  describe(`invitation emails over SMTP (${target.name})`, () => {
    let mail: Awaited<ReturnType<typeof startMailServer>>;
    let server: RunningServer;
    let plain: RunningServer;
    let alice = "";
    const logs: string[] = [];
    let release = () => {};

    const invite = async (node: RunningServer, cookie: string, email: string) => {
      const response = await fetch(`${node.url}/api/workspace/invitations`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ email, role: "admin" }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; link: string; mail: string };
    };
    const emailsCounted = (outcome: string) =>
      metricValue(server, "pairpad_invitation_emails_total", { outcome });

    beforeAll(async () => {
      mail = await startMailServer({ user: SMTP_USER, password: SMTP_PASSWORD, refuse: [BOUNCING] });
      server = await startTestServer(target, {
        SIGNIN_ATTEMPTS_PER_MINUTE: 1000,
        LOG_LEVEL: "warn",
        SMTP_URL: mail.url,
        SMTP_FROM: "Acme Hiring <hiring@acme.example>",
      });
      // With a mail server, addresses are verified (EMAIL_VERIFICATION defaults to required).
      alice = await signUpVerified(server, mail, { email: "alice@a.example", name: "Alice" });
      await fetch(`${server.url}/api/workspace`, {
        method: "PATCH",
        headers: { "content-type": "application/json", cookie: alice },
        body: JSON.stringify({ name: "Acme <Recruiting>" }),
      });
      release = captureJsonLogs(logs);
    });
    afterAll(async () => {
      release();
      await server.stop();
      await plain?.stop();
      await mail.close();
    });

    test("the invitee gets an email from SMTP_FROM whose link opens the invitation and joins", async () => {
      const invitation = await invite(server, alice, "carol@a.example");
      expect(invitation.mail).toBe("sent");
      const email = await eventually(() => {
        const [found] = mail.to("carol@a.example");
        if (!found) throw new Error("no email yet");
        return found;
      });
      expect(mail.to("carol@a.example")).toHaveLength(1);
      expect(email.from?.value).toEqual([{ address: "hiring@acme.example", name: "Acme Hiring" }]);
      expect(email.subject).toBe("Alice invited you to Acme <Recruiting> on Pairpad");
      // The workspace's name is text in the HTML, never markup.
      expect(String(email.html)).toContain("Acme &lt;Recruiting&gt;");
      expect(String(email.html)).not.toContain("<Recruiting>");

      const link = inviteLinkIn(email);
      expect(link).toBe(invitation.link);
      expect(String(email.html)).toContain(`href="${link}"`);
      expect(new URL(link).origin).toBe(server.deps.config.publicUrl);
      // What the link's page shows (the web page reads it by the id at the link's end).
      const id = new URL(link).pathname.split("/").pop();
      const shown = await fetch(`${server.url}/api/workspace/invitations/${id}`);
      expect(await shown.json()).toMatchObject({
        organization: { name: "Acme <Recruiting>" },
        email: "carol@a.example",
        role: "admin",
        status: "pending",
      });
      // Signing up with the address (verified) and accepting joins the workspace.
      const carol = await signUpVerified(server, mail, { email: "carol@a.example", name: "Carol" });
      const accepted = await fetch(`${server.url}/api/workspace/invitations/${id}/accept`, {
        method: "POST",
        headers: { cookie: carol },
      });
      expect(accepted.status).toBe(200);
      expect(await emailsCounted("sent")).toBe(1);
    });

    test("a refused email never fails the invitation: the link is given, the failure logged without secrets and counted", async () => {
      expect(await emailsCounted("failed")).toBe(0);
      const invitation = await invite(server, alice, BOUNCING);
      expect(invitation.mail).toBe("failed");
      expect(invitation.link).toContain(`/invite/${invitation.id}`);
      expect(await emailsCounted("failed")).toBe(1);
      const logged = logs.join("");
      expect(logged).toContain("invitation email not sent");
      expect(logged).toContain("a.example");
      for (const secret of [SMTP_PASSWORD, invitation.id, invitation.link, BOUNCING]) {
        expect({ secret, logged: logged.includes(secret) }).toEqual({ secret, logged: false });
      }
      // The invitation is there to be handed over by its link.
      const listed = await fetch(`${server.url}/api/workspace/invitations`, { headers: { cookie: alice } });
      const { invitations } = (await listed.json()) as { invitations: Array<{ id: string }> };
      expect(invitations.map((i) => i.id)).toContain(invitation.id);
    });

    test("without SMTP_URL nothing is sent and the invitation says so", async () => {
      const before = mail.received.length;
      plain = await startTestServer(target, { SIGNIN_ATTEMPTS_PER_MINUTE: 1000 });
      const owner = await signUp(plain, { email: "olga@o.example", name: "Olga" });
      const invitation = await invite(plain, owner, "dan@o.example");
      expect(invitation.mail).toBe("off");
      expect(invitation.link).toContain(`/invite/${invitation.id}`);
      expect(mail.received.length).toBe(before);
    });
  });
}
