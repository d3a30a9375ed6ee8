import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Replayer } from "@pairpad/api/playback/replayer";
import { decodeTimeline, type TimelinePage, type TimelineUpdate } from "@pairpad/api/playback/timeline";
import { testDatabaseTargets } from "@pairpad/db/testing";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { RunningServer } from "../main.ts";
import { connectProvider, eventually, startTestServer } from "../testing.ts";
import { CloseCode } from "./close-codes.ts";
import { rawSocket } from "./test-support.ts";

setDefaultTimeout(120_000);

const MAX_DOCUMENT_BYTES = 64 * 1024;

function syncFrame(sub: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return new Uint8Array(encoding.toUint8Array(encoder));
}
const updateFrame = (update: Uint8Array) => syncFrame(2, update);
const step2Frame = (update: Uint8Array) => syncFrame(1, update);
/** Sync step 1 with an empty state vector: the server answers with step 2, after what came before. */
const step1Frame = syncFrame(0, Uint8Array.of(0));

/**
 * Every way to damage an update: cut at each length, extended, and each byte with a bit flipped
 * (low, middle and high bit), which covers the struct count, client, clock, info, origins,
 * content and the delete set.
 */
function mutantsOf(update: Uint8Array): Uint8Array[] {
  const mutants: Uint8Array[] = [];
  for (let length = 0; length < update.length; length++) mutants.push(update.slice(0, length));
  for (const tail of [[0], [1], [0x80], new Array(64).fill(0xff)])
    mutants.push(Uint8Array.from([...update, ...tail]));
  for (let i = 0; i < update.length; i++) {
    for (const bit of [0x01, 0x10, 0x80]) {
      const mutant = update.slice();
      mutant[i] = (mutant[i] as number) ^ bit;
      mutants.push(mutant);
    }
  }
  return mutants;
}

/** Sends one frame on a fresh socket; true when the server refused it (closed 4400). */
async function send(url: string, frame: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const { ws, closed } = await rawSocket(url);
  const answered = new Promise<void>((resolve) => {
    ws.addEventListener("message", (event) => {
      const data = new Uint8Array(event.data as ArrayBuffer);
      // Our sync step 1 answered: everything before it was handled.
      if (data[0] === 0 && data[1] === 1) resolve();
    });
  });
  ws.send(frame);
  ws.send(step1Frame);
  const outcome = await Promise.race([closed, answered.then(() => null)]);
  if (outcome === null) {
    ws.close();
    await closed;
    return false;
  }
  expect(outcome.code).toBe(CloseCode.malformed);
  return true;
}

