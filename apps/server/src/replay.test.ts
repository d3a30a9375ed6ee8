import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Replayer } from "@pairpad/api/playback/replayer";
import { decodeTimeline, type TimelinePage, type TimelineUpdate } from "@pairpad/api/playback/timeline";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { WebsocketProvider } from "y-websocket";
import type { RunningServer } from "./main.ts";
import { connectProvider, eventually, startTestServer } from "./testing.ts";

/**
 * Exact replay: a scripted interview through the real server, then the recorded timeline rebuilt
 * at the instants the clients were observed must equal what they held.
 */
for (const target of testDatabaseTargets()) {
  describe(`replay of a recorded session (${target.name})`, () => {
    let server: RunningServer;
    const providers: WebsocketProvider[] = [];
    beforeAll(async () => {
      server = await startTestServer(target);
    });
    afterAll(async () => {
      for (const p of providers) p.destroy();
      await server.stop();
    });

    const connect = (id: string, name: string, params: Record<string, string> = {}) => {
      const connection = connectProvider(server, id, name, params);
      providers.push(connection.provider);
      return connection;
    };
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}/api${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });

    test("the timeline rebuilt at several instants equals what the clients held", async () => {
      const session = (await (await post("/sessions", { language: "javascript" })).json()) as {
        id: string;
        interviewerToken: string;
      };
      const interviewer = connect(session.id, "Ivy", { token: session.interviewerToken });
      const candidate = connect(session.id, "Carl");
      const observed: Array<{ at: number; code: string; language: string | null }> = [];
      const settle = async () => {
        await eventually(() => {
          expect(candidate.text.toString()).toBe(interviewer.text.toString());
          expect(candidate.meta.get("language")).toBe(interviewer.meta.get("language"));
        });
        await Bun.sleep(15);
        observed.push({
          at: Date.now(),
          code: candidate.text.toString(),
          language: String(candidate.meta.get("language")),
        });
        await Bun.sleep(15);
      };

      // Timed keystrokes from both sides.
      for (const ch of "function add(a, b) {") {
        candidate.text.insert(candidate.text.length, ch);
        await Bun.sleep(2);
      }
      await settle();
      interviewer.text.insert(interviewer.text.length, "\n  // handle big numbers?\n");
      await settle();
      candidate.text.insert(candidate.text.length, "  return a + b;\n}\nconsole.log(add(2, 3));\n");
      await settle();
      const snapshot = (await (
        await post(`/sessions/${session.id}/code`, { label: "first version" })
      ).json()) as {
        id: string;
      };
      // A language switch in the document, and a run.
      candidate.meta.set("language", "typescript");
      await settle();
      const run = await post("/execute", {
        language: "typescript",
        code: candidate.text.toString(),
        sessionId: session.id,
      });
      expect(await run.json()).toMatchObject({ status: "ok", stdout: "5\n" });
      candidate.text.delete(0, 8);
      candidate.text.insert(0, "const add = ");
      await settle();
      // The interviewer restores the snapshot for everyone.
      expect(
        (await post(`/sessions/${session.id}/snapshots/${snapshot.id}/restore`, {}, session.interviewerToken))
          .status,
      ).toBe(200);
      await settle();
      expect(observed.at(-1)).toMatchObject({ code: observed[2]?.code, language: "javascript" });

      // The recording is flushed within 250 ms; read the whole timeline, page by page.
      const timeline = async () => {
        const updates: TimelineUpdate[] = [];
        const markers: TimelinePage["markers"] = [];
        let cursor: number | undefined;
        do {
          const query = new URLSearchParams({ limit: "50", ...(cursor ? { cursor: String(cursor) } : {}) });
          const response = await fetch(`${server.url}/api/sessions/${session.id}/playback?${query}`, {
            headers: { authorization: `Bearer ${session.interviewerToken}` },
          });
          expect(response.status).toBe(200);
          const page = (await response.json()) as TimelinePage;
          updates.push(...decodeTimeline(page));
          markers.push(...page.markers);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        return { updates, markers };
      };
      const recorded = await eventually(async () => {
        const t = await timeline();
        const replayer = new Replayer(t.updates, 16);
        const now = replayer.at(Date.now());
        const last = observed.at(-1);
        expect({ code: now.code, language: now.language }).toEqual({
          code: last?.code ?? "",
          language: last?.language ?? null,
        });
        return t;
      });

      const replayer = new Replayer(recorded.updates, 16);
      // Rebuilt at each instant, in a scrambled order: forwards, backwards, and again.
      for (const index of [0, 3, 1, 5, 2, 4, 0, 5]) {
        const instant = observed[index];
        if (!instant) throw new Error("missing observation");
        const state = replayer.at(instant.at);
        expect({ index, code: state.code, language: state.language }).toEqual({
          index,
          code: instant.code,
          language: instant.language,
        });
      }
      // Authors as their awareness names; the interviewer's REST restore as "interviewer".
      const actors = new Set(recorded.updates.map((u) => u.actor).filter((a) => a !== null));
      expect(actors).toEqual(new Set(["Carl", "Ivy", "interviewer"]));
      const kinds = recorded.markers.map((m) => m.kind);
      for (const kind of ["join", "snapshot", "language", "run", "restore"] as const)
        expect(kinds).toContain(kind);
      const runMarker = recorded.markers.find((m) => m.kind === "run");
      expect(runMarker?.payload).toMatchObject({ status: "ok", stdout: "5\n" });
    });
  });
}
