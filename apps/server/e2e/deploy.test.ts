/**
 * The deployment files against the code: Compose, the Kubernetes manifests, the Dockerfile and the
 * Grafana dashboard parse, their probes, ports and settings are the server's own, and the Docker
 * socket proxy's rules are exercised through a real HAProxy. (Images cannot be built here: no
 * registry is reachable.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { envSchema } from "../src/env.ts";
import { DockerExecutor } from "../src/executor/docker.ts";
import { Metrics } from "../src/metrics/metrics.ts";
import { freePort } from "../src/rooms/test-support.ts";
import { eventually } from "../src/testing.ts";
import { haproxyBinary } from "./cluster-support.ts";

const root = resolve(import.meta.dir, "../../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const settings = new Set(Object.keys(envSchema.shape));

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked field by field below
type Doc = any;

function yamlDocuments(path: string): Doc[] {
  const documents = parseAllDocuments(read(path));
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((d) => d.toJS()).filter(Boolean);
}

const unknownSettings = (names: Iterable<string>) => [...names].filter((name) => !settings.has(name));

describe("docker-compose.yml", () => {
  const [compose] = yamlDocuments("docker-compose.yml");
  const services = compose.services as Record<string, Doc>;
  const replicas = Object.entries(services).filter(([name]) => name.startsWith("pairpad-"));

  test("two replicas of the image, configured only with settings env.ts knows", () => {
    expect(replicas.length).toBe(2);
    for (const [, service] of replicas) {
      expect(service.image).toBe("pairpad:latest");
      expect(unknownSettings(Object.keys(service.environment))).toEqual([]);
      expect(service.environment.EXECUTOR).toBe("docker");
      // Valid values, as the server would read them once Compose filled in `${VAR:-default}`.
      const filled = Object.fromEntries(
        Object.entries(service.environment as Record<string, string>).map(([k, v]) => [
          k,
          v.replace(/\$\{\w+:-([^}]*)\}/g, "$1"),
        ]),
      );
      expect(envSchema.safeParse(filled).error).toBeUndefined();
    }
    expect(unknownSettings(Object.keys(services.migrate.environment))).toEqual([]);
  });

  test("the balancer sends traffic to each replica's port and checks /readyz", () => {
    const haproxy = read("deploy/compose/haproxy.cfg");
    expect(haproxy).toContain("option httpchk GET /readyz");
    expect(haproxy).toContain("timeout tunnel");
    for (const [name, service] of replicas)
      expect(haproxy).toContain(`${name}:${service.environment.PORT} check`);
    expect(services.lb.ports).toContain("8080:8080");
  });

  test("the links and the URL the replicas log are the balancer's", () => {
    const published = (services.lb.ports as string[]).map((p) => p.split(":")[0]);
    for (const [, service] of replicas) {
      const url = new URL(String(service.environment.PUBLIC_URL).replace(/\$\{\w+:-([^}]*)\}/, "$1"));
      expect(published).toContain(url.port);
    }
    expect(read("docker-compose.yml")).toContain("then open http://localhost:8080");
  });

  test("only the socket proxy mounts the Docker socket; the apps reach it over TCP", () => {
    const mountsSocket = (service: Doc) =>
      (service.volumes ?? []).some((v: string) => String(v).includes("docker.sock"));
    expect(mountsSocket(services["docker-proxy"])).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      if (name !== "docker-proxy") expect(mountsSocket(service)).toBe(false);
    }
    for (const [, service] of replicas)
      expect(service.environment.DOCKER_HOST).toBe("tcp://docker-proxy:2375");
  });

  test("the runs' work dir has the same path in the app and on the engine's host", () => {
    for (const [, service] of replicas) {
      const root = service.environment.DOCKER_WORK_ROOT;
      expect(service.volumes).toContain(`${root}:${root}`);
    }
  });

  test("every runner image is built from a Dockerfile in docker/", () => {
    const runners = Object.entries(services).filter(([name]) => name.startsWith("runner-"));
    expect(runners.length).toBeGreaterThanOrEqual(5);
    for (const [name, service] of runners) {
      const language = name.slice("runner-".length);
      expect(service.image).toBe(`pairpad-run-${language}:latest`);
      expect(existsSync(join(root, service.build.context, service.build.dockerfile))).toBe(true);
    }
  });
});

describe("README", () => {
  test("the settings table lists every variable of env.ts", () => {
    const readme = read("README.md");
    const table = readme.slice(
      readme.indexOf("## Configuration"),
      readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
    );
    const listed = new Set(
      table
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .flatMap((line) => line.split("|")[1]?.match(/`(\w+)`/g) ?? [])
        .map((name) => name.slice(1, -1)),
    );
    expect([...settings].filter((name) => !listed.has(name))).toEqual([]);
    expect(readme).toContain("[Configuration](#configuration)");
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  test("multi-stage, non-root, health-checked on /healthz, serving the built client", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^USER bun$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(dockerfile).toContain("apps/web/dist");
    const port = dockerfile.match(/PORT=(\d+)/)?.[1];
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    for (const name of dockerfile
      .match(/ENV (.*)/)?.[1]
      ?.split(" ")
      .map((kv) => kv.split("=")[0]) ?? []) {
      expect(settings.has(name as string)).toBe(true);
    }
  });
});

describe("Kubernetes manifests", () => {
  const dir = "deploy/kubernetes";
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith(".yaml"));
  const docs = files.flatMap((f) => yamlDocuments(`${dir}/${f}`));
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
  const deployment = find("Deployment", "pairpad");
  const container = deployment.spec.template.spec.containers[0];
  const config = find("ConfigMap", "pairpad").data as Record<string, string>;
  const secret = find("Secret", "pairpad").stringData as Record<string, string>;

  test("kustomization lists every manifest", () => {
    const kustomization = yamlDocuments(`${dir}/kustomization.yaml`)[0];
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((f) => f !== "kustomization.yaml").sort(),
    );
  });

  test("settings in the ConfigMap and Secret are all variables of env.ts, with valid values", () => {
    expect(unknownSettings([...Object.keys(config), ...Object.keys(secret)])).toEqual([]);
    expect(envSchema.safeParse({ ...config, ...secret }).success).toBe(true);
    const direct = docs.flatMap((d) =>
      (d.spec?.template?.spec?.containers ?? []).flatMap((c: Doc) => (c.env ?? []).map((e: Doc) => e.name)),
    );
    // The runner daemon's own variable is docker:dind's, not ours.
    expect(unknownSettings(direct.filter((n: string) => n !== "DOCKER_TLS_CERTDIR"))).toEqual([]);
  });

  test("two or more replicas, probes on /readyz and /healthz at the server's port, a drain before SIGTERM", () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const port = container.ports.find((p: Doc) => p.name === "http").containerPort;
    expect(String(port)).toBe(config.PORT ?? "");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.lifecycle.preStop).toBeDefined();
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
    const preStopSeconds = Number(container.lifecycle.preStop.exec.command[1]);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      preStopSeconds + Number(config.SHUTDOWN_DELAY_SECONDS) + Number(config.SHUTDOWN_TIMEOUT_SECONDS),
    );
    expect(container.envFrom.map((e: Doc) => e.configMapRef?.name ?? e.secretRef?.name).sort()).toEqual([
      "pairpad",
      "pairpad",
    ]);
  });

  test("Service, Ingress, HPA and PDB point at the Deployment's pods and port", () => {
    const labels = deployment.spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = find("Service", "pairpad");
    expect(selects(service.spec.selector)).toBe(true);
    expect(service.spec.ports[0].targetPort).toBe("http");
    const ingress = find("Ingress", "pairpad");
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe("pairpad");
    expect(service.spec.ports.map((p: Doc) => p.name)).toContain(backend.port.name);
    expect(
      Number(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]),
    ).toBeGreaterThan(60);
    const hpa = find("HorizontalPodAutoscaler", "pairpad");
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: "Deployment", name: "pairpad" });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(selects(find("PodDisruptionBudget", "pairpad").spec.selector.matchLabels)).toBe(true);
  });

  test("runners on their own nodes, reached over TLS at the DOCKER_HOST the servers use", () => {
    const runner = find("StatefulSet", "pairpad-runner");
    expect(runner.spec.template.spec.nodeSelector).toBeDefined();
    expect(runner.spec.template.spec.tolerations.length).toBeGreaterThan(0);
    const host = new URL(config.DOCKER_HOST as string);
    expect(host.hostname.startsWith(`${runner.metadata.name}-0.${runner.spec.serviceName}`)).toBe(true);
    expect(config.DOCKER_TLS_VERIFY).toBe("1");
    expect(runner.spec.template.spec.containers[0].args).toContain("--tlsverify");
    // The work dirs: one shared volume at the same path on both sides.
    const mountOf = (spec: Doc) =>
      spec.containers[0].volumeMounts.find((m: Doc) => m.name === "runs").mountPath;
    expect(mountOf(runner.spec.template.spec)).toBe(config.DOCKER_WORK_ROOT);
    expect(mountOf(deployment.spec.template.spec)).toBe(config.DOCKER_WORK_ROOT);
  });
});

describe("Grafana dashboard", () => {
  test("every metric it queries is one the server exposes", async () => {
    const dashboard = JSON.parse(read("deploy/grafana/pairpad-dashboard.json"));
    const exposed = new Set(
      (await new Metrics().render())
        .split("\n")
        .filter((line) => line.startsWith("# TYPE "))
        .flatMap((line) => {
          const [, , name, type] = line.split(" ");
          return type === "histogram" ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name];
        }),
    );
    const queried = dashboard.panels.flatMap((p: Doc) =>
      p.targets.flatMap((t: Doc) => t.expr.match(/\b(pairpad_\w+|process_\w+)/g) ?? []),
    );
    expect(queried.length).toBeGreaterThan(15);
    expect(queried.filter((name: string) => !exposed.has(name))).toEqual([]);
  });
});

describe.skipIf(!haproxyBinary)("the HAProxy configurations", () => {
  test("both are valid for HAProxy itself (haproxy -c)", async () => {
    for (const file of ["deploy/compose/haproxy.cfg", "deploy/compose/docker-socket-proxy.cfg"]) {
      const check = Bun.spawn([haproxyBinary as string, "-c", "-f", join(root, file)], { stderr: "pipe" });
      const errors = await new Response(check.stderr).text();
      expect(`${file}: ${await check.exited} ${errors.includes("[ALERT]") ? errors : ""}`).toBe(
        `${file}: 0 `,
      );
    }
  });
});

describe.skipIf(!haproxyBinary)("the Docker socket proxy's rules, through a real HAProxy", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-socket-proxy-"));
  /** DOCKER_WORK_ROOT of docker-compose.yml, here a directory of the test's. */
  const workRoot = join(dir, "runs");
  const port = freePort();
  /** What reached the stand-in engine behind the proxy. */
  const received: Array<{ method: string; path: string; body: string }> = [];
  let engine: ReturnType<typeof Bun.serve> | undefined;
  let proxy: ReturnType<typeof Bun.spawn> | undefined;

  beforeAll(async () => {
    // A stand-in engine on a Unix socket: answers every call, but no container can be created.
    const socket = join(dir, "docker.sock");
    engine = Bun.serve({
      unix: socket,
      fetch: async (req) => {
        const path = new URL(req.url).pathname;
        received.push({ method: req.method, path, body: await req.text() });
        if (path.endsWith("/containers/create")) {
          return Response.json({ message: "the stand-in engine creates nothing" }, { status: 500 });
        }
        if (path.endsWith("/json")) return Response.json({});
        return new Response(`${req.method} ok`);
      },
    });
    const config = read("deploy/compose/docker-socket-proxy.cfg")
      .replace("bind :2375", `bind 127.0.0.1:${port}`)
      .replace("/var/run/docker.sock", socket)
      .replaceAll("/var/lib/pairpad/runs/", `${workRoot}/`);
    await Bun.write(join(dir, "proxy.cfg"), config);
    proxy = Bun.spawn([haproxyBinary as string, "-f", join(dir, "proxy.cfg"), "-db"], {
      stdout: "ignore",
      stderr: "pipe",
    });
  });
  afterAll(async () => {
    proxy?.kill();
    await proxy?.exited;
    engine?.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const init: RequestInit = { method };
        if (body !== undefined) {
          init.body = typeof body === "string" ? body : JSON.stringify(body);
          init.headers = { "content-type": "application/json" };
        }
        return (await fetch(`http://127.0.0.1:${port}${path}`, init)).status;
      } catch (error) {
        if (attempt > 100) throw error;
        await Bun.sleep(50);
      }
    }
  };

  test("passes the executor's calls and refuses the rest", async () => {
    const created = { Image: "pairpad-run-python:latest", HostConfig: { NetworkMode: "none" } };
    const allowed: Array<[string, string, unknown?]> = [
      ["GET", "/_ping"],
      ["HEAD", "/_ping"],
      ["GET", "/v1.43/version"],
      ["GET", "/images/pairpad-run-python:latest/json"],
      ["GET", "/v1.43/images/registry.example.com/team/pairpad-run-go:1/json"],
      ["POST", "/containers/4f2a9c/start"],
      ["POST", "/v1.43/containers/4f2a9c/attach"],
      ["POST", "/v1.43/containers/4f2a9c/wait"],
      ["POST", "/v1.43/containers/4f2a9c/kill"],
      ["POST", "/v1.43/containers/4f2a9c/resize"],
      ["GET", "/v1.43/containers/4f2a9c/json"],
      ["DELETE", "/v1.43/containers/4f2a9c"],
    ];
    const refused: Array<[string, string]> = [
      ["GET", "/v1.43/containers/json"],
      ["POST", "/v1.43/containers/4f2a9c/exec"],
      ["GET", "/v1.43/containers/4f2a9c/archive"],
      ["PUT", "/v1.43/containers/4f2a9c/archive"],
      ["POST", "/v1.43/images/create"],
      ["POST", "/v1.43/build"],
      ["GET", "/v1.43/info"],
      ["POST", "/v1.43/volumes/create"],
      ["POST", "/v1.43/networks/create"],
      ["POST", "/v1.43/swarm/init"],
      ["DELETE", "/v1.43/images/pairpad-run-python:latest"],
      ["GET", "/v1.43/containers/4f2a9c/../../info"],
    ];
    for (const [method, path] of allowed)
      expect(`${method} ${path} ${await call(method, path)}`).toBe(`${method} ${path} 200`);
    expect(await call("POST", "/v1.43/containers/create", created)).toBe(500);
    for (const [method, path] of refused)
      expect(`${method} ${path} ${await call(method, path)}`).toBe(`${method} ${path} 403`);
  });

  test("a create asking for more than the executor's containers get is refused; the executor's own creates pass", async () => {
    const box = `${workRoot}/run-1/box`;
    const base = {
      Image: "pairpad-run-python:latest",
      Cmd: ["python3", "main.py"],
      HostConfig: { NetworkMode: "none", CapDrop: ["ALL"], Binds: [`${box}:/box:rw`] },
    };
    const host = (extra: Record<string, unknown>) => ({
      ...base,
      HostConfig: { ...base.HostConfig, ...extra },
    });
    const unsafe: Record<string, unknown> = {
      privileged: host({ Privileged: true }),
      "privileged, other case and spacing": `{"Image":"x","HostConfig":{"privileged" :\n true}}`,
      "privileged, key escaped": `{"Image":"x","HostConfig":{"Privil\\u0065ged":true}}`,
      "privileged, key given twice": `{"Image":"x","HostConfig":{"Privileged":false,"Privileged":true}}`,
      "the host's root bound": host({ Binds: ["/:/host"] }),
      "a run dir, then the host's": host({ Binds: [`${box}:/box:rw`, "/etc:/etc2"] }),
      "a path out of the run dirs": host({ Binds: [`${workRoot}/../../etc:/box`] }),
      "the Docker socket": host({ Binds: ["/var/run/docker.sock:/var/run/docker.sock"] }),
      "a named volume": host({ Binds: ["data:/data"] }),
      mounts: host({ Mounts: [{ Type: "bind", Source: "/", Target: "/host" }] }),
      "host network": host({ NetworkMode: "host" }),
      "another container's network": host({ NetworkMode: "container:db" }),
      "added capabilities": host({ CapAdd: ["SYS_ADMIN"] }),
      devices: host({ Devices: [{ PathOnHost: "/dev/sda", PathInContainer: "/dev/sda" }] }),
      "host pid namespace": host({ PidMode: "host" }),
      "host ipc namespace": host({ IpcMode: "host" }),
      "host user namespace": host({ UsernsMode: "host" }),
      "no seccomp": host({ SecurityOpt: ["seccomp=unconfined"] }),
      "another container's volumes": host({ VolumesFrom: ["db"] }),
      sysctls: host({ Sysctls: { "kernel.shm_rmid_forced": "1" } }),
      "a body too large to read whole": host({ Labels: { pad: "x".repeat(20_000) } }),
    };
    const before = received.length;
    for (const [what, body] of Object.entries(unsafe))
      expect(`${what}: ${await call("POST", "/v1.43/containers/create", body)}`).toBe(`${what}: 403`);
    expect(
      `start with a HostConfig: ${await call("POST", "/containers/4f2a9c/start", { Privileged: true })}`,
    ).toBe("start with a HostConfig: 403");
    expect(received.slice(before)).toEqual([]);
    expect(await call("POST", "/v1.43/containers/create", base)).toBe(500);

    // The Docker executor itself, through the proxy: its language probes create containers, and the
    // stand-in engine's refusal (not the proxy's 403) is what comes back.
    const executor = new DockerExecutor({ docker: { host: "127.0.0.1", port, protocol: "http" }, workRoot });
    const probed = await executor.languages().then(
      () => "probed",
      (error: Error) => error.message,
    );
    await executor.close();
    // The other probes (each with its run dir, a tmpfs when root) finish after the first failure.
    await eventually(() => expect(readFileSync("/proc/mounts", "utf8")).not.toContain(workRoot), 10_000);
    expect(probed).toContain("the stand-in engine creates nothing");
    const creates = received.filter((r) => r.path.endsWith("/containers/create")).slice(1);
    expect(creates.length).toBeGreaterThan(0);
    for (const create of creates) {
      const spec = JSON.parse(create.body);
      expect(spec.HostConfig.Binds[0]).toStartWith(`${workRoot}/`);
      expect(spec.HostConfig.NetworkMode).toBe("none");
    }
  });
});
