/**
 * compose.yaml cannot run here (no Docker engine), so it is checked against what does run:
 * scripts/kafka-local, infra/kafka/broker.properties, the pom's Kafka version, shared/kafka.ts
 * and the route's and consumer's configuration. Bun-only (Bun.YAML).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}
const compose = Bun.YAML.parse(read("compose.yaml")) as { services: Record<string, Service> };
const services = compose.services;
const brokers = ["kafka-1", "kafka-2", "kafka-3"];

/** The ports scripts/kafka-local gives node i with the default base 9092. */
const localBrokerPort = (i: number) => 9092 + 2 * (i - 1);

test("compose: the services of the pipeline", () => {
  assert.deepEqual(Object.keys(services).sort(), [
    "alerter",
    "bigquery",
    "consumer",
    "enricher",
    "gcs",
    "kafka-1",
    "kafka-2",
    "kafka-3",
    "kafka-init",
    "scrape-route",
    "web",
  ]);
});

test("compose: three KRaft nodes, each broker+controller, one quorum, one cluster id", () => {
  const voters = new Set<string>();
  const clusterIds = new Set<string>();
  brokers.forEach((name, index) => {
    const env = services[name]!.environment!;
    assert.equal(env.KAFKA_NODE_ID, String(index + 1), name);
    assert.equal(env.KAFKA_PROCESS_ROLES, "broker,controller", name);
    voters.add(env.KAFKA_CONTROLLER_QUORUM_VOTERS!);
    clusterIds.add(env.CLUSTER_ID!);
  });
  assert.deepEqual([...voters], ["1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"]);
  assert.equal(clusterIds.size, 1);
  // kafka-storage format takes a UUID: 16 bytes in base64url, 22 characters
  const id = [...clusterIds][0]!;
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(Buffer.from(id, "base64url").length, 16);
});

test("compose: the Kafka image is the version the local cluster runs", () => {
  const version = /<kafka.version>(.+)<\/kafka.version>/.exec(read("infra/kafka/pom.xml"))![1];
  for (const name of brokers) assert.equal(services[name]!.image, `apache/kafka:${version}`, name);
});

test("compose: brokers reachable from the host on the same ports as scripts/kafka-local", () => {
  const script = read("scripts/kafka-local");
  assert.match(script, /PORT_BASE="\$\{OFERTAS_KAFKA_PORT_BASE:-9092\}"/);
  assert.match(script, /broker_port\(\) \{ echo \$\(\(PORT_BASE \+ 2 \* \(\$1 - 1\)\)\); \}/);
  brokers.forEach((name, index) => {
    const port = localBrokerPort(index + 1);
    const service = services[name]!;
    assert.deepEqual(service.ports, [`127.0.0.1:${port}:${port}`], name);
    assert.match(service.environment!.KAFKA_LISTENERS!, new RegExp(`EXTERNAL://:${port}\\b`), name);
    assert.match(
      service.environment!.KAFKA_ADVERTISED_LISTENERS!,
      new RegExp(`EXTERNAL://127\\.0\\.0\\.1:${port}\\b`),
      name,
    );
  });
});

test("compose: every setting of infra/kafka/broker.properties, with the same value", () => {
  const properties = read("infra/kafka/broker.properties")
    .split("\n")
    .filter((line) => line.trim() && !line.trim().startsWith("#"))
    .map((line) => line.split("=").map((s) => s.trim()) as [string, string]);
  assert.ok(properties.length >= 10);
  for (const name of brokers) {
    const env = services[name]!.environment!;
    for (const [key, value] of properties) {
      const envName = `KAFKA_${key.toUpperCase().replace(/\./g, "_")}`;
      assert.equal(env[envName], value, `${name}: ${envName}`);
    }
  }
});

