import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert, Delivery } from "../shared/alert/alert-record.ts";
import type { Channel, ChannelAnswer } from "./channels/channel.ts";
import type { AlertMessage } from "./channels/message.ts";
import { Deliverer, digestDue } from "./deliverer.ts";

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
  source: "batch:1",
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

test("deliverer: a failing channel keeps its alerts waiting, retried with backoff, then gets them all", async () => {
  const clock = { now: 0 };
  let up = false;
  const hook = fakeChannel(
    "hook",
    () => (up ? { ok: true, detail: "200 OK" } : { ok: false, detail: "500 Internal Server Error" }),
  );
  const { d, records } = deliverer([hook.channel], clock);
  for (let i = 1; i <= 3; i++) d.apply(alert(i));
  await d.runOnce();
  assert.equal(hook.sent.length, 3);
  assert.deepEqual(d.state().hook, {
    waiting: 3,
    oldest: "2026-06-30T12:00:00.000Z",
    failing: true,
    last_error: "500 Internal Server Error",
    attempts: 1,
  });
  await d.runOnce();
  assert.equal(hook.sent.length, 3, "not before the backoff");
  for (let i = 0; i < 5; i++) {
    clock.now += 120_000;
    await d.runOnce();
  }
  assert.ok(hook.sent.length >= 3 * 5, "retried");
  const retrying = records.filter((r) => r.state === "retrying").map((r) => r.attempts);
  assert.deepEqual([...new Set(retrying)], [1, 2, 4], "a record at attempts 1, 2, 4, …");
  up = true;
  clock.now += 120_000;
  await d.runOnce();
  assert.deepEqual(records.filter((r) => r.state === "delivered").map((r) => r.alert_id.slice(-1)), ["1", "2", "3"]);
  assert.equal(d.state().hook!.waiting, 0);
});

test("deliverer: a channel's Retry-After is honoured; an unknown channel keeps its alerts waiting", async () => {
  const clock = { now: 0 };
  const hook = fakeChannel("hook", () => ({ ok: false, detail: "429", retryAfterMs: 600_000 }));
  const { d } = deliverer([hook.channel], clock);
  d.apply(alert(1, ["hook", "gone"]));
  await d.runOnce();
  clock.now += 300_000;
  await d.runOnce();
  assert.equal(hook.sent.length, 1, "still inside the channel's Retry-After");
  assert.equal(d.state().gone!.last_error, "unknown channel (not in OFERTAS_ALERT_CHANNELS)");
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
