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
});

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
  expect(await node.terminate()).toBe(0);

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

  const everything = lines.join("\n");
  for (const secret of [token, SECRET_CODE, SECRET_STDIN, SECRET_COOKIE, SECRET_QUERY]) {
    expect(everything.includes(secret) ? `found ${secret}` : "absent").toBe("absent");
  }
});