test("compose: apps reach all three brokers; topics are created by the project's own script first", () => {
  const internal = brokers.map((b) => `${b}:29092`).join(",");
  for (const name of ["kafka-init", "scrape-route", "consumer"]) {
    assert.equal(services[name]!.environment!.KAFKA_BROKERS, internal, name);
  }
  assert.deepEqual(services["kafka-init"]!.command, ["bun", "run", "scripts/kafka-topics.ts", "ensure"]);
  for (const name of ["scrape-route", "consumer", "enricher"]) {
    const deps = services[name]!.depends_on as Record<string, { condition: string }>;
    assert.equal(deps["kafka-init"]?.condition, "service_completed_successfully", name);
  }
});

test("compose: the route and the consumer run the design card's entry points with valid settings", async () => {
  assert.deepEqual(services["scrape-route"]!.command, ["bun", "run", "edge/scrape-route.ts"]);
  assert.deepEqual(services.consumer!.command, ["bun", "run", "batch/consumer.ts"]);
  const route = services["scrape-route"]!.environment!;
  assert.equal(route.OFERTAS_HOST, "0.0.0.0");
  assert.deepEqual(services["scrape-route"]!.ports, [`127.0.0.1:${route.PORT}:${route.PORT}`]);
  const { routeSettingsFromEnv } = await import("../edge/route-config.ts");
  const resolved = Object.fromEntries(
    Object.entries(route).map(([k, v]) => [k, v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1")]),
  );
  assert.doesNotThrow(() => routeSettingsFromEnv(resolved));
});

test("compose: the web view reads the warehouse the consumer loads, with valid settings", async () => {
  assert.deepEqual(services.web!.command, ["bun", "run", "web/server.ts"]);
  const web = services.web!.environment!;
  const consumer = services.consumer!.environment!;
  for (const name of ["OFERTAS_WAREHOUSE", "OFERTAS_BQ_PROJECT", "OFERTAS_BQ_DATASET", "OFERTAS_BQ_ENDPOINT"]) {
    assert.equal(web[name], consumer[name], name);
  }
  assert.deepEqual(services.web!.ports, [`127.0.0.1:${web.OFERTAS_WEB_PORT}:${web.OFERTAS_WEB_PORT}`]);
  const { webSettingsFromEnv } = await import("../web/web-config.ts");
  assert.equal(webSettingsFromEnv(web).warehouse.kind, "bigquery");
});

test("compose: the emulators are wired to each other and to the consumer", () => {
  assert.equal(services.bigquery!.environment!.STORAGE_EMULATOR_HOST, "http://gcs:4443");
  assert.ok(services.gcs!.command!.includes("-external-url"), "loads from gs:// need -external-url");
  const consumer = services.consumer!.environment!;
  assert.equal(consumer.OFERTAS_BQ_ENDPOINT, "http://bigquery:9050");
  assert.equal(consumer.OFERTAS_GCS_ENDPOINT, "http://gcs:4443");
  assert.match(services.bigquery!.command!.join(" "), new RegExp(`--project=${consumer.OFERTAS_BQ_PROJECT}\\b`));
});

test("Dockerfile: the image holds every file the services' entry points import", () => {
  const dockerfile = read("Dockerfile");
  const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  const entries = Object.values(services).map((s) => s.command?.find((arg) => /\.tsx?$/.test(arg)))
    .filter((e): e is string => e !== undefined);
  assert.ok(entries.includes("web/server.ts"));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of read(file).matchAll(/(?:from|import)\s*\(?\s*"(\.\.?\/[^"]+)"/g)) {
      visit(new URL(m[1]!, `file:///${file}`).pathname.slice(1));
    }
  };
  for (const entry of entries) visit(entry);
  const missing = [...seen].filter((f) => !copied.some((c) => f === c || f.startsWith(`${c}/`)));
  assert.deepEqual(missing, [], "files the image lacks");
  if ([...seen].some((f) => f.endsWith(".tsx"))) assert.ok(copied.includes("tsconfig.json"), "JSX settings");
});
