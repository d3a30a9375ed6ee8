/**
 * The question bank at 5,000 questions: a server started here (embedded PGlite, or PostgreSQL with
 * DATABASE_URL) is filled through `POST /api/questions/import`, then list and search calls through REST
 * are timed — first page, a page deep in the keyset, words, tags, difficulty, and a search that matches
 * nothing (the worst case: every row is looked at).
 *
 *   bun bench/questions.ts [questions] [iterations]
 */
import { openTestPglite, openTestPostgres } from "@pairpad/db/testing";
import { startTestServer } from "../apps/server/src/testing.ts";

const total = Number(process.argv[2] ?? 5_000);
const iterations = Number(process.argv[3] ?? 30);
const databaseUrl = process.env.DATABASE_URL;

const server = await startTestServer({
  name: databaseUrl ? "postgres" : "pglite",
  open: databaseUrl ? () => openTestPostgres(databaseUrl) : openTestPglite,
});
const json = { "content-type": "application/json" };
const session = (await (
  await fetch(`${server.url}/api/sessions`, { method: "POST", headers: json, body: "{}" })
).json()) as { interviewerToken: string };
const headers = { ...json, authorization: `Bearer ${session.interviewerToken}` };

const topics = ["graph", "string", "array", "tree", "dp", "math", "heap", "sorting", "geometry", "bits"];
const words = [
  "islands",
  "palindrome",
  "intervals",
  "median",
  "knapsack",
  "lru",
  "trie",
  "matrix",
  "path",
  "window",
];
function sampleQuestion(i: number) {
  const topic = topics[i % topics.length] ?? "misc";
  const word = words[(i * 7) % words.length] ?? "word";
  return {
    title: `${word} ${topic} #${i}`,
    prompt: `# ${word}\n\nGiven an input of ${topic} data, compute the ${word} answer. ${"Explain your approach. ".repeat(20)}`,
    difficulty: (["easy", "medium", "hard"] as const)[i % 3],
    tags: [topic, i % 2 ? "onsite" : "phone"],
    starterCode: { python: "import sys\n", cpp: "#include <iostream>\nint main() {}\n" },
    tests: Array.from({ length: 5 }, (_, t) => ({
      stdin: `${t}\n`,
      expected: `${t * 2}\n`,
      visibility: t < 2 ? "public" : "hidden",
    })),
    rubric: [{ title: "Correctness" }, { title: "Communication" }],
  };
}

const fillStarted = performance.now();
for (let start = 0; start < total; start += 250) {
  const batch = Array.from({ length: Math.min(250, total - start) }, (_, k) => sampleQuestion(start + k));
  const response = await fetch(`${server.url}/api/questions/import`, {
    method: "POST",
    headers,
    body: JSON.stringify({ questions: batch }),
  });
  if (!response.ok) throw new Error(`import failed: ${response.status} ${await response.text()}`);
}
console.log(
  `filled ${total} questions in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s (${databaseUrl ? "PostgreSQL" : "PGlite"})`,
);

async function get(path: string): Promise<{ items: unknown[]; nextCursor: string | null }> {
  const response = await fetch(`${server.url}/api${path}`, { headers });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { items: unknown[]; nextCursor: string | null };
}

// A cursor 40 pages in, to show the keyset costs the same deep as on page one.
let deepCursor: string | null = null;
for (let page = 0; page < 40; page++) {
  deepCursor = (await get(`/questions?limit=25${deepCursor ? `&cursor=${deepCursor}` : ""}`)).nextCursor;
}

const cases: Array<[string, string]> = [
  ["first page (25)", "/questions?limit=25"],
  ["page 41 (keyset)", `/questions?limit=25&cursor=${deepCursor}`],
  ["word in title/prompt", "/questions?q=palindrome&limit=25"],
  ["two words", "/questions?q=knapsack%20array&limit=25"],
  ["tag", "/questions?tags=heap&limit=25"],
  ["two tags + difficulty", "/questions?tags=heap,phone&difficulty=hard&limit=25"],
  ["no match (scans all)", "/questions?q=zzzzzz&limit=25"],
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
console.log(`\n${"request".padEnd(26)}${"rows".padStart(6)}${"median".padStart(12)}${"p95".padStart(12)}`);
for (const [name, path] of cases) {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    rows = (await get(path)).items.length;
    times.push(performance.now() - started);
  }
  const fmt = (v: number) => `${v.toFixed(1)} ms`.padStart(12);
  console.log(
    `${name.padEnd(26)}${String(rows).padStart(6)}${fmt(percentile(times, 50))}${fmt(percentile(times, 95))}`,
  );
}
await server.stop();
