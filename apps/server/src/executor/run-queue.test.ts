import { afterAll, describe, expect, test } from "bun:test";
import { QueueFullError, RunQueue } from "@pairpad/api/execution/run-queue";
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
    const waiting = queue.submit(async () => "never", client.signal).catch((error) => error);
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
