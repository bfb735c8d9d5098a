/** The web view's cost settings: the defaults, what they make (the limiter's rules, the query bounds), bad values. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { webSettingsFromEnv } from "./web-config.ts";

test("web settings: the defaults bound a client, everyone, and each BigQuery query", () => {
  const s = webSettingsFromEnv({});
  assert.deepEqual(s.limits, {
    perClient: { capacity: 12, perMinute: 6 },
    allClients: { capacity: 60, perMinute: 60 },
    maxClients: 10_000,
  });
  assert.equal(s.trustedProxyHops, 0, "X-Forwarded-For is not believed unless said");
  assert.deepEqual(s.queryBounds, { maxBytesBilled: 1_024 * 1024 * 1024, jobTimeoutMs: 30_000 });
});

test("web settings: set values are read; a bad one names its variable", () => {
  const s = webSettingsFromEnv({
    OFERTAS_WEB_QUERIES_PER_MINUTE: "30",
    OFERTAS_WEB_QUERY_BURST: "5",
    OFERTAS_WEB_TRUSTED_PROXY_HOPS: "1",
    OFERTAS_WEB_MAX_BILLED_MB: "100",
    OFERTAS_WEB_QUERY_TIMEOUT: "5s",
  });
  assert.deepEqual(s.limits.perClient, { capacity: 5, perMinute: 30 });
  assert.equal(s.trustedProxyHops, 1);
  assert.deepEqual(s.queryBounds, { maxBytesBilled: 100 * 1024 * 1024, jobTimeoutMs: 5_000 });
  assert.throws(() => webSettingsFromEnv({ OFERTAS_WEB_TRUSTED_PROXY_HOPS: "-1" }), /OFERTAS_WEB_TRUSTED_PROXY_HOPS/);
  assert.throws(() => webSettingsFromEnv({ OFERTAS_WEB_RATE_LIMIT_CLIENTS: "5" }), /OFERTAS_WEB_RATE_LIMIT_CLIENTS/);
  assert.throws(() => webSettingsFromEnv({ OFERTAS_WEB_QUERY_TIMEOUT: "1h" }), /OFERTAS_WEB_QUERY_TIMEOUT/);
});
