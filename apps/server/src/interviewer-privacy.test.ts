import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { RunningServer } from "./main.ts";
import { eventually, startTestServer } from "./testing.ts";

const [pglite] = testDatabaseTargets();

/** Strings only an interviewer may ever receive; none may reach a candidate's or observer's bytes. */
const SECRETS = {
  hiddenInput: "4242 HIDDENINPUT",
  hiddenExpected: "HIDDENEXPECTED-8181",
  hiddenTestName: "SecretCaseName",
  reference: "REFERENCESOLUTION_6363",
  note: "NOTESECRET-candidate-seems-nervous",
  noteEdit: "NOTEEDIT-second-thoughts",
  comment: "SCORECOMMENT-excellent-recursion",
  summary: "SCORESUMMARY-hire-them",
  recommendation: "strong_yes",
  rubric: "RubricSecretItem",
  hiddenSeed: "HIDDENSEED_4711",
};

/** Everything one participant's side receives, as text (binary frames decoded with replacement). */
class Recorder {
  readonly chunks: string[] = [];
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });
  add(data: unknown) {
    if (typeof data === "string") this.chunks.push(data);
    else if (data instanceof ArrayBuffer) this.chunks.push(this.decoder.decode(new Uint8Array(data)));
    else if (ArrayBuffer.isView(data)) this.chunks.push(this.decoder.decode(data as Uint8Array));
    else this.chunks.push(String(data));
  }
  get text() {
    return this.chunks.join("\n");
  }
}

