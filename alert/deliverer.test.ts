import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert, Delivery } from "../shared/alert/alert-record.ts";
import type { Channel, ChannelAnswer } from "./channels/channel.ts";
import type { AlertMessage } from "./channels/message.ts";
import { DELIVERED_RETENTION_MS, Deliverer, digestDue } from "./deliverer.ts";

const alert = (id: number, channels = ["hook"], at = "2026-06-30T12:00:00.000Z"): Alert => ({
  type: "alert",
  schema_version: 1,
  alert_id: String(id).padStart(24, "0"),
  rule_key: "watch:w:below",
  kind: "below",
  watch_id: "w",
  site: "MLB",
  item_id: `MLB100000000${id}`,
  offer_date: "2026-06-30",
  title: `Item ${id}`,
  currency: "BRL",
  url: null,
  price: "10.00",
  verdict: null,
  real_discount_pct: null,
  why: "cheap",
  channels,
  decided_at: at,
  source: "load:1",
});

function fakeChannel(name: string, answers: () => ChannelAnswer, digest: Channel["digest"] = null) {
  const sent: Array<{ message: AlertMessage; key: string }> = [];
  const channel: Channel = {
    name,
    scheme: "json",
    redacted: `json://${name}`,
    idempotent: true,
    digest,
    send: (message, key) => {
      sent.push({ message, key });
      return Promise.resolve(answers());
    },
  };
  return { channel, sent };
}

function deliverer(channels: Channel[], clock: { now: number }) {
  const records: Delivery[] = [];
  const d = new Deliverer({
    channels: new Map(channels.map((c) => [c.name, c])),
    record: (r) => {
      records.push(r);
      return Promise.resolve();
    },
    retry: { baseMs: 1_000, maxMs: 60_000 },
    now: () => clock.now,
  });
  return { d, records };
}

test("deliverer: each alert once per channel, its id as the idempotency key, recorded as delivered", async () => {
  const clock = { now: 0 };
  const hook = fakeChannel("hook", () => ({ ok: true, detail: "204" }));
  const mail = fakeChannel("mail", () => ({ ok: true, detail: "250 OK" }));
  const { d, records } = deliverer([hook.channel, mail.channel], clock);
  d.apply(alert(1, ["hook", "mail"]));
  d.apply(alert(2, ["hook"]));
  await d.runOnce();
  assert.deepEqual(hook.sent.map((s) => s.key), [alert(1).alert_id, alert(2).alert_id]);
  assert.deepEqual(mail.sent.map((s) => s.key), [alert(1).alert_id]);
  assert.deepEqual(records.map((r) => [r.alert_id.slice(-1), r.channel, r.state]).sort(), [["1", "hook", "delivered"], [
    "1",
    "mail",
    "delivered",
  ], ["2", "hook", "delivered"]]);
  await d.runOnce();
  assert.equal(hook.sent.length, 2, "nothing twice");
  // a restart rebuilds from the topic: the alerts and their deliveries, in order
  const { d: again } = deliverer([hook.channel, mail.channel], clock);
  again.apply(alert(1, ["hook", "mail"]));
  again.apply(alert(2, ["hook"]));
  for (const r of records) again.apply(r);
  await again.runOnce();
  assert.equal(hook.sent.length, 2, "delivered before the restart: not sent again");
});

/** The warn and info lines a function logs (console.error / console.log), as parsed JSON. */
async function logged(work: () => Promise<void>): Promise<Array<{ level: string; event: string }>> {
  const lines: string[] = [];
  const [error, info] = [console.error, console.log];
  console.error = (line: string) => lines.push(line);
  console.log = (line: string) => lines.push(line);
  try {
    await work();
  } finally {
    [console.error, console.log] = [error, info];
  }
  return lines.map((l) => JSON.parse(l));
}

