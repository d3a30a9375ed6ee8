/**
 * The dashboard at 10,000 interviews: a server started here (embedded PGlite, or PostgreSQL with
 * DATABASE_URL); one member's workspace is filled with interviews (sessions and candidate joins
 * written straight to the database), then `GET /api/interviews` is timed through REST — first page,
 * a page deep in the keyset, a status filter, and a search that matches nothing.
 *
 *   bun bench/interviews.ts [interviews] [iterations]
 */
import { historyEntries, sessions } from "@pairpad/db/schema";
import { openTestPglite, openTestPostgres } from "@pairpad/db/testing";
import { signUp, startTestServer } from "../apps/server/src/testing.ts";

const total = Number(process.argv[2] ?? 10_000);
const iterations = Number(process.argv[3] ?? 30);
const databaseUrl = process.env.DATABASE_URL;

const server = await startTestServer({
  name: databaseUrl ? "postgres" : "pglite",
  open: databaseUrl ? () => openTestPostgres(databaseUrl) : openTestPglite,
});
const cookie = await signUp(server, { email: "owner@bench.example", name: "Owner" });
const first = (await (
  await fetch(`${server.url}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: "{}",
  })
).json()) as { id: string };
const [template] = await server.deps.db.select().from(sessions).limit(1);
if (!template?.organizationId) throw new Error("the first session has no workspace");

const started = performance.now();
const base = Date.now() - total * 60_000;
for (let i = 0; i < total; i += 500) {
  const batch = Array.from({ length: Math.min(500, total - i) }, (_, j) => {
    const n = i + j;
    return {
      ...template,
      id: `bench${String(n).padStart(17, "0")}`,
      observerId: `bnch${String(n).padStart(20, "0")}`,
      title: `Interview ${n}`,
      status: (n % 3 === 0 ? "ended" : "active") as "ended" | "active",
      createdAt: new Date(base + n * 60_000),
      updatedAt: new Date(base + n * 60_000),
      expiresAt: new Date(base + n * 60_000 + (n % 5 === 0 ? -1 : 1) * 86_400_000 * 30),
    };
  });
  await server.deps.db.insert(sessions).values(batch);
  await server.deps.db.insert(historyEntries).values(
    batch
      .filter((_, j) => (i + j) % 2 === 0)
      .map((s) => ({
        sessionId: s.id,
        kind: "join" as const,
        actor: `Candidate ${s.title}`,
        payload: { role: "candidate" },
        createdAt: s.createdAt,
      })),
  );
}
console.log(
  `filled ${total} interviews in ${Math.round(performance.now() - started)} ms (first: ${first.id})`,
);

async function time(label: string, query: string) {
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    const response = await fetch(`${server.url}/api/interviews${query}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`${label}: ${response.status} ${await response.text()}`);
    await response.json();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]?.toFixed(1);
  console.log(`${label.padEnd(32)} p50 ${at(0.5)} ms   p95 ${at(0.95)} ms`);
}

// A cursor deep in the keyset: walk 100 pages of 50 once.
let cursor: string | null = null;
for (let page = 0; page < 100; page++) {
  const response: Response = await fetch(
    `${server.url}/api/interviews?limit=50${cursor ? `&cursor=${cursor}` : ""}`,
    {
      headers: { cookie },
    },
  );
  cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
}
await time("first page (25)", "");
await time("page 101 (cursor, 25)", `?cursor=${cursor}`);
await time("status=ended", "?status=ended");
await time("status=scheduled", "?status=scheduled");
await time("search, no match", "?search=zzzz-no-such");
await server.stop();
