import { randomBytes } from "node:crypto";
import type { Db } from "@pairpad/db/client";
import { instanceSecrets } from "@pairpad/db/schema";
import { eq } from "drizzle-orm";

/**
 * A secret made once per instance and kept in the database, so every node signs and checks
 * cookies with the same one without any setting; `AUTH_SECRET` overrides it.
 */
export async function instanceSecret(db: Db, name: string): Promise<string> {
  await db
    .insert(instanceSecrets)
    .values({ name, value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db.select().from(instanceSecrets).where(eq(instanceSecrets.name, name));
  if (!row) throw new Error(`instance secret ${name} missing after insert`);
  return row.value;
}
