/**
 * `bun run dev`: the server with --watch on PORT (3000) and Vite's dev server (5173) proxying
 * /trpc, /api and /ws to it. Ctrl-C stops both.
 */
const root = new URL("../../..", import.meta.url).pathname;
const children = [
  Bun.spawn(["bun", "--watch", "apps/server/src/main-cli.ts"], {
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }),
  Bun.spawn(["bun", "x", "vite", "--host", "127.0.0.1"], {
    cwd: `${root}apps/web`,
    stdout: "inherit",
    stderr: "inherit",
  }),
];
const stop = () => {
  for (const child of children) child.kill();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
await Promise.race(children.map((c) => c.exited));
stop();
