import { text } from "../input/text.ts";

/** A workspace's name as people type it: trimmed, 1 to 100 characters, storable. */
export const workspaceName = () =>
  text().trim().min(1).max(100).meta({ description: "The workspace's name (1 to 100 characters, trimmed)" });

/** The problem with a name, or null when it will do: for better-auth's own endpoints, which skip ours. */
export function workspaceNameProblem(name: unknown): string | null {
  const parsed = workspaceName().safeParse(name);
  return parsed.success ? null : `name: ${parsed.error.issues.map((i) => i.message).join("; ")}`;
}
