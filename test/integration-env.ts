/**
 * What the integration tests (*.int.test.ts) need from the test runner (scripts/test.ts),
 * which starts real services first. Run alone, they fail with instructions instead of
 * silently skipping: Kafka is never replaced by a mock.
 */
import process from "node:process";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. Integration tests run against real services started by the test runner: ` +
        "use `npm test` (or `bun run scripts/test.ts integration`).",
    );
  }
  return value;
}

export const integrationEnv = {
  get kafkaBrokers(): string {
    return required("KAFKA_BROKERS");
  },
  /** OFERTAS_HOME of the test cluster, for scripts/kafka-local kill/start-node. */
  get kafkaHome(): string {
    return required("OFERTAS_HOME");
  },
  get kafkaPortBase(): string {
    return required("OFERTAS_KAFKA_PORT_BASE");
  },
  get gcsEndpoint(): string {
    return required("OFERTAS_TEST_GCS_ENDPOINT");
  },
  get bigqueryEndpoint(): string {
    return required("OFERTAS_TEST_BIGQUERY_ENDPOINT");
  },
  get bigqueryProject(): string {
    return required("OFERTAS_TEST_BQ_PROJECT");
  },
};
