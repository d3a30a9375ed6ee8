import { readFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import type { Env } from "./env.ts";

/**
 * How the Docker executor reaches its engine: DOCKER_SOCKET (a local socket), or DOCKER_HOST over
 * TCP, with TLS client certificates when DOCKER_TLS_VERIFY=1; undefined leaves dockerode's default.
 */
export function dockerConnection(env: Env): Docker.DockerOptions | undefined {
  if (env.DOCKER_SOCKET) return { socketPath: env.DOCKER_SOCKET };
  if (!env.DOCKER_HOST) return undefined;
  const address = new URL(env.DOCKER_HOST);
  if (address.protocol === "unix:") return { socketPath: address.pathname };
  const tls = env.DOCKER_TLS_VERIFY === "1" || address.protocol === "https:";
  const options: Docker.DockerOptions = {
    host: address.hostname,
    port: Number(address.port) || (tls ? 2376 : 2375),
    protocol: tls ? "https" : "http",
  };
  if (tls && env.DOCKER_CERT_PATH) {
    const file = (name: string) => readFileSync(join(env.DOCKER_CERT_PATH as string, name));
    return { ...options, ca: file("ca.pem"), cert: file("cert.pem"), key: file("key.pem") };
  }
  return options;
}
