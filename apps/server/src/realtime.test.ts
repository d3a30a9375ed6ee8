import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { WebsocketProvider } from "y-websocket";
import type { RunningServer } from "./main.ts";
import { connectProvider, eventually, handledSoFar, startTestServer } from "./testing.ts";

/** The whole server, as users reach it: REST to create, the standard y-websocket provider to edit. */
for (const target of testDatabaseTargets()) {
  describe(`live sessions through the full server (${target.name})`, () => {
    let server: RunningServer;
    const providers: WebsocketProvider[] = [];
    const connect = (id: string, name: string, params: Record<string, string> = {}) => {
      const connection = connectProvider(server, id, name, params);
      providers.push(connection.provider);
      return connection;
    };
    const api = async <T>(path: string, init?: RequestInit) =>
      (await (await fetch(`${server.url}/api${path}`, init)).json()) as T;
    const create = (language = "python") =>
      api<{ id: string; interviewerToken: string }>("/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ language }),
      });

    beforeAll(async () => {
      server = await startTestServer(target);
    });
    afterAll(async () => {
      for (const p of providers) p.destroy();
      await server.stop();
    });

    test("edits, language and presence flow between REST and two providers", async () => {
      const session = await create("python");
      const a = connect(session.id, "Ada");
      const b = connect(session.id, "Bob");
      a.text.insert(0, "print('hi')");
      await eventually(() => expect(b.text.toString()).toBe("print('hi')"));
      b.text.insert(b.text.length, "\nprint('bye')");
      await eventually(() => expect(a.text.toString()).toBe("print('hi')\nprint('bye')"));

      await eventually(async () => {
        const code = await api<{ code: string; language: string }>(`/sessions/${session.id}/code`);
        expect(code).toEqual({ code: "print('hi')\nprint('bye')", language: "python" });
      });
      await eventually(async () => {
        const { participants } = await api<{ participants: Array<{ name: string }> }>(
          `/sessions/${session.id}/participants`,
        );
        expect(participants.map((p) => p.name).sort()).toEqual(["Ada", "Bob"]);
      });

      // A language change through REST reaches the shared document; one in the document reaches the session.
      await fetch(`${server.url}/api/sessions/${session.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${session.interviewerToken}` },
        body: JSON.stringify({ language: "java" }),
      });
      await eventually(() => expect(b.doc.getMap("meta").get("language")).toBe("java"));
      a.doc.getMap("meta").set("language", "cpp");
      await eventually(async () => {
        expect((await api<{ language: string }>(`/sessions/${session.id}`)).language).toBe("cpp");
      });
    });

    test("a restore reaches every connected client as an ordinary change", async () => {
      const session = await create("javascript");
      const a = connect(session.id, "Ada");
      const b = connect(session.id, "Bob");
      a.text.insert(0, "let v = 1;");
      await eventually(() => expect(b.text.toString()).toBe("let v = 1;"));
      const snapshot = await api<{ id: string }>(`/sessions/${session.id}/code`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ label: "v1" }),
      });
      b.text.insert(b.text.length, " v = 2;");
      await eventually(() => expect(a.text.toString()).toBe("let v = 1; v = 2;"));
      const restored = await fetch(
        `${server.url}/api/sessions/${session.id}/snapshots/${snapshot.id}/restore`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${session.interviewerToken}` },
        },
      );
      expect(restored.status).toBe(200);
      await eventually(() => {
        expect(a.text.toString()).toBe("let v = 1;");
        expect(b.text.toString()).toBe("let v = 1;");
      });
      // Clients keep working after the restore.
      a.text.insert(0, "// ok\n");
      await eventually(() => expect(b.text.toString()).toBe("// ok\nlet v = 1;"));
      const history = await api<{ items: Array<{ kind: string }> }>(
        `/sessions/${session.id}/history?kind=restore`,
      );
      expect(history.items).toHaveLength(1);
    });

    test("ending the interview locks the document; deleting it disconnects everyone", async () => {
      const session = await create();
      const a = connect(session.id, "Ada");
      a.text.insert(0, "x = 1");
      const b = connect(session.id, "Bob");
      await eventually(() => expect(b.text.toString()).toBe("x = 1"));
      await fetch(`${server.url}/api/sessions/${session.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${session.interviewerToken}` },
        body: JSON.stringify({ status: "ended" }),
      });
      await eventually(() => expect(a.doc.getMap("meta").get("locked")).toBe(true));
      a.text.insert(5, " # late edit");
      await handledSoFar(a.provider);
      expect((await api<{ code: string }>(`/sessions/${session.id}/code`)).code).toBe("x = 1");

      const closed: number[] = [];
      for (const p of [a.provider, b.provider]) {
        p.on("connection-close", (event: CloseEvent | null) => {
          if (event) closed.push(event.code);
        });
      }
      await fetch(`${server.url}/api/sessions/${session.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${session.interviewerToken}` },
      });
      await eventually(() => expect(closed).toEqual([4410, 4410]));
    });
  });
}
