// @hocuspocus/server 4 with no extensions, on loopback, as the bench's reference peer (run by Node).
import { Server } from "@hocuspocus/server";

const server = new Server({
  port: Number(process.env.PORT),
  address: "127.0.0.1",
  quiet: true,
  // The load generator's idle clients send nothing; keep them connected for the whole scenario.
  timeout: 10 * 60_000,
});

await server.listen();
