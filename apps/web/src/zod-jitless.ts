import { config } from "zod";

/**
 * The replay parses with the API's zod schemas. Zod probes `new Function` to compile fast parsers,
 * which the page's Content-Security-Policy (no 'unsafe-eval') refuses and reports as a violation:
 * parse without it. Imported before any module that builds schemas.
 */
config({ jitless: true });