test("deliverer: a failing channel is one circuit: one probe per attempt, one line when it fails and one when it recovers", async () => {
  const clock = { now: 0 };
  let up = false;
  const hook = fakeChannel(
    "hook",
    () => (up ? { ok: true, detail: "200 OK" } : { ok: false, detail: "500 Internal Server Error" }),
  );
  const { d, records } = deliverer([hook.channel], clock);
  for (let i = 1; i <= 48; i++) d.apply(alert(i));
  const lines = await logged(async () => {
    await d.runOnce();
    assert.equal(hook.sent.length, 1, "the first failure stops the sweep: not 48 requests");
    assert.deepEqual(d.state().hook, {
      waiting: 48,
      oldest: "2026-06-30T12:00:00.000Z",
      failing: true,
      last_error: "500 Internal Server Error",
      attempts: 1,
    });
    await d.runOnce();
    assert.equal(hook.sent.length, 1, "not before the backoff");
    for (let i = 0; i < 6; i++) {
      clock.now += 120_000;
      await d.runOnce();
    }
    assert.equal(hook.sent.length, 7, "one probe per attempt");
    up = true;
    clock.now += 120_000;
    await d.runOnce();
  });
  assert.deepEqual(lines.map((l) => `${l.level} ${l.event}`), [
    "warn alert_channel_failing",
    "info alert_channel_recovered",
  ]);
  assert.equal(hook.sent.length, 8 + 47, "recovered: the rest follow");
  const retrying = records.filter((r) => r.state === "retrying");
  assert.deepEqual([...new Set(retrying.map((r) => r.attempts))], [1, 2, 4], "records at failures 1, 2, 4, …");
  assert.equal(new Set(retrying.map((r) => r.alert_id)).size, 48, "every waiting alert shows why it waits");
  assert.deepEqual(records.filter((r) => r.state === "delivered").length, 48);
  assert.equal(d.state().hook!.waiting, 0);
});

test("deliverer: a channel's Retry-After is honoured up to the longest back-off; an unknown channel keeps its alerts waiting", async () => {
  const clock = { now: 0 };
  let retryAfterMs = 600_000;
  const hook = fakeChannel("hook", () => ({ ok: false, detail: "429", retryAfterMs }));
  const { d } = deliverer([hook.channel], clock);
  d.apply(alert(1, ["hook", "gone"]));
  await d.runOnce();
  clock.now += 50_000;
  await d.runOnce();
  assert.equal(hook.sent.length, 1, "inside the channel's Retry-After");
  clock.now += 10_001;
  await d.runOnce();
  assert.equal(hook.sent.length, 2, "bounded by the longest back-off (60 s here), not the 600 s asked");
  retryAfterMs = 1e308;
  clock.now += 60_001;
  await d.runOnce();
  clock.now += 60_001;
  await d.runOnce();
  assert.equal(hook.sent.length, 4, "an absurd Retry-After waits the longest back-off, not forever");
  assert.equal(d.state().gone!.last_error, "unknown channel (not in OFERTAS_ALERT_CHANNELS)");
});

test("deliverer: a delivery record that fails to write is retried, never a reason to send again", async () => {
  const clock = { now: 0 };
  const hook = fakeChannel("hook", () => ({ ok: true, detail: "204" }));
  let refusals = 2;
  const written: Delivery[] = [];
  const d = new Deliverer({
    channels: new Map([["hook", hook.channel]]),
    record: (r) => {
      if (refusals-- > 0) return Promise.reject(new Error("broker unavailable"));
      written.push(r);
      return Promise.resolve();
    },
    retry: { baseMs: 1, maxMs: 5 },
    now: () => clock.now,
  });
  d.apply(alert(1));
  await logged(() => d.runOnce());
  assert.equal(hook.sent.length, 1);
  assert.deepEqual(written.map((r) => r.state), ["delivered"]);
  await d.runOnce();
  assert.equal(hook.sent.length, 1, "not sent again");
});