for (const target of testDatabaseTargets()) {
  describe(`refused updates leave the document as it was (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      // Thousands of sockets from one client, one per refused update: no reconnect limit here.
      server = await startTestServer(target, {
        MAX_DOCUMENT_BYTES,
        WS_CONNECTS_PER_MINUTE_PER_CLIENT: 1_000_000,
      });
    });
    afterAll(async () => {
      await server.stop();
    });

    const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api${path}`, init);
    const createSession = async () =>
      (await (
        await api("/sessions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ language: "python" }),
        })
      ).json()) as { id: string; interviewerToken: string };

    /** GET /code, a fresh editor, the stored update log and the replay all hold what `editor` holds. */
    async function expectAllAgree(session: { id: string; interviewerToken: string }, editor: Y.Doc) {
      const expected = editor.getText("code").toString();
      await eventually(async () => {
        const code = (await (await api(`/sessions/${session.id}/code`)).json()) as { code: string };
        expect(code.code).toBe(expected);
      });
      const late = connectProvider(server, session.id, "Late");
      try {
        await eventually(() => expect(late.provider.synced).toBe(true));
        expect(late.text.toString()).toBe(expected);
        expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(editor));
      } finally {
        late.provider.destroy();
      }
      await eventually(async () => {
        const updates: TimelineUpdate[] = [];
        let cursor: number | null = null;
        do {
          const query: string = cursor === null ? "" : `?cursor=${cursor}`;
          const response = await api(`/sessions/${session.id}/playback${query}`, {
            headers: { authorization: `Bearer ${session.interviewerToken}` },
          });
          const page = (await response.json()) as TimelinePage;
          updates.push(...decodeTimeline(page));
          cursor = page.nextCursor;
        } while (cursor !== null);
        const logged = new Y.Doc();
        for (const u of updates) Y.applyUpdate(logged, u.update);
        expect(logged.getText("code").toString()).toBe(expected);
        expect(Y.encodeStateVector(logged)).toEqual(Y.encodeStateVector(editor));
        expect(new Replayer(updates, 16).at(Date.now()).code).toBe(expected);
      });
    }

    test("truncated, extended and bit-flipped updates are refused whole or applied whole", async () => {
      const session = await createSession();
      const editor = connectProvider(server, session.id, "Carl");
      try {
        await eventually(() => expect(editor.provider.synced).toBe(true));
        editor.text.insert(0, "def add(a, b):\n    return a + b\n");
        // An update with structs of two kinds and a non-empty delete set, made by another client.
        const other = new Y.Doc();
        Y.applyUpdate(other, Y.encodeStateAsUpdate(editor.doc));
        let damaged: Uint8Array | null = null;
        other.on("update", (u: Uint8Array) => {
          damaged = u;
        });
        other.transact(() => {
          other.getText("code").delete(4, 3);
          other.getText("code").insert(4, "sum");
          other.getMap("meta").set("note", { by: "fuzz", n: 1 });
        });
        const update = damaged as unknown as Uint8Array;
        // The case: the delete-set count of a valid update changed (here 1 → 2).
        expect(update.at(-1)).not.toBe(0);
        const url = `${server.url.replace("http", "ws")}/ws/sessions/${session.id}`;
        let refused = 0;
        const mutants = mutantsOf(update);
        for (const [i, mutant] of mutants.entries()) {
          // Alternate the two message kinds that carry updates.
          if (await send(url, i % 2 === 0 ? updateFrame(mutant) : step2Frame(mutant))) refused++;
        }
        // Most are refused; those that still read as a whole update (a flipped character, another
        // client id) are ordinary edits and must reach everyone like one.
        expect(refused).toBeGreaterThan(mutants.length / 2);
        await expectAllAgree(session, editor.doc);
        // The session still takes ordinary edits, and everything still agrees.
        editor.text.insert(0, "# ok\n");
        await expectAllAgree(session, editor.doc);
      } finally {
        editor.provider.destroy();
      }
    });

    test("refused large updates do not grow the document past its cap", async () => {
      const session = await createSession();
      const editor = connectProvider(server, session.id, "Carl");
      try {
        await eventually(() => expect(editor.provider.synced).toBe(true));
        editor.text.insert(0, "small");
        const url = `${server.url.replace("http", "ws")}/ws/sessions/${session.id}`;
        // Twenty updates just under the cap each, with the delete-set count changed from 0 to 1:
        // before the fix each one's text stayed in the document.
        for (let i = 0; i < 20; i++) {
          const attacker = new Y.Doc();
          let update: Uint8Array | null = null;
          attacker.on("update", (u: Uint8Array) => {
            update = u;
          });
          attacker.getText("code").insert(0, "x".repeat(MAX_DOCUMENT_BYTES / 2));
          const bad = (update as unknown as Uint8Array).slice();
          expect(bad.at(-1)).toBe(0);
          bad[bad.length - 1] = 1;
          expect(await send(url, updateFrame(bad))).toBe(true);
        }
        await expectAllAgree(session, editor.doc);
        expect(editor.text.toString()).toBe("small");
        // A writer who joins now can still write (no 4413 from a document grown by refused updates).
        const writer = connectProvider(server, session.id, "Wendy");
        try {
          await eventually(() => expect(writer.provider.synced).toBe(true));
          writer.text.insert(5, "!");
          await eventually(() => expect(editor.text.toString()).toBe("small!"));
          expect(writer.provider.wsconnected).toBe(true);
        } finally {
          writer.provider.destroy();
        }
      } finally {
        editor.provider.destroy();
      }
    });
  });
}
