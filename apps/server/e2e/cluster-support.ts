import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Subprocess } from "bun";
import { freePort } from "../src/rooms/test-support.ts";

const serverScript = fileURLToPath(new URL("../src/main-cli.ts", import.meta.url));

/** `haproxy` from the distribution, for the tests behind a real load balancer; null if absent. */
export const haproxyBinary =
  Bun.which("haproxy") ?? (Bun.file("/usr/sbin/haproxy").size ? "/usr/sbin/haproxy" : null);

/** One real Pairpad server process (`main-cli.ts`) on a fixed port, its JSON log lines collected. */
export class ServerNode {
  readonly logs: string[] = [];
  process: Subprocess<"ignore", "pipe", "pipe"> | null = null;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until it answers /readyz. */
  async start(): Promise<void> {
    const child = Bun.spawn(["bun", serverScript], {
      env: { ...this.env, PORT: String(this.port), HOST: "127.0.0.1", PATH: process.env.PATH ?? "" },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.process = child;
    for (const stream of [child.stdout, child.stderr]) void this.collect(stream);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited (${child.exitCode}): ${this.tail()}`);
      const ok = await fetch(`${this.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} never became ready: ${this.tail()}`);
      await Bun.sleep(100);
    }
  }

  /** SIGTERM, then the exit code once it has drained and exited. */
  async terminate(): Promise<number> {
    const child = this.process;
    if (!child) return 0;
    child.kill("SIGTERM");
    const code = await child.exited;
    this.process = null;
    return code;
  }

  async kill(): Promise<void> {
    this.process?.kill("SIGKILL");
    await this.process?.exited;
    this.process = null;
  }

  tail(lines = 20): string {
    return this.logs.slice(-lines).join("\n");
  }

  private async collect(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      this.logs.push(...lines.filter((line) => line.length > 0));
    }
    if (buffered) this.logs.push(buffered);
  }
}

export function serverNodes(count: number, env: Record<string, string>): ServerNode[] {
  return Array.from({ length: count }, (_, i) => new ServerNode(`node-${i + 1}`, freePort(), env));
}

/**
 * HAProxy on loopback in front of `nodes`: round robin, health checks on /readyz with HAProxy's
 * HTTP/1.0 check (no Host header), WebSockets passed through, a refused connection retried on
 * another node, the client's address in X-Forwarded-For.
 */
export class Balancer {
  readonly port = freePort();
  private process: Subprocess | null = null;
  readonly logs: string[] = [];

  constructor(private readonly nodes: ServerNode[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), "pairpad-haproxy-"));
    const config = join(dir, "haproxy.cfg");
    writeFileSync(
      config,
      [
        "global",
        "  maxconn 2000",
        "defaults",
        "  mode http",
        "  timeout connect 2s",
        "  timeout client 120s",
        "  timeout server 120s",
        "  timeout tunnel 1h",
        // A busy machine answers /readyz slowly; only a refused or failed check means down.
        "  timeout check 10s",
        "  option http-server-close",
        // As the shipped Compose balancer: the node learns the user's address (TRUSTED_PROXIES).
        "  option forwardfor",
        "  option redispatch 1",
        "  retries 5",
        // Only a connection that never reached a node is retried: a request cut off mid-way (a run!)
        // must not run twice.
        "  retry-on conn-failure",
        "frontend pairpad",
        `  bind 127.0.0.1:${this.port}`,
        "  default_backend nodes",
        "backend nodes",
        "  balance roundrobin",
        "  option httpchk GET /readyz",
        "  http-request disable-l7-retry if METH_POST",
        "  default-server inter 300ms fall 1 rise 1",
        ...this.nodes.map((node) => `  server ${node.name} 127.0.0.1:${node.port} check`),
        "",
      ].join("\n"),
    );
    const child = Bun.spawn([haproxyBinary as string, "-f", config, "-db"], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.process = child;
    void new Response(child.stderr).text().then((text) => this.logs.push(text));
    // Up once every node answers through it: a run of successes as long as two rounds of the nodes.
    const deadline = Date.now() + 60_000;
    let successes = 0;
    for (;;) {
      const ok = await fetch(`${this.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      successes = ok ? successes + 1 : 0;
      if (successes >= 2 * this.nodes.length) return;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`haproxy did not start: ${this.logs.join("")}`);
      }
      await Bun.sleep(100);
    }
  }

  async stop(): Promise<void> {
    this.process?.kill("SIGTERM");
    await this.process?.exited;
  }
}
