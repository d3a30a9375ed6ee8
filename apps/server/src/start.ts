import { EnvError, loadEnv } from "./env.ts";

/** `bun run start`: check the configuration, build the web client when needed, migrate, serve. */
try {
  loadEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const { ensureWebBuild } = await import("../../web/build.ts");
try {
  await ensureWebBuild();
} catch (error) {
  console.error(`The web client could not be built; serving the API only: ${String(error)}`);
}
await import("./main-cli.ts");
