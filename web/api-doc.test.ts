/**
 * The web view's /openapi.json: a valid OpenAPI document (by an OpenAPI validator), describing
 * every route the app has and nothing else, with every example accepted by its schema.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { exampleProblems, openApiPath } from "../shared/openapi/openapi.ts";
import { WEB_OPERATIONS } from "./api-doc.ts";
import { createWebApp } from "./app.tsx";
import { MemorySource } from "./memory-source.ts";

test("web api: /openapi.json is a valid OpenAPI 3.1 document describing every route, and only those", async () => {
  const web = createWebApp({ source: new MemorySource({}), demo: false, today: () => "2026-12-04" });
  const doc = await (await web.fetch(new Request("http://web/openapi.json"))).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const checked = await new Validator().validate(doc as never);
  assert.equal(checked.valid, true, JSON.stringify(checked.errors));
  const routes = new Set(web.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${openApiPath(r.path)}`));
  const described = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
  );
  assert.deepEqual([...routes].filter((r) => !described.has(r)), [], "routes the document does not describe");
  assert.deepEqual([...described].filter((r) => !routes.has(r)), [], "described routes the app does not have");
});

test("web api: every example validates against its schema; the reference page keeps the strict CSP", async () => {
  assert.deepEqual(exampleProblems(WEB_OPERATIONS), []);
  const web = createWebApp({ source: new MemorySource({}), demo: false, today: () => "2026-12-04" });
  const res = await web.fetch(new Request("http://web/api"));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  assert.doesNotMatch(await res.text(), /<script/i);
});

test("web api: every query parameter described is the one its handler reads (a bad value is a 400 naming it)", async () => {
  const web = createWebApp({ source: new MemorySource({}), demo: false, today: () => "2026-12-04" });
  const doc = await (await web.fetch(new Request("http://web/openapi.json"))).json() as {
    paths: Record<
      string,
      { get?: { parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }> } }
    >;
  };
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const p of ops.get?.parameters?.filter((p) => p.in === "query") ?? []) {
      // a value its own schema refuses: too long, or outside its enum, pattern or format
      const bad = typeof p.schema.maxLength === "number" ? "x".repeat(p.schema.maxLength + 1) : "!bad!";
      const url = `http://web${path.replace("{site}", "MLB").replace("{id}", "MLB1000000001")}?${p.name}=${bad}`;
      const res = await web.fetch(new Request(url));
      assert.equal(res.status, 400, `${path} ${p.name}`);
      assert.match(await res.text(), new RegExp(`\\b${p.name} `), `${path}: the answer names ${p.name}`);
      checked++;
    }
  }
  assert.ok(checked >= 20, `${checked} parameters checked`);
});
