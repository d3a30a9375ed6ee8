import { expect, test } from "bun:test";
import { appRouter } from "@pairpad/api";
import { restRoutes } from "../rest/routes.ts";
import { createRouteLabels, methodLabel } from "./route-label.ts";

const routes = createRouteLabels(
  [...new Set(restRoutes(appRouter).map((route) => route.operation.path))],
  Object.keys(appRouter._def.procedures),
);

test("paths with ids become their pattern", () => {
  expect(routes.route("/api/sessions/ab12cd34ef")).toBe("/api/sessions/{id}");
  expect(routes.route("/api/sessions/ab12cd34ef/code")).toBe("/api/sessions/{id}/code");
  expect(routes.route("/api/sessions")).toBe("/api/sessions");
  expect(routes.route("/ws/sessions/ab12cd34ef")).toBe("/ws/sessions/{id}");
  expect(routes.route("/sessions/ab12cd34ef")).toBe("/sessions/{page}");
  expect(routes.route("/assets/index-3f2a.js")).toBe("/assets/{file}");
});

test("tRPC procedures by name; batches and unknown names fold into one label each", () => {
  expect(routes.route("/trpc/session.get")).toBe("/trpc/session.get");
  expect(routes.route("/trpc/session.get,code.read")).toBe("/trpc/{batch}");
  expect(routes.route(`/trpc/${crypto.randomUUID()}`)).toBe("/trpc/{unknown}");
});

test("random paths and methods cannot grow the label set", () => {
  const labels = new Set<string>();
  for (let i = 0; i < 100; i++) {
    labels.add(routes.route(`/${crypto.randomUUID()}`));
    labels.add(routes.route(`/api/${crypto.randomUUID()}/${i}`));
  }
  expect([...labels].sort()).toEqual(["/api/{unmatched}", "{other}"]);
  expect(methodLabel("BREW")).toBe("other");
  expect(methodLabel("GET")).toBe("GET");
});
