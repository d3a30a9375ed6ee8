/**
 * The TypeScript types of the REST API, generated from its OpenAPI document with openapi-typescript:
 * `bun apps/server/src/rest/generate-types.ts` rewrites `api-types.gen.ts` (with `--stdout` it prints
 * them instead; a test compares). A client uses them with openapi-fetch:
 * `createClient<paths>({ baseUrl: "https://host/api" })`.
 */
import { join } from "node:path";
import { appRouter } from "@pairpad/api";
import { openApiDocument } from "./openapi.ts";
import { restRoutes } from "./routes.ts";

export const generatedTypesFile = join(import.meta.dir, "api-types.gen.ts");

/**
 * openapi-typescript builds its output with the TypeScript 5 compiler API, which the TypeScript 7
 * the project type-checks with no longer ships: in this process, `typescript` loads TypeScript 5.
 */
function loadTypeScript5() {
  const five = Bun.resolveSync("typescript5", import.meta.dir);
  const seven = Bun.resolveSync("typescript", import.meta.dir);
  const exactly = new RegExp(`^${seven.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
  Bun.plugin({
    name: "typescript 5 for openapi-typescript",
    setup(build) {
      build.onLoad({ filter: exactly }, () => ({
        contents: `import ts from ${JSON.stringify(five)}; export default ts;`,
        loader: "js",
      }));
    },
  });
}

async function generatedTypes(): Promise<string> {
  loadTypeScript5();
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const document = JSON.parse(JSON.stringify(openApiDocument(restRoutes(appRouter))));
  const ast = await openapiTS(document, { alphabetize: true });
  return `// Generated from the OpenAPI document by generate-types.ts: do not edit.\n\n${astToString(ast)}`;
}

if (import.meta.main) {
  const types = await generatedTypes();
  if (process.argv.includes("--stdout")) process.stdout.write(types);
  else {
    await Bun.write(generatedTypesFile, types);
    console.log(`wrote ${generatedTypesFile}`);
  }
}
