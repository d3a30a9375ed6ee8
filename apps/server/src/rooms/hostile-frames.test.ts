import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ClientOp, encodeTerminalFrame } from "@pairpad/api/terminal/protocol";
import type { Database } from "@pairpad/db/client";
import { historyEntries, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { and, asc, eq } from "drizzle-orm";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { LocalBus } from "../bus/local-bus.ts";
import type { RunningServer } from "../main.ts";
import { startTestServer } from "../testing.ts";
import { CloseCode } from "./close-codes.ts";
import {
  awarenessMessage,
  connect,
  createSession,
  type RoomNode,
  rawSocket,
  retryableAssertion,
  startRoomNode,
  synced,
} from "./test-support.ts";

setDefaultTimeout(60_000);

const MAX_PAYLOAD_BYTES = 16_000;

/** Resolves once the server answered a sync step 1 on `ws`: everything sent before it was handled. */
function roundTrip(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const data = new Uint8Array(event.data as ArrayBuffer);
      if (data[0] !== 0 || data[1] !== 1) return;
      ws.removeEventListener("message", onMessage);
      resolve();
    };
    ws.addEventListener("message", onMessage);
    ws.send(syncFrame(0, Uint8Array.of(0)));
  });
}

/** The update `edit` makes to `doc`'s code. */
function edit(doc: Y.Doc, change: (text: Y.Text) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc.getText("code"));
  return Y.encodeStateAsUpdate(doc, before);
}

/** What `edit` makes to a copy of `doc` written under another client's id. */
function editAs(doc: Y.Doc, clientId: number, change: (text: Y.Text) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  // Set after: Yjs gives a document a new id when an update brings structs of its own id.
  copy.clientID = clientId;
  return edit(copy, change);
}

function syncFrame(sub: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return new Uint8Array(encoding.toUint8Array(encoder));
}

/** Sync step 1 with a state vector that is not empty: the server encodes a diff for each. */
const step1WithState = syncFrame(0, Y.encodeStateVector(docWith("x")));
const queryAwareness = Uint8Array.of(3);
const terminalSubscribe = new Uint8Array(encodeTerminalFrame(ClientOp.subscribe, new Uint8Array(0)));

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText("code").insert(0, text);
  return doc;
}

/**
 * Sends `frame` `times` times on a fresh socket; resolves with how the socket was closed (null if it
 * was not) and how many answers came back before it.
 */
async function ask(url: string, frame: Uint8Array<ArrayBuffer>, times: number) {
  const { ws, closed } = await rawSocket(url);
  let answers = 0;
  ws.addEventListener("message", (event) => {
    const data = new Uint8Array(event.data as ArrayBuffer);
    // Sync step 2 (the document), an awareness update, or the terminal's screen (op 18: reset).
    if ((data[0] === 0 && data[1] === 1) || data[0] === 1 || (data[0] === 10 && data[1] === 18)) answers++;
  });
  for (let i = 0; i < times; i++) ws.send(frame);
  // Only a bound for a server that never closes it: generous, as a loaded 2-core machine can be slow.
  const outcome = await Promise.race([closed, Bun.sleep(20_000).then(() => null)]);
  if (!outcome) {
    ws.close();
    await closed;
  }
  return { closed: outcome, answers };
}

/**
 * A raw TCP connection that upgrades to a WebSocket and then sends the header of one binary frame
 * announcing `length` bytes and the first `sent` of them; resolves when the server closes it.
 */
