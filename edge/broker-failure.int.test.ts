/**
 * Broker failure: offers are produced continuously through the route while the leader of
 * a partition is SIGKILLed and later restarted. Afterwards the topic is read from the
 * beginning: every offer whose produce was acknowledged (HTTP 200) is there exactly once.
 * Offers of failed requests (503) were never retried, so they may be there at most once.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleOffer } from "../test/sample-offer.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic, kafkaLocal, readTopic, testKafka, waitForBrokers } from "../test/kafka-helpers.ts";
import { startRouteProcess, waitReady } from "../test/route-process.ts";

const BATCH = 10;

async function leaderOfPartition0(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;
  } finally {
    await admin.disconnect();
  }
}

test("broker failure: SIGKILL a partition leader mid-run and restart it; acknowledged offers are there exactly once", async () => {
  const topic = await createTestTopic("broker-failure");
  const route = await startRouteProcess("bun", {
    KAFKA_BROKERS: integrationEnv.kafkaBrokers,
    OFERTAS_TOPIC: topic,
    OFERTAS_SEND_TIMEOUT_MS: "20000",
  });
  const acknowledged = new Set<string>();
  const unacknowledged = new Set<string>();
  const phases = { beforeKill: 0, whileDown: 0, afterRestart: 0 };
  let phase: keyof typeof phases = "beforeKill";
  let stop = false;
  let sequence = 0;

  const victim = await leaderOfPartition0(topic);
  try {
    assert.equal((await waitReady(route.url)).status, 200);
    const producing = (async () => {
      while (!stop) {
        const ids = Array.from({ length: BATCH }, () => `MLB${3_000_000_000 + sequence++}`);
        const body = ids.map((id, i) => JSON.stringify(sampleOffer({ item_id: id, position: i + 1 }))).join("\n");
        let ok = false;
        try {
          const res = await fetch(`${route.url}/offers`, {
            method: "POST",
            headers: { "content-type": "application/x-ndjson", "x-scrape-id": `failover-${sequence}` },
            body,
          });
          ok = res.status === 200 && ((await res.json()) as { produced: number }).produced === BATCH;
        } catch {
          ok = false;
        }
        for (const id of ids) (ok ? acknowledged : unacknowledged).add(id);
        if (ok) phases[phase] += BATCH;
      }
    })();

    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(await kafkaLocal("kill", String(victim)), 0);
    phase = "whileDown";
    await new Promise((r) => setTimeout(r, 15_000)); // longer than broker.session.timeout.ms: leadership moves
    assert.equal(await kafkaLocal("start-node", String(victim)), 0);
    await waitForBrokers(3);
    phase = "afterRestart";
    await new Promise((r) => setTimeout(r, 4_000));
    stop = true;
    await producing;
  } finally {
    await route.stop();
    await waitForBrokers(3);
    assert.equal(await kafkaLocal("balance"), 0, "leaders back on their preferred nodes for the next tests");
  }

  console.log(
    `  acknowledged ${acknowledged.size}, failed ${unacknowledged.size}; per phase ${
      JSON.stringify(phases)
    } (killed broker ${victim})`,
  );
  assert.ok(
    phases.beforeKill > 0 && phases.whileDown > 0 && phases.afterRestart > 0,
    `offers acknowledged in every phase: ${JSON.stringify(phases)}`,
  );

  const seen = new Map<string, number>();
  await readTopic(
    topic,
    (messages) => {
      seen.clear();
      for (const m of messages) seen.set(m.key!, (seen.get(m.key!) ?? 0) + 1);
      return [...acknowledged].every((id) => seen.has(id));
    },
    90_000,
  );
  const missing = [...acknowledged].filter((id) => !seen.has(id));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  const strays = [...seen.keys()].filter((id) => !acknowledged.has(id) && !unacknowledged.has(id));
  assert.deepEqual(missing, [], "no acknowledged offer lost");
  assert.deepEqual(duplicated, [], "no offer twice (idempotent producer)");
  assert.deepEqual(strays, []);
});
