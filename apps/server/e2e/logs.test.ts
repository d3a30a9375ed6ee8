/**
 * A whole session's lifecycle against a real server process at LOG_LEVEL=debug, with secrets a
 * user would worry about (the interviewer token, in a header and in the WebSocket URL; a cookie; the
 * candidate's code and stdin; a query parameter), then every line the process wrote is read: JSON
 * lines with request ids, and none of the secrets anywhere.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventSource } from "eventsource";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { freePort } from "../src/rooms/test-support.ts";
import { eventually } from "../src/testing.ts";
import { ServerNode } from "./cluster-support.ts";

setDefaultTimeout(180_000);

const SECRET_CODE = `SECRET-CODE-${crypto.randomUUID()}`;
const SECRET_STDIN = `SECRET-STDIN-${crypto.randomUUID()}`;
const SECRET_COOKIE = `SECRET-COOKIE-${crypto.randomUUID()}`;
const SECRET_QUERY = `SECRET-QUERY-${crypto.randomUUID()}`;

const dataDir = mkdtempSync(join(tmpdir(), "pairpad-logs-"));
const node = new ServerNode("logs", freePort(), {
  DATA_DIR: dataDir,
  LOG_LEVEL: "debug",
  SANDBOX_PREWARM: "0",
  PUBLIC_URL: "http://pairpad.example.com",
  // A run is still going when the node is stopped: its end at the deadline is logged too.
  SHUTDOWN_TIMEOUT_SECONDS: "1",
});

/** Warnings and errors about the node itself, not about one session. */
const nodeLevel = new Set(["not ready", "shutdown deadline reached; ending the runs in flight as cancelled"]);

beforeAll(() => node.start());
afterAll(async () => {
  await node.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

test("a session's whole lifecycle logs JSON lines with request ids and no secret", async () => {
  const headers = { "content-type": "application/json", cookie: `pairpad_session=${SECRET_COOKIE}` };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${node.url}/api${path}`, { ...init, headers: { ...headers, ...(init.headers as object) } });
  const created = (await (
    await api("/sessions", { method: "POST", body: JSON.stringify({ title: "Logs", language: "python" }) })
  ).json()) as { id: string; interviewerToken: string };
  const token = created.interviewerToken;
  const auth = { authorization: `Bearer ${token}` };

  const input = encodeURIComponent(JSON.stringify({ id: created.id }));
  const seen: string[] = [];
  const source = new EventSource(`${node.url}/trpc/events.session?input=${input}`);
  source.onmessage = (message) => seen.push((JSON.parse(message.data) as { type: string }).type);

  // The interviewer joins with the token in the URL (where proxies would log it), and types code.
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${node.url.replace("http", "ws")}/ws/sessions`, created.id, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token },
  });
  await eventually(() => expect(provider.synced).toBe(true), 30_000);
  doc.getText("code").insert(0, `print("${SECRET_CODE}")\nprint(input())\n`);

  // A malformed frame on another socket: logged as a warning naming the session.
  const raw = new WebSocket(`${node.url.replace("http", "ws")}/ws/sessions/${created.id}`);
  await new Promise((resolve) => (raw.onopen = resolve));
  raw.send(new Uint8Array([250, 250, 250, 250]));
  await new Promise((resolve) => (raw.onclose = resolve));

  expect((await api(`/sessions/${created.id}?token=${SECRET_QUERY}`)).status).toBe(200);
  const run = await api("/execute", {
    method: "POST",
    body: JSON.stringify({
      language: "python",
      code: `print("${SECRET_CODE}")\nprint(input())`,
      stdin: `${SECRET_STDIN}\n`,
      sessionId: created.id,
    }),
  });
  expect(await run.json()).toMatchObject({ status: "ok", stdout: `${SECRET_CODE}\n${SECRET_STDIN}\n` });
  await eventually(async () => {
    const code = (await (await api(`/sessions/${created.id}/code`)).json()) as { code: string };
    expect(code.code).toContain(SECRET_CODE);
  });
  const saved = await api(`/sessions/${created.id}/code`, {
    method: "POST",
    body: JSON.stringify({ label: "v1" }),
  });
  expect(saved.ok).toBe(true);
  expect((await api(`/sessions/${created.id}/history`)).status).toBe(200);
  const patched = await api(`/sessions/${created.id}`, {
    method: "PATCH",
    headers: auth,
    body: JSON.stringify({ title: "Logs, renamed" }),
  });
  expect(patched.status).toBe(200);
  await eventually(() => expect(seen).toContain("run-finished"));
  const deleted = await api(`/sessions/${created.id}`, { method: "DELETE", headers: auth });
  expect(deleted.status).toBeLessThan(300);
  source.close();
  provider.destroy();

  // Another session's run outlasts the shutdown's deadline.
  const other = (await (
    await api("/sessions", { method: "POST", body: JSON.stringify({ title: "Late", language: "python" }) })
  ).json()) as { id: string };
  const late = api("/execute", {
    method: "POST",
    body: JSON.stringify({
      language: "python",
      code: `import time\ntime.sleep(60) # ${SECRET_CODE}`,
      sessionId: other.id,
    }),
  });
  await eventually(async () => {
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(metrics).toMatch(/^pairpad_runs_active 1$/m);
  }, 30_000);
  const stopped = node.terminate();
  const lateRun = (await (await late).json()) as { runId: string };
  expect(await stopped).toBe(0);

  const lines = node.logs;
  expect(lines.length).toBeGreaterThan(10);
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const entry of entries) {
    expect(typeof entry.time).toBe("string");
    expect(["debug", "info", "warn", "error"]).toContain(entry.level as string);
  }
  const requests = entries.filter((e) => e.message === "request");
  expect(requests.length).toBeGreaterThan(5);
  for (const request of requests) expect(String(request.requestId).length).toBeGreaterThan(8);
  expect(
    entries.some((e) => e.level === "debug" && e.message === "run finished" && e.sessionId === created.id),
  ).toBe(true);
  expect(entries.find((e) => e.message === "malformed message, socket closed")?.sessionId).toBe(created.id);
  expect(entries.find((e) => e.message === "listening")?.publicUrl).toBe("http://pairpad.example.com");

  // Every warning and error about a session names it; about a run, names the run too.
  const problems = entries.filter((e) => e.level === "warn" || e.level === "error");
  expect(problems.map((e) => e.message)).toContain("run cancelled: the server is shutting down");
  for (const entry of problems.filter((e) => !nodeLevel.has(String(e.message)))) {
    expect({ entry, named: typeof entry.sessionId === "string" }).toMatchObject({ named: true });
    if (/\brun\b/.test(String(entry.message))) {
      expect({ entry, named: typeof entry.runId === "string" }).toMatchObject({ named: true });
    }
  }
  expect(problems.find((e) => e.message === "run cancelled: the server is shutting down")).toMatchObject({
    sessionId: other.id,
    runId: lateRun.runId,
  });

  const everything = lines.join("\n");
  for (const secret of [token, SECRET_CODE, SECRET_STDIN, SECRET_COOKIE, SECRET_QUERY]) {
    expect(everything.includes(secret) ? `found ${secret}` : "absent").toBe("absent");
  }
});