test("deliverer: a digest is split within the channel's limit; each alert counts once its message was accepted", async () => {
  const clock = { now: Date.parse("2026-06-30T13:00:00Z") };
  let accepted = 2;
  const chat = fakeChannel(
    "chat",
    () => (accepted-- > 0 ? { ok: true, detail: "ok" } : { ok: false, detail: "503" }),
    "hourly",
  );
  const limited: Channel = { ...chat.channel, maxMessageChars: 2000 };
  const { d, records } = deliverer([limited], clock);
  for (let i = 1; i <= 100; i++) d.apply({ ...alert(i, ["chat"], "2026-06-30T12:10:00.000Z"), why: "x".repeat(60) });
  await logged(() => d.runOnce());
  const [first, second] = chat.sent;
  for (const s of chat.sent) assert.ok(s.message.title.length + 1 + s.message.text.length <= 2000);
  assert.equal(chat.sent.length, 3, "two accepted, the third refused");
  const delivered = records.filter((r) => r.state === "delivered").map((r) => r.alert_id);
  assert.deepEqual(delivered, [...first!.message.alerts, ...second!.message.alerts].map((a) => a.alert_id));
  assert.equal(d.state().chat!.waiting, 100 - delivered.length);
  // the rest go once the channel answers again, each alert in exactly one accepted message
  accepted = 100;
  for (let i = 0; i < 10 && d.state().chat!.waiting > 0; i++) {
    clock.now += 120_000;
    await logged(() => d.runOnce());
  }
  const ids = records.filter((r) => r.state === "delivered").map((r) => r.alert_id);
  assert.equal(ids.length, 100);
  assert.equal(new Set(ids).size, 100);
});

test("deliverer: a digest channel sends what waited as one message at the end of its period", async () => {
  const clock = { now: Date.parse("2026-06-30T12:10:00Z") };
  const daily = fakeChannel("daily", () => ({ ok: true, detail: "ok" }), "hourly");
  const { d, records } = deliverer([daily.channel], clock);
  d.apply(alert(1, ["daily"], "2026-06-30T12:10:00.000Z"));
  d.apply(alert(2, ["daily"], "2026-06-30T12:40:00.000Z"));
  await d.runOnce();
  assert.equal(daily.sent.length, 0);
  clock.now = Date.parse("2026-06-30T13:00:00Z");
  await d.runOnce();
  assert.equal(daily.sent.length, 1);
  assert.match(daily.sent[0]!.message.title, /2 alerts \(hourly digest\)/);
  assert.equal(records.filter((r) => r.state === "delivered").length, 2);
  assert.equal(digestDue("daily", Date.parse("2026-06-30T12:00:00Z")), Date.parse("2026-07-01T11:00:00Z"));
  assert.equal(digestDue("daily", Date.parse("2026-06-30T10:00:00Z")), Date.parse("2026-06-30T11:00:00Z"));
});

test("deliverer: an alert delivered everywhere is tombstoned a day later; one still waiting is not", async () => {
  const clock = { now: Date.parse("2026-06-30T12:00:00Z") };
  const hook = fakeChannel("hook", () => ({ ok: true, detail: "204" }));
  const forgotten: string[][] = [];
  const d = new Deliverer({
    channels: new Map([["hook", hook.channel]]),
    record: () => Promise.resolve(),
    forget: (keys) => {
      forgotten.push(keys);
      return Promise.resolve();
    },
    retry: { baseMs: 1_000, maxMs: 60_000 },
    now: () => clock.now,
  });
  d.apply(alert(1, ["hook"]));
  d.apply(alert(2, ["hook", "gone"]));
  await d.runOnce();
  assert.deepEqual(forgotten, []);
  clock.now += DELIVERED_RETENTION_MS;
  await d.runOnce();
  assert.deepEqual(forgotten, [[alert(1).alert_id, `${alert(1).alert_id}|hook`]]);
  // forgotten here too: a later delivery record of it changes nothing, the other still waits
  assert.equal(d.state().gone!.waiting, 1);
});
