/**
 * The workspace in a real browser: an interviewer signs up, runs an interview from the dashboard
 * (a candidate joins from the link in another context, without an account), ends it, finds it in
 * the dashboard and replays it; then settings: an API key shown once that works over REST, and an
 * invite link, emailed over SMTP, accepted by a second account in a third context; the workspace
 * renamed, a second one created, and switching between them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import { inviteLinkIn, startMailServer } from "../../server/src/testing-mail-server.ts";
import {
  CHROMIUM,
  desktop,
  hasChromium,
  LONG,
  type Participant,
  participant,
  phone,
  screenshots,
  textOf,
  until,
} from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the browser tests: ${CHROMIUM} is not installed`);

const owner = { name: "Ada Owner", email: "ada@team.example", password: "correct horse battery" };
const invitee = { name: "Bob Colleague", email: "bob@team.example", password: "staple battery horse" };

/** Both widths of one page, full length unless it is a long list. */
async function shoot(page: Page, name: string, fullPage = true) {
  await page.setViewportSize(desktop);
  await page.screenshot({ path: join(screenshots, `${name}-1280x800.png`), fullPage });
  await page.setViewportSize(phone);
  await page.screenshot({ path: join(screenshots, `${name}-390x844.png`), fullPage });
  await page.setViewportSize(desktop);
}

