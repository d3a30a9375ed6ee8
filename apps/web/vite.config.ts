import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Where `bun run dev` expects the Bun server (see apps/server). */
const server = "http://127.0.0.1:3000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // The room's chunk (CodeMirror, Yjs, five parsers) is ~830 kB before gzip; the landing page is small.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    port: 5173,
    proxy: {
      "/trpc": server,
      "/api": server,
      "/ws": { target: server, ws: true },
    },
  },
});