async function partialFrame(url: string, length: number, sent: number) {
  const { hostname, port, pathname, search } = new URL(url);
  let closed!: () => void;
  const done = new Promise<void>((resolve) => {
    closed = resolve;
  });
  let upgraded!: () => void;
  const open = new Promise<void>((resolve) => {
    upgraded = resolve;
  });
  const socket = await Bun.connect({
    hostname,
    port: Number(port),
    socket: {
      data(_socket, data) {
        if (data.toString().startsWith("HTTP/1.1 101")) upgraded();
      },
      close: () => closed(),
      error: () => closed(),
    },
  });
  socket.write(
    `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  await open;
  // FIN + binary; masked, 64-bit length; mask 0 (the payload goes as it is).
  const header = Buffer.alloc(14);
  header[0] = 0x82;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  socket.write(header);
  socket.write(Buffer.alloc(sent));
  return { socket, closed: done };
}

for (const target of testDatabaseTargets())
  describe(`hostile frames on a room socket (${target.name})`, () => {
    let database: Database;
    let bus: LocalBus;
    let node: RoomNode;

    beforeAll(async () => {
      database = await target.open();
      bus = new LocalBus();
      node = await startRoomNode(database.db, bus, {
        maxPayloadBytes: MAX_PAYLOAD_BYTES,
        unloadGraceMs: 50,
      });
    });
    afterAll(async () => {
      await node.stop();
      await bus.close();
      await database.close();
    });

    for (const [kind, sub] of [
      ["an update", 2],
      ["a sync step 2", 1],
    ] as const)
      test(`a candidate cannot write ahead of the interviewer in the interviewer's name (${kind})`, async () => {
        const { id, token } = await createSession(database.db);
        // The interviewer, as a client whose next keystroke is on its way: its own document and socket.
        const interviewer = new Y.Doc();
        const { ws: mine } = await rawSocket(`${node.url}/${id}?token=${token}`);
        const { ws: theirs } = await rawSocket(`${node.url}/${id}`);
        try {
          mine.send(awarenessMessage([[interviewer.clientID, 1, { user: { name: "Ivy" } }]]));
          mine.send(
            syncFrame(
              2,
              edit(interviewer, (text) => text.insert(0, "hello")),
            ),
          );
          await roundTrip(mine);
          const seen = new Y.Doc();
          Y.applyUpdate(seen, Y.encodeStateAsUpdate(interviewer));
          const typed = edit(interviewer, (text) => text.insert(5, " world"));
          // The candidate saw the interviewer's client id (awareness, updates) and its clock: it sends
          // an edit of its own under that id and clock, ahead of the keystroke in flight.
          theirs.send(
            syncFrame(
              sub,
              editAs(seen, interviewer.clientID, (text) => text.insert(0, "PWNED ")),
            ),
          );
          await roundTrip(theirs);
          mine.send(syncFrame(2, typed));
          await roundTrip(mine);
          // The document holds what the interviewer typed, as the interviewer sees it.
          expect((await node.rooms.directory.readCode(id)).code).toBe(interviewer.getText("code").toString());
          const joiner = connect(node.url, id);
          try {
            await synced(joiner);
            expect(joiner.text.toString()).toBe("hello world");
          } finally {
            joiner.destroy();
          }
        } finally {
          mine.close();
          theirs.close();
        }
      });

    test("a candidate cannot take the interviewer's client id while the interviewer reconnects", async () => {
      const { id, token } = await createSession(database.db);
      const interviewer = new Y.Doc();
      const ivy = { user: { name: "Ivy" } };
      const { ws: first } = await rawSocket(`${node.url}/${id}?token=${token}`);
      const { ws: theirs } = await rawSocket(`${node.url}/${id}`);
      const gone = new Promise<void>((resolve) => {
        theirs.addEventListener("message", (event) => {
          const data = new Uint8Array(event.data as ArrayBuffer);
          // An awareness update removing a state (its JSON is `null`).
          if (data[0] === 1 && new TextDecoder().decode(data).endsWith("null")) resolve();
        });
      });
      first.send(awarenessMessage([[interviewer.clientID, 1, ivy]]));
      first.send(
        syncFrame(
          2,
          edit(interviewer, (text) => text.insert(0, "hello")),
        ),
      );
      await roundTrip(first);
      // The interviewer's socket drops (the client reconnects with the same document and id) ...
      first.close();
      await gone;
      // ... and the candidate claims the free id, with a newer clock.
      theirs.send(awarenessMessage([[interviewer.clientID, 5, { user: { name: "Ivy" } }]]));
      await roundTrip(theirs);
      const { ws: again } = await rawSocket(`${node.url}/${id}?token=${token}`);
      const joiner = connect(node.url, id);
      try {
        again.send(awarenessMessage([[interviewer.clientID, 2, ivy]]));
        again.send(
          syncFrame(
            2,
            edit(interviewer, (text) => text.insert(5, " world")),
          ),
        );
        await roundTrip(again);
        expect((await node.rooms.directory.readCode(id)).code).toBe("hello world");
        // The others see the interviewer's own state under its id, with the server's role.
        await synced(joiner);
        await retryableAssertion(() =>
          expect(joiner.provider.awareness.getStates().get(interviewer.clientID)?.user?.role).toBe(
            "interviewer",
          ),
        );
      } finally {
        joiner.destroy();
        again.close();
        theirs.close();
      }
    });

    test("a candidate flipping the language in a loop leaves the session's language, not a flood of history", async () => {
      const { id } = await createSession(database.db);
      const candidate = connect(node.url, id, { name: "Flipper" });
      try {
        await synced(candidate);
        const meta = candidate.doc.getMap("meta");
        // Two hundred changes at once, within the message rate; the last one is Java.
        for (let i = 0; i < 200; i++) meta.set("language", i % 2 === 0 ? "python" : "java");
        expect(meta.get("language")).toBe("java");
        await retryableAssertion(async () => {
          const [row] = await database.db.select().from(sessions).where(eq(sessions.id, id));
          expect(row?.language).toBe("java");
          const changes = await database.db
            .select()
            .from(historyEntries)
            .where(and(eq(historyEntries.sessionId, id), eq(historyEntries.kind, "language")))
            .orderBy(asc(historyEntries.id));
          expect(changes.at(-1)?.payload).toMatchObject({ language: "java" });
          // One entry per change the database could take, not one per keystroke-sized update.
          expect(changes.length).toBeLessThanOrEqual(10);
        });
        expect(candidate.closed).toEqual([]);
      } finally {
        candidate.destroy();
      }
    });

    test("the code stays plain text: embeds, formats and values a candidate puts in it reach no editor", async () => {
      const { id } = await createSession(database.db);
      const interviewer = connect(node.url, id, { name: "Ivy" });
      const { ws: theirs } = await rawSocket(`${node.url}/${id}`);
      try {
        await synced(interviewer);
        interviewer.text.insert(0, "abc");
        await retryableAssertion(async () =>
          expect((await node.rooms.directory.readCode(id)).code).toBe("abc"),
        );
        // What an editor bound to the text is told (y-codemirror turns each insert into a change).
        const inserted: unknown[] = [];
        interviewer.text.observe((event) => {
          for (const op of event.delta) if (op.insert !== undefined) inserted.push(op.insert);
        });
        const seen = new Y.Doc();
        Y.applyUpdate(seen, Y.encodeStateAsUpdate(interviewer.doc));
        const rich = edit(seen, (text) => {
          text.insertEmbed(1, { image: "x" });
          text.insert(2, "!", { bold: true });
          text.format(0, 1, { italic: true });
          text.insertEmbed(0, new Y.Map());
        });
        theirs.send(syncFrame(2, rich));
        await roundTrip(theirs);
        // Then an ordinary keystroke of the candidate's, after the embed.
        theirs.send(
          syncFrame(
            2,
            edit(seen, (text) => text.insert(text.length, "d")),
          ),
        );
        await roundTrip(theirs);
        await retryableAssertion(() => expect(interviewer.text.toString()).toBe("a!bcd"));
        expect(inserted.every((insert) => typeof insert === "string")).toBe(true);
        // Positions agree: the text holds only characters, as many as the editor shows.
        expect(interviewer.text.length).toBe(interviewer.text.toString().length);
        expect((await node.rooms.directory.readCode(id)).code).toBe("a!bcd");
      } finally {
        interviewer.destroy();
        theirs.close();
      }
    });

    test("a frame announced far past the limit is refused at its header, not buffered to its end", async () => {
      const { id } = await createSession(database.db);
      const writer = connect(node.url, id);
      try {
        await synced(writer);
        // 32 MiB announced (Bun used to wait for up to 64 MiB per socket), 64 KiB of it sent.
        const { socket, closed } = await partialFrame(`${node.url}/${id}`, 32 * 1024 * 1024, 64 * 1024);
        try {
          // Before, the server waited for the rest (up to its idle timeout, two minutes).
          const outcome = await Promise.race([
            closed.then(() => "closed"),
            Bun.sleep(10_000).then(() => "still open"),
          ]);
          expect(outcome).toBe("closed");
        } finally {
          socket.end();
        }
        // The room carries on.
        writer.text.insert(0, "fine");
        await retryableAssertion(async () =>
          expect((await node.rooms.directory.readCode(id)).code).toBe("fine"),
        );
      } finally {
        writer.destroy();
      }
    });

    for (const [what, frame] of [
      ["sync step 1", step1WithState],
      ["an awareness query", queryAwareness],
      ["a terminal subscription", terminalSubscribe],
    ] as const) {
      for (const role of ["candidate", "observer"] as const) {
        test(`${role === "observer" ? "an" : "a"} ${role} asking for the room's state over and over (${what}) is closed; others carry on`, async () => {
          const { id } = await createSession(database.db);
          const writer = connect(node.url, id, { name: "Writer" });
          try {
            await synced(writer);
            writer.text.insert(0, "y".repeat(10_000));
            const query = role === "observer" ? "?role=observer" : "";
            const { closed, answers } = await ask(`${node.url}/${id}${query}`, frame, 100);
            // A standard client asks once per connection: a few more are answered, not a hundred.
            expect(closed?.code).toBe(CloseCode.rateLimited);
            expect(answers).toBeLessThanOrEqual(6);
            // An honest client joining now still gets the document.
            const joiner = connect(node.url, id);
            try {
              await synced(joiner);
              await retryableAssertion(() => expect(joiner.text.length).toBe(10_000));
            } finally {
              joiner.destroy();
            }
          } finally {
            writer.destroy();
          }
        });
      }
    }
  });

for (const target of testDatabaseTargets())
  describe(`the room socket's path (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(target);
    });
    afterAll(async () => {
      await server.stop();
    });

    test("a session id that is not valid percent-encoding is refused as unknown, not with a 500", async () => {
      const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws/sessions/%E0%A4%A`);
      const closed = await new Promise<number>((resolve) => {
        ws.addEventListener("close", (event) => resolve(event.code));
      });
      expect(closed).toBe(CloseCode.notFound);
    });
  });