/**
 * Warning and error call sites about the node (its bus, its database, its executor) or a workspace
 * rather than one session. A new call site either names its session or is added here, knowingly.
 */
const nodeLevelCallSites = new Set([
  "not ready",
  "room server could not join the bus",
  "could not reach the other nodes",
  "unreadable control message",
  "database thread restarted",
  "database thread died; restarting it",
  "sweep failed",
  "unhandled server error",
  "sandbox slot could not be released",
  "sandbox background task failed",
  "docker executor: no tmpfs per run; /box is a plain directory",
  // About a workspace's invitation, not a session.
  "SMTP_URL is set without PUBLIC_URL: invitation emails link to this node's own address",
  "invitation email not sent; the link is still shown to the inviter",
  "invitation mailer threw",
  // About an account's address (a verification link, a sign-up with a taken address), not a session.
  "account email not sent",
  "account email budget unavailable; sending anyway",
  // One address's hourly budget spent (logged without it), not a session.
  "account emails to one address past the hourly budget; the rest of its hour is not sent",
  "shutdown deadline reached; ending the runs in flight as cancelled",
  // Every event stream of the node, whichever sessions they follow.
  "event streams not finished at the cap; cutting them",
  // Every connection of the node still taking in its response.
  "responses not written out at the cap; closing their connections",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the call site's template, as written
  "auth: ${message}",
  // Accounts and workspaces (better-auth's endpoints), not a session.
  "auth: request failed",
]);
/**
 * Call sites whose fields are built beside them (`logged`: the request, session and run ids). The
 * executors' spread `request.log`, the session and run ids their callers pass.
 */
const builtFields = new Set([
  "run ended with an internal error",
  "run cancelled: the server is shutting down",
]);

test("every warning and error call site names its session, and its run when it is about one", async () => {
  const root = join(import.meta.dir, "../../..");
  const files = [
    ...new Bun.Glob("apps/server/src/**/*.ts").scanSync(root),
    ...new Bun.Glob("packages/api/src/**/*.ts").scanSync(root),
  ].filter((file) => !file.endsWith(".test.ts"));
  const unnamed: string[] = [];
  let sites = 0;
  for (const file of files) {
    const text = await Bun.file(join(root, file)).text();
    for (const match of text.matchAll(/logger\??\.(warn|error)\(/g)) {
      // The call's text, up to its closing parenthesis.
      let depth = 0;
      let end = match.index + match[0].length - 1;
      for (; end < text.length; end++) {
        if (text[end] === "(") depth++;
        else if (text[end] === ")" && --depth === 0) break;
      }
      const call = text.slice(match.index, end + 1);
      const literals = [...call.matchAll(/["`]([^"`]*)["`]/g)].map((m) => m[1] as string);
      const message = literals.find((l) => l.includes(" ")) ?? call;
      sites++;
      if (literals.some((l) => nodeLevelCallSites.has(l) || builtFields.has(l))) continue;
      const names = /\bsessionId\b|\bnamesOf\(|\.\.\.request\.log\b/.test(call);
      const namesRun = /\brunId\b|\bnamesOf\(|\.\.\.request\.log\b/.test(call);
      if (!names || (/\brun\b/.test(message) && !namesRun)) unnamed.push(`${file}: ${message}`);
    }
  }
  expect(sites).toBeGreaterThan(30);
  expect(unnamed).toEqual([]);
});
