import { afterAll, describe, expect, test } from "bun:test";
import { OwnerShareError, QueueFullError, RunQueue } from "@pairpad/api/execution/run-queue";
import { SandboxExecutor } from "./sandbox.ts";

const executor = new SandboxExecutor();
afterAll(() => executor.close());

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("RunQueue", () => {
  test("runs at most `concurrency` jobs at once, in order", async () => {
    const queue = new RunQueue({ concurrency: 2, maxWaiting: 10 });
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    const jobs = gates.map((gate, i) =>
      queue.submit(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await gate.promise;
        running--;
        return i;
      }),
    );
    expect(queue.running).toBe(2);
    expect(queue.waiting).toBe(3);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(queue.running).toBe(0);
  });

  test("a full queue refuses at once with QueueFullError and a Retry-After, without hanging", async () => {
    const queue = new RunQueue({ concurrency: 1, maxWaiting: 1 });
    const gate = deferred();
    const first = queue.submit(() => gate.promise.then(() => "first"));
    const second = queue.submit(async () => "second");
    const refused = queue.submit(async () => "third").catch((error) => error);
    const error = await refused;
    expect(error).toBeInstanceOf(QueueFullError);
    expect((error as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    gate.resolve();
    expect(await first).toBe("first");
    expect(await second).toBe("second");
    // Room again once the queue drained.
    expect(await queue.submit(async () => "fourth")).toBe("fourth");
  });

  test("a failing job frees its slot", async () => {
    const queue = new RunQueue({ concurrency: 1, maxWaiting: 2 });
    const failed = queue.submit(async () => {
      throw new Error("boom");
    });
    const next = queue.submit(async () => "next");
    expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("next");
    expect(queue.running).toBe(0);
  });

  test("an aborted waiter leaves the queue; close() aborts running jobs and refuses new ones", async () => {
    const queue = new RunQueue({ concurrency: 1, maxWaiting: 2 });
    const abortedByClose = queue.submit(
      (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    );
    const client = new AbortController();
    const waiting = queue.submit(async () => "never", { signal: client.signal }).catch((error) => error);
    expect(queue.waiting).toBe(1);
    client.abort(new Error("client left"));
    expect(((await waiting) as Error).message).toBe("client left");
    expect(queue.waiting).toBe(0);
    queue.close();
    expect(abortedByClose).rejects.toThrow("closed");
    expect(queue.submit(async () => 1)).rejects.toThrow("closed");
  });

  test("real sandbox runs through a queue: overflow answered, the rest correct", async () => {
    const queue = new RunQueue({ concurrency: 2, maxWaiting: 2 });
    const code = "import sys, time\ntime.sleep(0.3)\nprint('done', sys.stdin.read())";
    const submitted = Array.from({ length: 6 }, (_, i) =>
      queue
        .submit((signal) => executor.run({ language: "python", code, stdin: String(i) }, signal))
        .then(
          (result) => ({ i, result }),
          (error: unknown) => ({ i, error }),
        ),
    );
    const outcomes = await Promise.all(submitted);
    const refused = outcomes.filter((o) => "error" in o);
    const ran = outcomes.filter((o) => "result" in o);
    expect(refused.map((o) => o.i)).toEqual([4, 5]);
    for (const o of refused) expect("error" in o && o.error).toBeInstanceOf(QueueFullError);
    for (const o of ran) {
      if (!("result" in o)) continue;
      expect(o.result.status).toBe("ok");
      expect(o.result.stdout).toBe(`done ${o.i}\n`);
    }
  });
});

describe("RunQueue sharing", () => {
  test("one owner cannot hold more than its share; another owner is served next", async () => {
    const queue = new RunQueue({ concurrency: 2, maxWaiting: 8, maxPerOwner: 4 });
    const gates = Array.from({ length: 10 }, deferred);
    const order: string[] = [];
    const flood = gates.map((gate, i) =>
      queue
        .submit(
          async () => {
            order.push(`a${i}`);
            await gate.promise;
          },
          { owners: ["client:a"] },
        )
        .then(
          () => "ran",
          (error: unknown) => error,
        ),
    );
    expect(queue.running).toBe(2);
    expect(queue.waiting).toBe(2);
    expect(queue.heldBy("client:a")).toBe(4);
    const refused = (await Promise.all(flood.slice(4))) as unknown[];
    for (const error of refused) {
      expect(error).toBeInstanceOf(OwnerShareError);
      expect((error as OwnerShareError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    const other = queue.submit(async () => order.push("b"), { owners: ["client:b"] });
    gates[0]?.resolve();
    await other;
    // b was waiting behind two of a's runs, yet went first when a slot freed.
    expect(order.slice(0, 3)).toEqual(["a0", "a1", "b"]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(flood.slice(0, 4))).toEqual(["ran", "ran", "ran", "ran"]);
    expect(queue.heldBy("client:a")).toBe(0);
  });

  test("a session is an owner too: many clients of one session share its slots", async () => {
    const queue = new RunQueue({ concurrency: 1, maxWaiting: 8, maxPerOwner: 2 });
    const gate = deferred();
    const jobs = ["x", "y", "z"].map((client) =>
      queue.submit(() => gate.promise, { owners: [`client:${client}`, "session:s"] }).catch((e) => e),
    );
    expect(await jobs[2]).toBeInstanceOf(OwnerShareError);
    gate.resolve();
    await Promise.all(jobs);
  });

  test("a waiting job whose caller left never starts; a running one sees its signal abort", async () => {
    const queue = new RunQueue({ concurrency: 1, maxWaiting: 4 });
    const caller = new AbortController();
    let runningAborted = false;
    const running = queue.submit(
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => {
            runningAborted = true;
            resolve();
          }),
        ),
      { signal: caller.signal },
    );
    let started = false;
    const waitingCaller = new AbortController();
    const waiting = queue
      .submit(
        async () => {
          started = true;
        },
        { signal: waitingCaller.signal },
      )
      .catch((error) => error);
    waitingCaller.abort(new Error("gone"));
    expect(((await waiting) as Error).message).toBe("gone");
    caller.abort();
    await running;
    expect(runningAborted).toBe(true);
    expect(started).toBe(false);
    expect(queue.running).toBe(0);
  });
});