/** A y-websocket connection whose every received frame is recorded. */
function recordedProvider(
  server: RunningServer,
  sessionId: string,
  params: Record<string, string>,
  into: Recorder,
) {
  class RecordingSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", (event) => into.add(event.data));
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace("http", "ws")}/ws/sessions`, sessionId, doc, {
    WebSocketPolyfill: RecordingSocket as never,
    params,
    disableBc: true,
  });
  return { doc, provider };
}

/** An SSE event stream (the session's, or the interviewers' own), raw bytes recorded until `stop`. */
function recordedEvents(
  server: RunningServer,
  sessionId: string,
  into: Recorder,
  stream: "events.session" | "events.interviewer" = "events.session",
  token?: string,
) {
  const abort = new AbortController();
  const input = encodeURIComponent(JSON.stringify({ id: sessionId, lastEventId: "0" }));
  const done = (async () => {
    try {
      const response = await fetch(`${server.url}/trpc/${stream}?input=${input}`, {
        headers: { accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: abort.signal,
      });
      into.add(`HTTP ${response.status}`);
      const reader = response.body?.getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        into.add(chunk.value);
      }
    } catch {
      // aborted at the end
    }
  })();
  return { stop: () => abort.abort(), done };
}

describe("what candidates and observers receive never carries interviewer-only content", () => {
  let server: RunningServer;
  beforeAll(async () => {
    if (!pglite) throw new Error("no database");
    server = await startTestServer(pglite, {
      RUNS_PER_MINUTE_PER_SESSION: 1000,
      RUNS_PER_MINUTE_PER_CLIENT: 1000,
    });
  });
  afterAll(() => server.stop());

  const call = async (
    recorder: Recorder | null,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    recorder?.add(text);
    return { status: response.status, json: () => JSON.parse(text) };
  };

  test("a whole interview with notes, hidden tests, the reference solution and a scorecard", async () => {
    const candidate = new Recorder();
    const observer = new Recorder();
    const created = await call(null, "POST", "/api/sessions", { language: "python" });
    const session = created.json() as { id: string; interviewerToken: string; observerUrl: string };
    const token = session.interviewerToken;
    const id = session.id;

    // Both connect before anything happens, and stay for the whole interview.
    const candidateSocket = recordedProvider(server, id, {}, candidate);
    // The observer only has the observer link: its own id, not derivable into the session's.
    const observerId = new URL(session.observerUrl).pathname.replace("/watch/", "");
    expect(observerId).not.toBe(id);
    const observerSocket = recordedProvider(server, observerId, {}, observer);
    const candidateEvents = recordedEvents(server, id, candidate);
    const observerEvents = recordedEvents(server, observerId, observer);
    // They try the interviewers' own stream too: without a token, with a guessed one, and by observer id.
    const tried = [new Recorder(), new Recorder(), new Recorder(), new Recorder()] as const;
    const attempts = [
      recordedEvents(server, id, tried[0], "events.interviewer"),
      recordedEvents(server, id, tried[1], "events.interviewer", "guessed-token"),
      recordedEvents(server, observerId, tried[2], "events.interviewer"),
      recordedEvents(server, id, tried[3], "events.interviewer"),
    ];
    // A second interviewer watches the same stream: what it receives shows the channel works.
    const colleague = new Recorder();
    const colleagueEvents = recordedEvents(
      server,
      id,
      colleague,
      "events.interviewer",
      session.interviewerToken,
    );
    await eventually(() =>
      expect(candidateSocket.provider.synced && observerSocket.provider.synced).toBe(true),
    );

    const question = (
      await call(
        null,
        "POST",
        "/api/questions",
        {
          title: "Echo the sum",
          prompt: "Print a + b.",
          starterCode: { python: "# read a and b\n" },
          tests: [
            { id: "visible", stdin: "1 2\n", expected: "3\n" },
            {
              id: "secretcase",
              name: SECRETS.hiddenTestName,
              stdin: `${SECRETS.hiddenInput}\n`,
              expected: `${SECRETS.hiddenExpected}\n`,
              seed: `CREATE TABLE ${SECRETS.hiddenSeed} (x);`,
              visibility: "hidden",
            },
          ],
          referenceSolution: {
            language: "python",
            code: `# ${SECRETS.reference}\na, b = input().split()[:2]\nprint(int(a) + 0 if b.isdigit() else '${SECRETS.hiddenExpected}')`,
          },
          rubric: [{ id: "recursion", title: SECRETS.rubric }],
        },
        token,
      )
    ).json() as { id: string };

    await call(null, "PUT", `/api/sessions/${id}/question`, { questionId: question.id }, token);
    await eventually(() => expect(candidateSocket.doc.getText("code").toString()).toBe("# read a and b\n"));

    // The candidate's code passes the hidden test by computing its expected output (never spelling it
    // out: the code is public), so a leaked "actual" would show.
    const code =
      "a, b = input().split()[:2]\nprint(int(a) + int(b) if b.isdigit() else 'HIDDEN' + 'EXPECTED-' + str(int(a) * 2 - 303))";
    candidateSocket.doc.getText("code").delete(0, candidateSocket.doc.getText("code").length);
    candidateSocket.doc.getText("code").insert(0, code);
    await eventually(async () => {
      const live = (await call(null, "GET", `/api/sessions/${id}/code`)).json() as { code: string };
      expect(live.code).toBe(code);
    });

    // The interviewer's private work.
    const added = await call(
      null,
      "POST",
      `/api/sessions/${id}/notes`,
      { text: SECRETS.note, cursor: 12 },
      token,
    );
    const paragraphId = (added.json() as { paragraphs: Array<{ id: string }> }).paragraphs[0]?.id;
    await call(null, "PATCH", `/api/sessions/${id}/notes/${paragraphId}`, { text: SECRETS.noteEdit }, token);
    const hidden = await call(null, "POST", `/api/sessions/${id}/test-runs`, { scope: "hidden" }, token);
    expect(hidden.status).toBe(200);
    expect(JSON.stringify(hidden.json())).toContain(SECRETS.hiddenExpected);
    const reference = await call(
      null,
      "POST",
      `/api/sessions/${id}/test-runs`,
      { scope: "reference" },
      token,
    );
    expect(reference.status).toBe(200);
    const card = await call(
      null,
      "PUT",
      `/api/sessions/${id}/scorecard`,
      {
        ratings: [{ itemId: "recursion", rating: 4, comment: SECRETS.comment }],
        recommendation: SECRETS.recommendation,
        summary: SECRETS.summary,
      },
      token,
    );
    expect(card.status).toBe(200);

    // The candidate runs the public tests: that result is shared, so the streams are known to work.
    const mine = await call(candidate, "POST", `/api/sessions/${id}/test-runs`, { scope: "public" });
    expect(mine.status).toBe(200);
    const mineId = (mine.json() as { id: string }).id;
    await eventually(() => {
      expect(candidate.text).toContain(`"test-run-finished"`);
      expect(observer.text).toContain(mineId);
    }, 20_000);

    // Everything either of them can ask for, over REST and tRPC, with and without trying their luck.
    const document = (await call(null, "GET", "/api/openapi.json")).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const getsAs = (own: string) =>
      Object.entries(document.paths)
        .filter(([, operations]) => "get" in operations)
        .map(([path]) =>
          path
            .replace("{id}", own)
            .replace("{observerId}", observerId)
            .replace(/\{[^}]+\}/g, "x"),
        );
    expect(getsAs(id)).toContain(`/sessions/${id}/notes`);
    for (const [who, own] of [
      [candidate, id],
      [observer, observerId],
    ] as const) {
      for (const path of getsAs(own)) await call(who, "GET", `/api${path}`);
      for (const path of getsAs(own)) await call(who, "GET", `/api${path}`, undefined, "guessed-token");
      for (const procedure of [
        "sessionQuestion.get",
        "sessionQuestion.full",
        "testRun.list",
        "notes.get",
        "scorecard.get",
        "interviewerTimeline.markers",
        "history.list",
      ]) {
        const input = encodeURIComponent(JSON.stringify({ id: own }));
        await call(who, "GET", `/trpc/${procedure}?input=${input}`);
      }
      const denied = await call(who, "POST", `/api/sessions/${own}/test-runs`, { scope: "hidden" });
      expect(denied.status).toBeGreaterThanOrEqual(400);
    }

    // The second interviewer saw the notes, both private runs and the scorecard save, live.
    await eventually(() => {
      for (const expected of [
        SECRETS.note,
        SECRETS.noteEdit,
        `"private-test-run-finished"`,
        `"scorecard-saved"`,
      ]) {
        expect(colleague.text).toContain(expected);
      }
      expect(colleague.text).toContain(SECRETS.hiddenExpected);
    }, 20_000);
    // Refused before anything was subscribed to (tRPC's SSE answers 200, then the error as an event):
    // 401 without a token, 403 with a wrong one.
    const refusals = tried.map((t) => /"httpStatus":(\d+)/.exec(t.text)?.[1] ?? t.text.slice(0, 200));
    expect(refusals).toEqual(["401", "403", "401", "401"]);
    candidate.add(tried[0].text + tried[1].text);
    observer.add(tried[2].text + tried[3].text);

    for (const stream of [candidateEvents, observerEvents, colleagueEvents, ...attempts]) stream.stop();
    await Promise.all([
      candidateEvents.done,
      observerEvents.done,
      colleagueEvents.done,
      ...attempts.map((a) => a.done),
    ]);
    candidateSocket.provider.destroy();
    observerSocket.provider.destroy();

    for (const [who, recorder] of [
      ["candidate", candidate],
      ["observer", observer],
    ] as const) {
      const received = recorder.text;
      expect(received.length).toBeGreaterThan(1000);
      expect(received).toContain("Print a + b."); // the public prompt did arrive
      for (const [what, secret] of Object.entries(SECRETS)) {
        expect(received.includes(secret), `${who} received the ${what}`).toBe(false);
      }
      expect(received.includes("secretcase"), `${who} received the hidden test's id`).toBe(false);
    }
  }, 180_000);
});
