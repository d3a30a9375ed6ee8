import type { Db } from "@pairpad/db/client";
import { authVerifications } from "@pairpad/db/schema";
import { lt } from "drizzle-orm";

/**
 * Deletes the rows of `auth_verifications` past their expiry: reset tokens never used, and the marks
 * of used verification links (kept only while the link itself would still be accepted). better-auth
 * clears expired rows only when it looks one up, which a quiet server may not do for weeks.
 */
export async function sweepExpiredVerifications(db: Db, now: Date): Promise<number> {
  const removed = await db
    .delete(authVerifications)
    .where(lt(authVerifications.expiresAt, now))
    .returning({ id: authVerifications.id });
  return removed.length;
}
