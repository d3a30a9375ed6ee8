import { startServer } from "./main.ts";

/** The server alone, without building the web client (used by `bun run dev`). */
const running = await startServer();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await running.drain();
    process.exit(0);
  });
}
