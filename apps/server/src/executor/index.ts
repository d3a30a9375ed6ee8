import type { Executor } from "@pairpad/api/execution/executor";
import { DockerExecutor, type DockerExecutorOptions } from "./docker.ts";
import { SandboxExecutor, type SandboxExecutorOptions } from "./sandbox.ts";

export { QueueFullError, RunQueue, type RunQueueOptions } from "@pairpad/api/execution/run-queue";
export { DockerExecutor, type DockerExecutorOptions } from "./docker.ts";
export { LanguageUnavailableError } from "./languages.ts";
export { defaultCompileLimits, defaultRunLimits, type PhaseLimits } from "./outcome.ts";
export { SandboxExecutor, type SandboxExecutorOptions } from "./sandbox.ts";

export type ExecutorConfig =
  | ({ kind: "sandbox" } & SandboxExecutorOptions)
  | ({ kind: "docker" } & DockerExecutorOptions);

/** The executor `EXECUTOR` asks for: the local sandbox by default, Docker (or podman's Docker API) when configured. */
export function createExecutor(config: ExecutorConfig = { kind: "sandbox" }): Executor {
  const { kind, ...options } = config;
  return kind === "docker" ? new DockerExecutor(options) : new SandboxExecutor(options);
}