describe.skipIf(!hasChromium)("workspace in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let browser: Browser;
  let interviewer: Participant;
  let candidate: Participant;
  let colleague: Participant;
  const interviewerSockets: string[] = [];
  let interviewTitle = "";
  let interviewId = "";
  let mail: Awaited<ReturnType<typeof startMailServer>>;

  beforeAll(async () => {
    // Invitations are emailed through a real SMTP server on loopback.
    mail = await startMailServer({ user: "pairpad", password: `pw-${crypto.randomUUID()}` });
    // Addresses are taken at their word here; confirming them is email-verification.test.ts's story.
    stack = await startStack({
      SMTP_URL: mail.url,
      SMTP_FROM: "Team Hiring <hiring@team.example>",
      EMAIL_VERIFICATION: "off",
    });
    ({ server, browser } = stack);
    interviewer = await participant(browser);
    interviewer.page.on("websocket", (ws) => interviewerSockets.push(ws.url()));
    candidate = await participant(browser);
    colleague = await participant(browser);
  }, LONG);

  afterAll(async () => {
    await stack?.stop();
    await mail?.close();
  });

  test(
    "sign up; a wrong password is refused without saying whether the account exists",
    async () => {
      const { page } = interviewer;
      await page.goto(server.url);
      await page.getByRole("link", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Sign in to your workspace" }).waitFor();
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      await page.getByLabel("Name").fill(owner.name);
      await page.getByLabel("Email").fill(owner.email);
      await page.getByLabel("Password").fill(owner.password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
      await page.getByText("No interviews yet").waitFor();

      // A second browser: the same message for a known address and for an unknown one.
      const { page: stranger } = colleague;
      const messages: string[] = [];
      for (const email of [owner.email, "nobody@team.example"]) {
        await stranger.goto(`${server.url}/signin`);
        await stranger.getByLabel("Email").fill(email);
        await stranger.getByLabel("Password").fill("not the password");
        await stranger.getByRole("button", { name: "Sign in" }).click();
        messages.push((await stranger.getByRole("alert").textContent()) ?? "");
      }
      expect(messages).toEqual(["Wrong email or password.", "Wrong email or password."]);
      expect(new URL(stranger.url()).pathname).toBe("/signin");
      await stranger.getByLabel("Password").fill("");
      await shoot(stranger, "signin");

      // Signed in already, the sign-in page says so and leads back.
      await page.goto(`${server.url}/signin`);
      await page.getByText(`You are signed in as ${owner.email}.`).waitFor();
      await page.getByRole("link", { name: "Open the dashboard" }).click();
      await page.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
    },
    LONG,
  );

  test(
    "an interview made from the dashboard: the candidate joins by its link, it ends, it is listed as ended and replays",
    async () => {
      const { page } = interviewer;
      await page.getByRole("button", { name: "New interview" }).click();
      interviewTitle = "Two sum with Grace";
      await page.getByLabel("Title").fill(interviewTitle);
      await page.getByLabel("Language").selectOption("python");
      await page.getByRole("button", { name: "Create and open" }).click();
      // The member is the interviewer by the session cookie: no token in the URL, the storage or the socket.
      await page.getByRole("heading", { name: "Interviewer controls" }).waitFor();
      const sessionId = new URL(page.url()).pathname.split("/").pop() ?? "";
      interviewId = sessionId;
      expect(page.url()).toBe(`${server.url}/sessions/${sessionId}`);
      expect(await page.evaluate((id) => localStorage.getItem(`pairpad:token:${id}`), sessionId)).toBeNull();
      await page.locator(".connection[data-connection=connected]").waitFor();
      expect(interviewerSockets.some((url) => url.includes(sessionId))).toBe(true);
      expect(interviewerSockets.filter((url) => /token=|ticket=/.test(url))).toEqual([]);

      const candidateLink = await page.getByLabel("Candidate link", { exact: true }).inputValue();
      expect(candidateLink).toEndWith(`/sessions/${sessionId}`);
      await candidate.page.goto(candidateLink);
      await candidate.page.getByLabel("Display name").fill("Grace Candidate");
      await candidate.page.getByRole("button", { name: "Continue" }).click();
      await candidate.page.locator(".connection[data-connection=connected]").waitFor();
      await until(async () => {
        expect(await textOf(page, "ul.participants")).toContain("Grace Candidate");
        expect(await textOf(page, "ul.participants")).toContain(owner.name);
      }, "the candidate in the interviewer's room");
      // The candidate has no account and no interviewer controls.
      expect(await candidate.page.getByRole("heading", { name: "Interviewer controls" }).count()).toBe(0);

      await page.getByRole("button", { name: "End interview" }).click();
      await page.getByRole("button", { name: "End now" }).click();
      await candidate.page
        .getByText("The interview has ended. The code is read-only for everyone.")
        .waitFor();

      await page.goto(server.url);
      const row = page.locator(`tr[data-interview="${sessionId}"]`);
      await row.waitFor();
      expect(await row.locator(".badge").textContent()).toBe("Ended");
      expect(await row.textContent()).toContain("Grace Candidate");
      expect(await row.textContent()).toContain(owner.name);
      expect(await row.textContent()).toContain("Python");

      // Filters: "live" hides it, "ended" and a search by the candidate's name find it.
      await page.getByLabel("Status").selectOption("live");
      await page.getByText("No interview matches").waitFor();
      await page.getByLabel("Status").selectOption("ended");
      await page.getByLabel("Search").fill("grace cand");
      await row.waitFor();
      await page.getByLabel("Search").fill("");
      await page.getByLabel("Status").selectOption("");

      // The export link answers the record to the signed-in member (the cookie goes with it).
      const exportHref = await row
        .getByRole("link", { name: `Export ${interviewTitle}` })
        .getAttribute("href");
      const exported = await page.request.get(`${server.url}${exportHref}`);
      expect(exported.status()).toBe(200);
      expect(((await exported.json()) as { session: { id: string } }).session.id).toBe(sessionId);

      await row.getByRole("link", { name: `Replay ${interviewTitle}` }).click();
      await page.getByRole("slider", { name: "Replay position" }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/sessions/${sessionId}/playback`);
      await page.goBack();
      await row.waitFor();
    },
    LONG,
  );

  test(
    "settings: an API key shown once works over REST; invite links make members (new and existing accounts); roles, password change, sign-out",
    async () => {
      const { page } = interviewer;
      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { name: "API keys" }).waitFor();
      await page.getByLabel("Key name").fill("ATS sync");
      await page.getByRole("button", { name: "Create API key" }).click();
      const key = await page.getByLabel("New API key", { exact: true }).inputValue();
      expect(key).toStartWith("ppk_");
      const listed = await page.locator('[data-api-key="ATS sync"]').textContent();
      expect(listed).not.toContain(key);
      await shoot(page, "settings-api-key-created");

      const rest = await fetch(`${server.url}/api/interviews`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(rest.status).toBe(200);
      const body = (await rest.json()) as { items: Array<{ title: string; status: string }> };
      expect(body.items.map((i) => [i.title, i.status])).toEqual([[interviewTitle, "ended"]]);

      // The key acts for the workspace: it saves the ended interview's scorecard; the dashboard shows its verdict.
      const scored = await fetch(`${server.url}/api/sessions/${interviewId}/scorecard`, {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ recommendation: "strong_yes", summary: "Clear and careful." }),
      });
      expect(scored.status).toBe(200);

      // Automation fills the dashboard: more interviews than one page holds.
      for (let i = 1; i <= 21; i++) {
        const created = await fetch(`${server.url}/api/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify({ title: `Screening ${i}`, language: "javascript" }),
        });
        expect(created.status).toBe(201);
      }

      // Shown once: after "copied" (or a reload) the key is gone from the page.
      await page.getByRole("button", { name: "I have copied it" }).click();
      await page.reload();
      await page.locator('[data-api-key="ATS sync"]').waitFor();
      expect(await page.content()).not.toContain(key);

      await page.getByLabel("Email", { exact: true }).fill(invitee.email);
      await page.getByRole("button", { name: "Create invite link" }).click();
      const link = await page.getByLabel("Invite link", { exact: true }).inputValue();
      expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
      await page.locator(`[data-invitation="${invitee.email}"]`).waitFor();
      // The invitee got it by email too: the same link, from the configured sender.
      await page
        .getByRole("status")
        .filter({ hasText: `Emailed to ${invitee.email}.` })
        .waitFor();
      const [emailed] = mail.to(invitee.email);
      expect(emailed?.from?.text).toBe('"Team Hiring" <hiring@team.example>');
      expect(emailed?.subject).toBe(`${owner.name} invited you to Workspace on Pairpad`);
      expect(emailed && inviteLinkIn(emailed)).toBe(link);

      const { page: bob } = colleague;
      await bob.goto(emailed ? inviteLinkIn(emailed) : link);
      await bob.getByRole("heading", { name: "Join Workspace" }).waitFor();
      expect(await bob.getByText(`As Interviewer, for ${invitee.email}.`).count()).toBe(1);
      await shoot(bob, "invite");
      await bob.getByLabel("Name").fill(invitee.name);
      expect(await bob.getByLabel("Email").inputValue()).toBe(invitee.email);
      await bob.getByLabel("Password").fill(invitee.password);
      await bob.getByRole("button", { name: "Create account" }).click();
      // The workspace's dashboard, with its interviews in it.
      await bob.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
      await bob.getByRole("link", { name: "Screening 21", exact: true }).waitFor();
      expect(await bob.locator(".workspace-name").textContent()).toBe("Workspace");

      // The owner sees the new member; the invitation is no longer pending.
      await page.reload();
      await page.locator(`[data-member="${invitee.email}"]`).waitFor();
      expect(await page.locator(`[data-invitation="${invitee.email}"]`).count()).toBe(0);
      await shoot(page, "settings");

      // An interviewer sees the members read-only and no API keys.
      await bob.getByRole("link", { name: "Settings" }).click();
      await bob.getByRole("heading", { name: "Members" }).waitFor();
      await bob.locator(`[data-member="${owner.email}"]`).waitFor();
      expect(await bob.getByRole("button", { name: /^Remove / }).count()).toBe(0);
      expect(await bob.getByRole("heading", { name: "API keys" }).count()).toBe(0);

      // The owner makes Bob an admin: his settings then manage keys too.
      const bobsRole = page.getByLabel(`Role of ${invitee.name}`);
      await bobsRole.selectOption("admin");
      // The select shows the server's answer: "admin" once the change is saved and listed again.
      await until(async () => {
        expect(await bobsRole.inputValue()).toBe("admin");
        expect(await bobsRole.isEnabled()).toBe(true);
      }, "the role saved");
      await page.reload();
      expect(await page.getByLabel(`Role of ${invitee.name}`).inputValue()).toBe("admin");
      await bob.reload();
      await bob.getByRole("heading", { name: "API keys" }).waitFor();

      // Bob changes his password, signs out, and only the new one signs him in.
      const newPassword = "a brand new passphrase";
      await bob.getByLabel("Current password").fill(invitee.password);
      await bob.getByLabel("New password").fill(newPassword);
      await bob.getByRole("button", { name: "Change password" }).click();
      await bob.getByRole("status").filter({ hasText: "Password changed" }).waitFor();
      await bob.getByRole("button", { name: "Sign out" }).click();
      await bob.getByRole("heading", { name: "Coding interviews, together in real time" }).waitFor();
      await bob.goto(`${server.url}/settings`);
      await bob.getByRole("heading", { name: "Sign in to your workspace" }).waitFor();
      for (const [password, works] of [
        [invitee.password, false],
        [newPassword, true],
      ] as const) {
        await bob.getByLabel("Email").fill(invitee.email);
        await bob.getByLabel("Password").fill(password);
        await bob.getByRole("button", { name: "Sign in" }).click();
        if (!works) await bob.getByRole("alert").filter({ hasText: "Wrong email or password." }).waitFor();
      }
      // Back where he was going.
      await bob.getByRole("heading", { name: "Settings" }).waitFor();
      expect(new URL(bob.url()).pathname).toBe("/settings");

      // Keyset pages of 20: the rest comes with "Load more", newest first, none twice.
      await page.goto(server.url);
      await page.locator("tr[data-interview]").first().waitFor();
      await shoot(page, "dashboard", false);
      expect(await page.locator("tr[data-interview]").count()).toBe(20);
      await page.getByRole("button", { name: "Load more" }).click();
      await until(async () => expect(await page.locator("tr[data-interview]").count()).toBe(22), "page two");
      const titles = await page.locator("tr[data-interview] .interview-title a").allTextContents();
      expect(new Set(titles).size).toBe(22);
      expect(titles[0]).toBe("Screening 21");
      expect(titles.at(-1)).toBe(interviewTitle);
      expect(await page.locator(`tr[data-interview="${interviewId}"] .verdict`).textContent()).toBe(
        "Strong yes",
      );
      expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

      // By interviewer: Ada ran one; the API made the rest.
      await page.getByLabel("Interviewer").selectOption({ label: owner.name });
      await until(async () => {
        expect(await page.locator("tr[data-interview] .interview-title a").allTextContents()).toEqual([
          interviewTitle,
        ]);
      }, "only Ada's interview");
      await page.getByLabel("Interviewer").selectOption("");
      // Both pages come back from the cache.
      await until(async () => expect(await page.locator("tr[data-interview]").count()).toBe(22), "all again");

      // A member deletes a record at once, after confirming.
      const doomed = page
        .locator("tr[data-interview]")
        .filter({ has: page.getByRole("link", { name: "Screening 1", exact: true }) });
      const doomedId = (await doomed.getAttribute("data-interview")) ?? "";
      expect(await doomed.locator(".interview-title a").textContent()).toBe("Screening 1");
      page.once("dialog", (dialog) => void dialog.accept());
      await doomed.getByRole("button", { name: "Delete Screening 1" }).click();
      await page.locator(`tr[data-interview="${doomedId}"]`).waitFor({ state: "detached" });
      const gone = await fetch(`${server.url}/api/sessions/${doomedId}`, { headers: { "x-api-key": key } });
      expect(gone.status).toBe(404);

      // Someone who already has an account (and a workspace of their own) joins from a signed-in browser.
      const carolContext = await browser.newContext({ viewport: desktop });
      const carol = await carolContext.newPage();
      await carol.goto(`${server.url}/signup`);
      await carol.getByLabel("Name").fill("Carol Existing");
      await carol.getByLabel("Email").fill("carol@team.example");
      await carol.getByLabel("Password").fill("carol's long password");
      await carol.getByRole("button", { name: "Create account" }).click();
      await carol.getByText("No interviews yet").waitFor();
      expect(await carol.locator(".workspace-name").textContent()).toBe("Carol Existing's workspace");

      await page.goto(`${server.url}/settings`);
      await page.getByLabel("Email", { exact: true }).fill("carol@team.example");
      await page.getByLabel("Role", { exact: true }).selectOption("admin");
      await page.getByRole("button", { name: "Create invite link" }).click();
      const carolLink = await page.getByLabel("Invite link", { exact: true }).inputValue();
      // The link names PUBLIC_URL (here localhost); this browser's cookie is for the address it used.
      await carol.goto(`${server.url}${new URL(carolLink).pathname}`);
      await carol.getByText("As Admin, for carol@team.example.").waitFor();
      await carol.getByRole("button", { name: "Join Workspace" }).click();
      await carol.getByRole("link", { name: "Screening 21", exact: true }).waitFor();
      // Two workspaces now: the top bar switches between them.
      const switcher = carol.getByLabel("Workspace", { exact: true });
      expect(await switcher.locator("option:checked").textContent()).toBe("Workspace");
      await switcher.selectOption({ label: "Carol Existing's workspace" });
      await carol.getByText("No interviews yet").waitFor();
      expect(
        await carol.getByLabel("Workspace", { exact: true }).locator("option:checked").textContent(),
      ).toBe("Carol Existing's workspace");
      await carolContext.close();

      // The refused sign-ins above are 401 answers, which Chromium reports; nothing else may appear.
      const refusedSignIn = /Failed to load resource: the server responded with a status of 401/;
      for (const p of [interviewer, candidate, colleague]) {
        expect(p.problems.filter((problem) => !refusedSignIn.test(problem))).toEqual([]);
      }
    },
    LONG,
  );

  test(
    "workspaces: the owner renames hers (an interviewer may not), creates a second and switches between them",
    async () => {
      const { page } = interviewer;
      const { page: bob } = colleague;
      // Bob is an interviewer again: his settings show the name, without a way to change it.
      await page.goto(`${server.url}/settings`);
      await page.getByLabel(`Role of ${invitee.name}`).selectOption("interviewer");
      await until(async () => {
        expect(await page.getByLabel(`Role of ${invitee.name}`).inputValue()).toBe("interviewer");
        expect(await page.getByLabel(`Role of ${invitee.name}`).isEnabled()).toBe(true);
      }, "Bob an interviewer");
      await bob.goto(`${server.url}/settings`);
      await bob.getByRole("heading", { name: "This workspace" }).waitFor();
      await bob.getByText("Workspace: only its owners and admins rename it (you are interviewer).").waitFor();
      expect(await bob.getByLabel("Workspace name", { exact: true }).count()).toBe(0);

      // A blank name is refused by the server, naming the field; a real one renames it everywhere.
      const name = page.getByLabel("Workspace name", { exact: true });
      expect(await name.inputValue()).toBe("Workspace");
      await name.fill("   ");
      await page.getByRole("button", { name: "Rename" }).click();
      await page.getByRole("alert").filter({ hasText: "name:" }).waitFor();
      await name.fill("  Team Hiring  ");
      await page.getByRole("button", { name: "Rename" }).click();
      await page.getByRole("status").filter({ hasText: "Renamed to “Team Hiring”." }).waitFor();
      expect(await name.inputValue()).toBe("Team Hiring");
      await until(
        async () => expect(await page.locator(".workspace-name").textContent()).toBe("Team Hiring"),
        "the header renamed",
      );
      await shoot(page, "settings-workspace-renamed");
      await bob.reload();
      await bob
        .getByText("Team Hiring: only its owners and admins rename it (you are interviewer).")
        .waitFor();

      // A second workspace, opened at once on its empty dashboard.
      await page.getByLabel("New workspace name").fill("Platform hiring");
      await page.getByRole("button", { name: "Create workspace" }).click();
      await page.getByText("No interviews yet").waitFor();
      const switcher = page.getByLabel("Workspace", { exact: true });
      await until(
        async () => expect(await switcher.locator("option:checked").textContent()).toBe("Platform hiring"),
        "the new workspace open",
      );
      expect(await switcher.locator("option").allTextContents()).toEqual(["Team Hiring", "Platform hiring"]);
      await shoot(page, "dashboard-new-workspace");

      // The header switches back: the first workspace's interviews.
      await switcher.selectOption({ label: "Team Hiring" });
      await page.getByRole("link", { name: "Screening 21", exact: true }).waitFor();

      // Settings list them, and open the other one there too.
      await page.getByRole("link", { name: "Settings" }).click();
      const list = page.getByRole("list", { name: "Your workspaces" });
      await list.locator('[data-workspace="Platform hiring"]').waitFor();
      expect(await list.locator('[data-workspace="Team Hiring"]').textContent()).toContain("Current");
      await shoot(page, "settings-workspaces");
      await page.getByRole("button", { name: "Open Platform hiring" }).click();
      await until(
        async () =>
          expect(await page.getByLabel("Workspace name", { exact: true }).inputValue()).toBe(
            "Platform hiring",
          ),
        "Platform hiring open in settings",
      );
      // Bob was never in it: his list holds only the first.
      await bob.reload();
      const bobsList = bob.getByRole("list", { name: "Your workspaces" });
      await bobsList.locator('[data-workspace="Team Hiring"]').waitFor();
      expect(await bobsList.locator("li").count()).toBe(1);

      // The blank name's 400 is reported by Chromium; nothing else may appear.
      const refusedName = /Failed to load resource: the server responded with a status of 400/;
      expect(interviewer.problems.filter((problem) => !refusedName.test(problem))).toEqual([]);
    },
    LONG,
  );
});
