import { MAX_CODE_BYTES } from "@pairpad/api/router/code";
import { MAX_STDIN_BYTES } from "@pairpad/api/router/execute";

const QUESTION_BODY_BYTES = 16 * 1024 * 1024;

/** The body limit of a REST path (below `/api`), given the configured default (`MAX_BODY_BYTES`). */
export function restBodyLimit(path: string, maxBodyBytes: number): number {
  // Runs carry code, stdin and a SQL seed (as large as code at most).
  if (path === "/execute") return Math.max(maxBodyBytes, 2 * MAX_CODE_BYTES + MAX_STDIN_BYTES + 64 * 1024);
  // Questions carry their tests, whose expected outputs may reach 2 MiB each.
  if (path.startsWith("/questions")) return Math.max(maxBodyBytes, QUESTION_BODY_BYTES);
  return maxBodyBytes;
}
