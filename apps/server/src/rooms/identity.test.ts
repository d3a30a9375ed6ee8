import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { AppRouter } from "@pairpad/api";
import type { LanguageId } from "@pairpad/api/execution/executor";
import { decodeTimeline, type TimelinePage } from "@pairpad/api/playback/timeline";
import { issueSocketTicket } from "@pairpad/api/session/tickets";
import { documentUpdates, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { eq } from "drizzle-orm";
import type { RunningServer } from "../main.ts";
import { connectProvider, eventually, handledSoFar, startTestServer } from "../testing.ts";
import { CloseCode } from "./close-codes.ts";
import { awarenessMessage, rawSocket } from "./test-support.ts";

setDefaultTimeout(60_000);

interface Created {
  id: string;
  interviewerToken: string;
  candidateUrl: string;
  observerUrl: string;
}

interface Entry {
  kind: string;
  actor: string | null;
  payload: { role?: string | null; label?: string | null; code?: string | null };
}

type Attribution = [kind: string, what: string, actor: string | null, role: string | null | undefined];
const inOrder = (list: Attribution[]) => list.sort((a, b) => a.join(" ").localeCompare(b.join(" ")));

/** Who did what, as a replay reads it: what was saved or run, the name given, the server's role. */
const attributed = (entries: Entry[]) =>
  inOrder(
    entries
      .filter((e) => e.kind === "snapshot" || e.kind === "run" || e.kind === "test_run")
      .map((e) => [e.kind, e.payload.label ?? e.payload.code ?? "", e.actor, e.payload.role]),
  );

for (const target of testDatabaseTargets()) {
  describe(`who is who: the server's roles and the observer capability (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(target);
    });
    afterAll(async () => {
      await server.stop();
    });

    const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api${path}`, init);
    const create = async () =>
      (await (
        await api("/sessions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Observed", language: "python" }),
        })
      ).json()) as Created;

    test("an observer link has its own id: it watches read-only and leads to no candidate link", async () => {
      const session = await create();
      const observerId = new URL(session.observerUrl).pathname.replace("/watch/", "");
      expect(session.observerUrl).toBe(`${new URL(session.candidateUrl).origin}/watch/${observerId}`);
      expect(session.observerUrl).not.toContain(session.id);
      expect(observerId).not.toContain(session.id);
      // GET of the session returns the same link; GET of the observer link shows no session id.
      const got = (await (await api(`/sessions/${session.id}`)).json()) as Created;
      expect(got.observerUrl).toBe(session.observerUrl);
      const watched = await api(`/watch/${observerId}`);
      expect(watched.status).toBe(200);
      const view = await watched.text();
      expect(JSON.parse(view)).toMatchObject({
        observerId,
        title: "Observed",
        language: "python",
        status: "active",
      });
      expect(view).not.toContain(session.id);
      expect((await api(`/watch/${"A".repeat(24)}`)).status).toBe(404);

      const candidate = connectProvider(server, session.id, "Carl");
      const observer = connectProvider(server, observerId, "Olga");
      // With the interviewer's token on the observer link it is still an observer.
      const sneaky = connectProvider(server, observerId, "Sly", { token: session.interviewerToken });
      try {
        await eventually(() => {
          expect(candidate.provider.synced).toBe(true);
          expect(observer.provider.synced).toBe(true);
          expect(sneaky.provider.synced).toBe(true);
        });
        candidate.text.insert(0, "print(1)");
        await eventually(() => expect(observer.text.toString()).toBe("print(1)"));
        observer.text.insert(0, "observer was here ");
        sneaky.text.insert(0, "sneaky ");
        candidate.text.insert(8, "\n");
        await eventually(() => expect(observer.text.toString()).toContain("\n"));
        const code = (await (await api(`/sessions/${session.id}/code`)).json()) as { code: string };
        expect(code.code).toBe("print(1)\n");
        const participants = (await (
          await api(`/sessions/${session.id}/participants`, {
            headers: { authorization: `Bearer ${session.interviewerToken}` },
          })
        ).json()) as { participants: Array<{ name: string; role: string }> };
        expect(participants.participants.map((p) => [p.name, p.role]).sort()).toEqual([
          ["Carl", "candidate"],
          ["Olga", "observer"],
          ["Sly", "observer"],
        ]);
        // Events and history read through the observer id too (what the observer page uses).
        expect((await api(`/sessions/${observerId}/history?limit=1`)).status).toBe(200);
        expect((await api(`/sessions/${observerId}/snapshots`)).status).toBe(200);
        // Nothing that writes takes the observer id.
        const save = await api(`/sessions/${observerId}/code`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        expect(save.status).toBe(400);
      } finally {
        candidate.provider.destroy();
        observer.provider.destroy();
        sneaky.provider.destroy();
      }
      // Old observer links (the candidate link plus `?role=observer`) still watch, read-only.
      const old = connectProvider(server, session.id, "Old", { role: "observer" });
      try {
        await eventually(() => expect(old.text.toString()).toBe("print(1)\n"));
        old.text.insert(0, "old ");
        await handledSoFar(old.provider);
        expect(((await (await api(`/sessions/${session.id}/code`)).json()) as { code: string }).code).toBe(
          "print(1)\n",
        );
      } finally {
        old.provider.destroy();
      }
      // What the rooms refused is counted in /metrics (bad rows among it).
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain("pairpad_update_log_rejected_rows_total 0");
      expect(metrics).toMatch(/pairpad_ws_refused_total\{reason="awareness_too_large"\} \d+/);
      // An unknown observer id is refused like an unknown session.
      const unknown = await rawSocket(`${server.url.replace("http", "ws")}/ws/sessions/${"B".repeat(24)}`);
      expect((await unknown.closed).code).toBe(CloseCode.notFound);
    });

    test("snapshots and runs record the caller's role, whatever author or runBy it gives (REST and tRPC)", async () => {
      const session = await create();
      const asInterviewer = { authorization: `Bearer ${session.interviewerToken}` };
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        api(path, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(body),
        });
      const trpc = (headers: Record<string, string> = {}) =>
        createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc`, headers })] });
      const candidate = trpc();
      const interviewer = trpc(asInterviewer);
      const { languages } = (await (await api("/languages")).json()) as {
        languages: Array<{ id: string; available: boolean }>;
      };
      const can = (id: string) => languages.some((l) => l.id === id && l.available);
      const language: LanguageId | null = can("python") ? "python" : can("javascript") ? "javascript" : null;
      if (!language) throw new Error("This server can run neither Python nor JavaScript");
      const program = (said: string) =>
        language === "python" ? `print("${said}")` : `console.log("${said}")`;

      // The candidate (the candidate link: no token) names the interviewer, as does the interviewer.
      const snapshot = (label: string) => ({ code: "x = 1\n", label, author: "Ivy" });
      const run = (said: string) => ({ language, code: program(said), sessionId: session.id, runBy: "Ivy" });
      expect((await post(`/sessions/${session.id}/code`, snapshot("rest candidate"))).status).toBe(200);
      await candidate.code.save.mutate({ id: session.id, ...snapshot("trpc candidate") });
      expect(
        (await post(`/sessions/${session.id}/code`, snapshot("rest interviewer"), asInterviewer)).status,
      ).toBe(200);
      await interviewer.code.save.mutate({ id: session.id, ...snapshot("trpc interviewer") });
      expect(await (await post("/execute", run("rest candidate"))).json()).toMatchObject({ status: "ok" });
      expect(await candidate.execute.run.mutate(run("trpc candidate"))).toMatchObject({ status: "ok" });
      expect(await (await post("/execute", run("rest interviewer"), asInterviewer)).json()).toMatchObject({
        status: "ok",
      });
      expect(await interviewer.execute.run.mutate(run("trpc interviewer"))).toMatchObject({ status: "ok" });
      // Test runs against the session's question: runBy names the interviewer there too.
      const question = (await (
        await post(
          "/questions",
          { title: "Echo", prompt: "Print 3.", tests: [{ id: "three", stdin: "", expected: "3\n" }] },
          asInterviewer,
        )
      ).json()) as { id: string };
      const picked = await api(`/sessions/${session.id}/question`, {
        method: "PUT",
        headers: { "content-type": "application/json", ...asInterviewer },
        body: JSON.stringify({ questionId: question.id }),
      });
      expect(picked.status).toBe(200);
      const tests = (said: string) => ({ language, code: program(said), runBy: "Ivy" });
      expect((await post(`/sessions/${session.id}/test-runs`, tests("rest candidate"))).status).toBe(200);
      await candidate.testRun.run.mutate({ id: session.id, ...tests("trpc candidate") });
      expect(
        (await post(`/sessions/${session.id}/test-runs`, tests("rest interviewer"), asInterviewer)).status,
      ).toBe(200);
      await interviewer.testRun.run.mutate({ id: session.id, ...tests("trpc interviewer") });

      // Every entry is "Ivy" by name; the role tells the candidate's from the interviewer's.
      const expected = inOrder(
        ["snapshot", "run", "test_run"].flatMap((kind) =>
          ["rest", "trpc"].flatMap((via) =>
            ["candidate", "interviewer"].map((role): Attribution => {
              // A test run's entry holds the verdict, not the code.
              const what =
                kind === "snapshot" ? `${via} ${role}` : kind === "run" ? program(`${via} ${role}`) : "";
              return [kind, what, "Ivy", role];
            }),
          ),
        ),
      );
      // The history (REST and tRPC) and the replay's markers (REST and tRPC), read by the interviewer.
      const restHistory = (await (
        await api(`/sessions/${session.id}/history?limit=50`, { headers: asInterviewer })
      ).json()) as { items: Entry[] };
      expect(attributed(restHistory.items)).toEqual(expected);
      const trpcHistory = await interviewer.history.list.query({ id: session.id, limit: 50 });
      expect(attributed(trpcHistory.items)).toEqual(expected);
      const restPlayback = (await (
        await api(`/sessions/${session.id}/playback`, { headers: asInterviewer })
      ).json()) as TimelinePage;
      expect(attributed(restPlayback.markers as Entry[])).toEqual(expected);
      const trpcPlayback = await interviewer.playback.timeline.query({ id: session.id });
      expect(attributed(trpcPlayback.markers)).toEqual(expected);
    });

    test("the interviewer joins with a short-lived ticket: the token stays out of the socket URL", async () => {
      const session = await create();
      const ticketOf = (headers: Record<string, string>) =>
        api(`/sessions/${session.id}/socket-ticket`, { method: "POST", headers });
      expect((await ticketOf({})).status).toBe(401);
      const issued = await ticketOf({ authorization: `Bearer ${session.interviewerToken}` });
      expect(issued.status).toBe(200);
      const { ticket, expiresAt } = (await issued.json()) as { ticket: string; expiresAt: string };
      expect(ticket).not.toContain(session.interviewerToken);
      expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
      // The standard client, unchanged, with `?ticket=`.
      const interviewer = connectProvider(server, session.id, "Ines", { ticket });
      try {
        await eventually(async () => {
          const list = (await (await api(`/sessions/${session.id}/participants`)).json()) as {
            participants: Array<{ name: string; role: string }>;
          };
          expect(list.participants.map((p) => [p.name, p.role])).toEqual([["Ines", "interviewer"]]);
        });
      } finally {
        interviewer.provider.destroy();
      }
      const ws = (query: string) =>
        rawSocket(`${server.url.replace("http", "ws")}/ws/sessions/${session.id}?${query}`);
      // Another session's ticket, a forged one and an expired one are refused (permanent: 4403).
      const other = await create();
      const otherTicket = (await (
        await api(`/sessions/${other.id}/socket-ticket`, {
          method: "POST",
          headers: { authorization: `Bearer ${other.interviewerToken}` },
        })
      ).json()) as { ticket: string };
      const [row] = await server.deps.db.select().from(sessions).where(eq(sessions.id, session.id));
      const expired = issueSocketTicket(row as NonNullable<typeof row>, new Date(Date.now() - 3_600_000));
      for (const bad of [otherTicket.ticket, `${ticket}x`, "x.y", expired.ticket]) {
        const socket = await ws(`ticket=${encodeURIComponent(bad)}`);
        expect((await socket.closed).code).toBe(CloseCode.badToken);
      }
    });

    test("a candidate who claims the interviewer's role and name is shown and recorded as a candidate", async () => {
      const session = await create();
      const interviewer = connectProvider(server, session.id, "Ivy", { token: session.interviewerToken });
      interviewer.provider.awareness.setLocalStateField("user", {
        name: "Ivy",
        color: "#3f51b5",
        role: "interviewer",
      });
      const mallory = connectProvider(server, session.id, "Ivy");
      mallory.provider.awareness.setLocalStateField("user", {
        name: "Ivy",
        color: "#3f51b5",
        role: "interviewer",
      });
      try {
        await eventually(() => expect(mallory.provider.synced && interviewer.provider.synced).toBe(true));
        // What the interviewer's participants panel reads: the others' awareness, role from the server.
        await eventually(() => {
          const others = [...interviewer.provider.awareness.getStates()]
            .filter(([id]) => id !== interviewer.doc.clientID)
            .map(([, state]) => state.user);
          expect(others).toEqual([{ name: "Ivy", color: "#3f51b5", role: "candidate" }]);
        });
        interviewer.text.insert(0, "# interviewer\n");
        await eventually(() => expect(mallory.text.toString()).toContain("interviewer"));
        mallory.text.insert(mallory.text.length, "candidate()\n");
        await eventually(() => expect(interviewer.text.toString()).toContain("candidate()"));
        // Each logged update carries the server's identity of its sender.
        await eventually(async () => {
          const rows = await server.deps.db
            .select({
              actor: documentUpdates.actor,
              role: documentUpdates.role,
              connection: documentUpdates.connectionId,
            })
            .from(documentUpdates)
            .where(eq(documentUpdates.sessionId, session.id));
          const byRole = new Map(rows.filter((r) => r.actor === "Ivy").map((r) => [r.role, r.connection]));
          expect([...byRole.keys()].sort()).toEqual(["candidate", "interviewer"]);
          expect(byRole.get("candidate")).not.toBe(byRole.get("interviewer"));
        });
        // The replay tells the two apart.
        const page = (await (
          await api(`/sessions/${session.id}/playback`, {
            headers: { authorization: `Bearer ${session.interviewerToken}` },
          })
        ).json()) as TimelinePage;
        const authors = decodeTimeline(page)
          .filter((u) => u.actor === "Ivy")
          .map((u) => u.role);
        expect(new Set(authors)).toEqual(new Set(["interviewer", "candidate"]));

        // The candidate tries to take over the interviewer's entry: a newer clock for the
        // interviewer's client id (renamed, then removed). Neither takes effect.
        const ivy = interviewer.doc.clientID;
        const clock = interviewer.provider.awareness.meta.get(ivy)?.clock ?? 0;
        const spoof = (entries: Array<[number, number, unknown]>) =>
          mallory.provider.ws?.send(awarenessMessage(entries));
        spoof([[ivy, clock + 5, { user: { name: "Mallory", color: "#ff0000" } }]]);
        spoof([[ivy, clock + 6, null]]);
        // Frames of one socket are handled in order: once this is seen, the spoofs were handled.
        mallory.provider.awareness.setLocalStateField("user", { name: "Ivy!", color: "#3f51b5" });
        await eventually(() =>
          expect(interviewer.provider.awareness.getStates().get(mallory.doc.clientID)?.user?.name).toBe(
            "Ivy!",
          ),
        );
        const joiner = connectProvider(server, session.id, "Late", { role: "observer" });
        try {
          await eventually(() => {
            expect(joiner.provider.awareness.getStates().get(mallory.doc.clientID)).toBeDefined();
            expect(joiner.provider.awareness.getStates().get(ivy)?.user).toEqual({
              name: "Ivy",
              color: "#3f51b5",
              role: "interviewer",
            });
          });
          expect(interviewer.provider.awareness.getLocalState()?.user?.name).toBe("Ivy");
          // The interviewer's edits are still logged under the interviewer's name.
          interviewer.text.insert(0, "# still me\n");
          await eventually(async () => {
            const rows = await server.deps.db
              .select({ actor: documentUpdates.actor, role: documentUpdates.role })
              .from(documentUpdates)
              .where(eq(documentUpdates.sessionId, session.id));
            expect(rows.filter((r) => r.role === "interviewer").map((r) => r.actor)).toEqual(
              expect.arrayContaining(["Ivy"]),
            );
            expect(rows.filter((r) => r.role === "interviewer").every((r) => r.actor === "Ivy")).toBe(true);
          });
        } finally {
          joiner.provider.destroy();
        }
      } finally {
        interviewer.provider.destroy();
        mallory.provider.destroy();
      }
    });
  });
}
