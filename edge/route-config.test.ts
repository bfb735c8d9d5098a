import { test } from "node:test";
import assert from "node:assert/strict";
import { routeSettingsFromEnv } from "./route-config.ts";

test("route config: loopback, port 8080, all sites, 5 MB bodies, no token by default", () => {
  const s = routeSettingsFromEnv({});
  assert.equal(s.hostname, "127.0.0.1");
  assert.equal(s.port, 8080);
  assert.deepEqual(s.sites, ["MLB", "MLA", "MLM", "MCO", "MLC", "MPE", "MLU"]);
  assert.equal(s.maxBodyBytes, 5 * 1024 * 1024);
  assert.equal(s.token, null);
  assert.equal(s.baseUrl, null);
  assert.equal(s.topic, "deal-of-the-day");
});

test("route config: bad values are named", () => {
  assert.throws(() => routeSettingsFromEnv({ OFERTAS_SITES: "MLB,XYZ" }), /OFERTAS_SITES: unknown site "XYZ"/);
  assert.throws(() => routeSettingsFromEnv({ OFERTAS_TOKEN: "short" }), /OFERTAS_TOKEN must be at least 16 characters/);
  assert.throws(() => routeSettingsFromEnv({ PORT: "http" }), /PORT must be an integer/);
  assert.throws(
    () => routeSettingsFromEnv({ OFERTAS_MAX_PAGES: "50" }),
    /OFERTAS_MAX_PAGES must be an integer from 1 to 20/,
  );
  assert.throws(
    () => routeSettingsFromEnv({ OFERTAS_ML_BASE_URL: "file:///etc" }),
    /OFERTAS_ML_BASE_URL must be an http\(s\) URL/,
  );
});

test("route config: a token outside RFC 6750's b64token set is refused at start (every request would be 400)", () => {
  for (
    const bad of [
      "token with spaces 0123456789",
      "tøken-0123456789abcdef",
      "token,0123456789abcdef",
      "=leading0123456789",
    ]
  ) {
    assert.throws(() => routeSettingsFromEnv({ OFERTAS_TOKEN: bad }), /OFERTAS_TOKEN may only hold A-Z a-z 0-9/, bad);
  }
  assert.equal(
    routeSettingsFromEnv({ OFERTAS_TOKEN: "abc-DEF_123.456~789+/xyz==" }).token,
    "abc-DEF_123.456~789+/xyz==",
  );
});
