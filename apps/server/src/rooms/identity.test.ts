import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { decodeTimeline, type TimelinePage } from "@pairpad/api/playback/timeline";
import { issueSocketTicket } from "@pairpad/api/session/tickets";
import { documentUpdates, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq } from "drizzle-orm";
import type { RunningServer } from "../main.ts";
import { connectProvider, eventually, startTestServer } from "../testing.ts";
import { CloseCode } from "./close-codes.ts";
import { rawSocket } from "./test-support.ts";

setDefaultTimeout(60_000);

interface Created {
  id: string;
  interviewerToken: string;
  candidateUrl: string;
  observerUrl: string;
}

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
        await Bun.sleep(50);
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
      } finally {
        interviewer.provider.destroy();
        mallory.provider.destroy();
      }
    });
  });
}
