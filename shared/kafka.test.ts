import { test } from "node:test";
import assert from "node:assert/strict";
import { gcpMetadataTokenProvider, managedKafkaToken } from "./gcp-kafka-token.ts";
import { ALERTS_MIN_COMPACTION_LAG_MS, kafkaConfigFromEnv, TOPICS } from "./kafka.ts";
import { DAY_MS } from "./duration.ts";

test("kafka config: local brokers by default, no TLS, no SASL", () => {
  const c = kafkaConfigFromEnv({}, "x");
  assert.deepEqual(c.brokers, ["127.0.0.1:9092", "127.0.0.1:9094", "127.0.0.1:9096"]);
  assert.equal(c.ssl, undefined);
  assert.equal(c.sasl, undefined);
});

test("kafka config: TLS and each SASL mechanism, with clear errors", async () => {
  assert.deepEqual(kafkaConfigFromEnv({ KAFKA_SSL: "true" }, "x").ssl, { rejectUnauthorized: true });
  for (const mechanism of ["plain", "scram-sha-256", "scram-sha-512"]) {
    const c = kafkaConfigFromEnv({
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: "u",
      KAFKA_SASL_PASSWORD: "p",
    }, "x");
    assert.deepEqual(c.sasl, { mechanism, username: "u", password: "p" });
    assert.ok(c.ssl, "SASL goes over TLS");
    assert.throws(
      () => kafkaConfigFromEnv({ KAFKA_SASL_MECHANISM: mechanism }, "x"),
      /KAFKA_SASL_USERNAME is required/,
    );
  }
  const oauth = kafkaConfigFromEnv({ KAFKA_SASL_MECHANISM: "oauthbearer", KAFKA_SASL_OAUTH_TOKEN: "t0k" }, "x");
  assert.equal(oauth.sasl?.mechanism, "oauthbearer");
  assert.deepEqual(await (oauth.sasl as { oauthBearerProvider: () => Promise<unknown> }).oauthBearerProvider(), {
    value: "t0k",
  });
  assert.throws(() => kafkaConfigFromEnv({ KAFKA_SASL_MECHANISM: "gssapi" }, "x"), /not one of plain/);
  assert.throws(() => kafkaConfigFromEnv({ KAFKA_BROKERS: "kafka:abc" }, "x"), /not host:port/);
});

test("managed kafka token: header, claims and access token, base64url, as Google's helpers build them", () => {
  const token = managedKafkaToken(
    "ya29.secret",
    "consumer@p.iam.gserviceaccount.com",
    1_750_003_600_000,
    1_750_000_000_000,
  );
  const [header, claims, access] = token.split(".").map((part) => atob(part!.replace(/-/g, "+").replace(/_/g, "/")));
  assert.deepEqual(JSON.parse(header!), { typ: "JWT", alg: "GOOG_OAUTH2_TOKEN" });
  assert.deepEqual(JSON.parse(claims!), {
    exp: 1_750_003_600,
    iss: "Google",
    iat: 1_750_000_000,
    sub: "consumer@p.iam.gserviceaccount.com",
  });
  assert.equal(access, "ya29.secret");
  assert.doesNotMatch(token, /[=+/]/);
});

test("managed kafka token: read from the metadata server with Metadata-Flavor, cached until a minute before expiry", async () => {
  const calls: string[] = [];
  let time = 1_000_000;
  const provider = gcpMetadataTokenProvider({
    host: "meta.test",
    now: () => time,
    fetch: async (url, init) => {
      assert.equal(new Headers(init.headers).get("metadata-flavor"), "Google");
      calls.push(url);
      return url.endsWith("/token")
        ? Response.json({ access_token: `tok-${calls.length}`, expires_in: 3600 })
        : new Response("sa@p.iam.gserviceaccount.com\n");
    },
  });
  const first = await provider();
  assert.equal(calls.length, 2);
  assert.equal(calls[0], "http://meta.test/computeMetadata/v1/instance/service-accounts/default/token");
  time += 3_000_000; // 50 minutes: still cached
  assert.equal((await provider()).value, first.value);
  assert.equal(calls.length, 2);
  time += 600_000; // 60 minutes: refreshed
  assert.notEqual((await provider()).value, first.value);
  assert.equal(calls.length, 4);
});

test("topics: the cleaner keeps every alert long enough for a lagging consumer to load it", () => {
  const configs = TOPICS.alerts.configs as Record<string, string>;
  assert.equal(configs["cleanup.policy"], "compact");
  assert.equal(Number(configs["min.compaction.lag.ms"]), ALERTS_MIN_COMPACTION_LAG_MS);
  // longer than the day the deliverer waits before a tombstone, and than a week of consumer outage
  assert.ok(ALERTS_MIN_COMPACTION_LAG_MS >= 7 * DAY_MS);
});
