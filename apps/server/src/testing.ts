import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabaseTarget } from "@pairpad/db/testing";
import { getMetricsFromIterator } from "prom2javascript";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Env } from "./env.ts";
import { type RunningServer, startServer } from "./main.ts";
import { syncStep1Frame } from "./rooms/protocol.ts";

/** A real server on port 0 over a test database, with nothing read from the environment. */
export async function startTestServer(
  target: TestDatabaseTarget,
  overrides: Partial<Env> = {},
): Promise<RunningServer> {
  const database = await target.open();
  return startServer(
    {
      PORT: 0,
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      DATA_DIR: mkdtempSync(join(tmpdir(), "pairpad-")),
      ...overrides,
    },
    {},
    { database },
  );
}

/**
 * Polls until `assertion` stops throwing (or the timeout passes): instead of sleeps. The default is
 * retryableAssertion's: a few seconds are not much on a loaded 2-core CI machine.
 */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(intervalMs);
    }
  }
}

/** The standard y-websocket provider on a session, as a browser would connect, with a display name. */
export function connectProvider(
  server: RunningServer,
  sessionId: string,
  name: string,
  params: Record<string, string> = {},
) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace("http", "ws")}/ws/sessions`, sessionId, doc, {
    WebSocketPolyfill: WebSocket as never,
    params,
    // Same-process providers would otherwise sync over BroadcastChannel, bypassing the server.
    disableBc: true,
  });
  provider.awareness.setLocalStateField("user", { name, color: "#3f51b5", role: "candidate" });
  return { doc, provider, text: doc.getText("code"), meta: doc.getMap("meta") };
}

/**
 * Resolves once the server has handled every frame `provider` sent so far: it answers a sync step 1
 * on the same socket, in order, after them. The positive signal to wait for before checking that
 * something sent earlier was *not* taken (instead of sleeping and hoping it had arrived).
 */
export function handledSoFar(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  const ws = provider.ws;
  if (!ws) return Promise.reject(new Error("the provider has no socket"));
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      ws.removeEventListener("message", onMessage);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (event: MessageEvent) => {
      const data = new Uint8Array(event.data as ArrayBuffer);
      // Sync step 2: the answer (the provider applies it too, harmlessly).
      if (data[0] === 0 && data[1] === 1) done();
    };
    const timer = setTimeout(() => done(new Error("the server did not answer a sync step 1")), timeoutMs);
    ws.addEventListener("message", onMessage);
    ws.send(new Uint8Array(syncStep1Frame(Y.encodeStateVector(provider.doc))));
  });
}

/** A browser's cookie for one account: signs up (or in) through better-auth's HTTP endpoints. */
export async function signUp(
  server: RunningServer,
  account: { email: string; password?: string; name?: string },
): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({
      email: account.email,
      password: account.password ?? "correct horse battery",
      name: account.name ?? account.email.split("@")[0],
    }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  return cookieOf(response);
}

/** The `Cookie` header a browser would send back after this response. */
export function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((c) => !c?.endsWith("="))
    .join("; ");
}

/**
 * Collects the server's JSON log lines (warn and error go to stderr; with `stdout` too, info and
 * debug as well) into `lines` until the returned function is called; other output passes through.
 */
export function captureJsonLogs(
  lines: string[],
  streams: Array<NodeJS.WriteStream> = [process.stderr],
): () => void {
  const restores = streams.map((stream) => {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const line = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      if (line.startsWith("{")) {
        lines.push(line);
        return true;
      }
      return write(chunk, ...(rest as []));
    }) as typeof stream.write;
    return () => {
      stream.write = write;
    };
  });
  return () => {
    for (const restore of restores) restore();
  };
}

/**
 * A counter's or gauge's value in a server's /metrics for the series with exactly these labels
 * matched (parsed with a Prometheus text-format parser); undefined when the series is absent.
 */
export async function metricValue(
  server: { url: string },
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const families = await getMetricsFromIterator(text.split("\n")[Symbol.iterator]());
  const series = (families[name]?.data ?? []) as Array<{ labels: Record<string, string>; value?: number }>;
  return series.find((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value;
}
