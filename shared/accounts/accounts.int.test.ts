/**
 * Accounts on the real cluster: two web view instances (two AccountStores on one accounts topic)
 * decide one login for two people claiming it at once; a session begun on one is honoured by the
 * other, and sign out everywhere on one ends it on both; a channel sealed by one is opened by the
 * alerter's directory reading the same topic with the same key (and not with another key); a
 * restarted reader rebuilds the same state from the compacted topic.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { kafkaConfigFromEnv, TOPICS } from "../kafka.ts";
import { KafkaKeyedLog } from "../keyed-log.ts";
import { integrationEnv } from "../../test/integration-env.ts";
import { createTestTopic } from "../../test/kafka-helpers.ts";
import { AccountStore } from "./account-store.ts";
import { AccountBook, channelKey } from "./account-book.ts";
import { newId } from "./account-ids.ts";
import { SecretBox } from "./secret-box.ts";
import { sealChannel } from "../../alert/channels/person-channel.ts";
import { ChannelDirectory } from "../../alert/person-channels.ts";

const FAST = { logN: 10, r: 8, p: 1 };
let topic: string;
const stores: AccountStore[] = [];

function store(name: string): AccountStore {
  const config = { ...kafkaConfigFromEnv({ KAFKA_BROKERS: integrationEnv.kafkaBrokers }, name), retry: { retries: 3 } };
  const s = new AccountStore(new KafkaKeyedLog(config, [topic], name), topic, { sessionDays: 1, hashParameters: FAST });
  stores.push(s);
  return s;
}

before(async () => {
  topic = await createTestTopic("accounts", TOPICS.accounts);
});

after(async () => {
  await Promise.allSettled(stores.map((s) => s.close()));
});

test("accounts on Kafka: one login, sessions across instances, sealed channels opened by the alerter", async () => {
  const [a, b] = [store("web-a"), store("web-b")];
  await Promise.all([a.start(), b.start()]);

  const made = await Promise.all([
    a.createAccount("ana@example.com", "member", "password of a!"),
    b.createAccount("ana@example.com", "member", "password of b!"),
  ]);
  assert.equal(made.filter((m) => m.ok).length, 1, "one of two claims of a login wins");
  await Promise.all([a.catchUp(), b.catchUp()]);
  const holder = a.book.accountByLogin("ana@example.com")!;
  assert.equal(b.book.accountByLogin("ana@example.com")?.id, holder.id, "both instances agree");

  const winner = made.find((m) => m.ok)!;
  const password = winner === made[0] ? "password of a!" : "password of b!";
  assert.ok(await b.checkPassword("ana@example.com", password));
  const token = await a.newSession(holder.id);
  await b.catchUp();
  assert.equal((await b.sessionAccount(token))?.account.id, holder.id, "a session begun on A works on B");
  await b.endAllSessions(holder.id);
  await a.catchUp();
  assert.equal(await a.sessionAccount(token), null, "sign out everywhere on B ends it on A");

  const key = Buffer.alloc(32, 9).toString("base64");
  const box = await SecretBox.fromBase64(key);
  const id = newId("c");
  const input = { kind: "ntfy" as const, value: "https://ntfy.sh/ana-topic-on-kafka" };
  await a.write(channelKey(id), {
    type: "channel",
    id,
    owner: holder.id,
    name: "phone",
    kind: "ntfy",
    sealed: await sealChannel(box, id, input),
    shown: "ntfys://ntfy.sh/***",
    created_at: new Date().toISOString(),
  });

  // the alerter: its own reader of the topic, the same key; another key opens nothing
  for (const [withKey, expected] of [[key, [id]], [Buffer.alloc(32, 1).toString("base64"), []]] as const) {
    const book = new AccountBook();
    const directory = new ChannelDirectory(new Map(), await SecretBox.fromBase64(withKey), {
      telegramBotToken: null,
      smtpUrl: null,
      env: {},
    }, { allowLoopback: false, allowPrivate: false });
    book.onChannel = (cid, record) => directory.apply(cid, record);
    const config = { ...kafkaConfigFromEnv({ KAFKA_BROKERS: integrationEnv.kafkaBrokers }, "alerter") };
    const reader = new KafkaKeyedLog(config, [topic], `alerter-${expected.length}`);
    await reader.start((r) => book.apply(r.key, r.value));
    await directory.settled();
    assert.deepEqual(directory.channelsOf(holder.id), expected);
    await reader.close();
  }

  // a restart reads the same state back from the compacted topic
  const c = store("web-c");
  await c.start();
  assert.equal(c.book.accountByLogin("ana@example.com")?.id, holder.id);
  assert.equal(c.book.channelsOf(holder.id).length, 1);
  assert.equal(await c.sessionAccount(token), null);
});
