import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { AlertSchema } from "../shared/alert/alert-record.ts";
import type { Rule } from "../shared/alert/rule.ts";
import type { Watch } from "../shared/watch/watch.ts";
import type { Observation } from "./observation.ts";
import { activeRules, evaluate, judge, lowDaysOf } from "./evaluator.ts";

let keys = 0;
const candidate = (overrides: Partial<Observation>): Observation => ({
  site: "MLB",
  item_id: "MLB1000000001",
  offer_key: `key-${String(++keys).padStart(6, "0")}`,
  kafka_partition: 0,
  kafka_offset: keys,
  scraped_at: "2026-06-30T12:00:00.000Z",
  offer_date: "2026-06-30",
  title: "Fone Bluetooth",
  currency: "BRL",
  url: "https://produto.mercadolivre.com.br/MLB-1000000001-x-_JM",
  price: "70.00",
  original_price: "100.00",
  displayed_discount_pct: 30,
  watch_id: "fones",
  watch_run: 2,
  previous_price: "100.00",
  previous_day: "2026-06-29",
  lows: { 7: "100.00", 30: "100.00" },
  verdict: "real",
  real_discount_pct: "30.00",
  min_price_30d: "100.00",
  history_days: 20,
  ...overrides,
});

const rule = (r: Partial<Rule> & { kind: Rule["kind"] }): Rule =>
  ({ clear_after: "6h", rearm_after: null, absent_after: "3d", ...r }) as Rule;

test("rules: each kind against the numbers SQL gave", () => {
  const c = candidate({});
  assert.equal(judge(rule({ kind: "real_deal", min_real_discount_pct: 25 }), c).holds, true);
  assert.equal(judge(rule({ kind: "real_deal", min_real_discount_pct: 31 }), c).holds, false);
  assert.equal(
    judge(rule({ kind: "real_deal", min_real_discount_pct: 10 }), candidate({ verdict: "inflated" })).holds,
    false,
  );
  assert.equal(judge(rule({ kind: "below", price: 70 }), c).holds, true, "at the target counts");
  assert.equal(judge(rule({ kind: "below", price: 69.99 }), c).holds, false);
  assert.equal(judge(rule({ kind: "new_low", days: 7 }), c).holds, true);
  assert.equal(
    judge(rule({ kind: "new_low", days: 7 }), candidate({ lows: { 7: null, 30: null } })).holds,
    false,
    "no history: no low to beat",
  );
  assert.equal(
    judge(rule({ kind: "new_low", days: 7 }), candidate({ price: "100.00" })).holds,
    false,
    "equal is not under",
  );
  assert.equal(judge(rule({ kind: "drop", min_drop_pct: 30 }), c).holds, true);
  assert.equal(judge(rule({ kind: "drop", min_drop_pct: 31 }), c).holds, false);
  assert.equal(judge(rule({ kind: "drop", min_drop_pct: 5 }), candidate({ previous_price: null })).holds, false);
  assert.match(
    judge(rule({ kind: "below", price: 80 }), c).why,
    /^R\$ 70,00 is at or below your price of R\$ 80,00\.$/,
  );
  assert.match(judge(rule({ kind: "drop", min_drop_pct: 5 }), c).why, /30% under R\$ 100,00 on 2026-06-29/);
});

const watch = (id: string, alerts: Watch["alerts"], enabled = true): Watch => ({
  id,
  name: id,
  target: { site: "MLB", view: "search", query: id, pages: 1 },
  period: { every: "1h" },
  enabled,
  alerts,
  created_at: "2026-06-01T00:00:00.000Z",
  updated_at: "2026-06-01T00:00:00.000Z",
});

test("rules: a watch's rules apply to what it found; global rules to everything; channels narrow", () => {
  const rules = activeRules(
    [
      watch("fones", {
        rules: [rule({ kind: "below", price: 80 }), rule({ kind: "new_low", days: 7, id: "low" })],
        first_run: "alert",
        channels: ["mail"],
      }),
      watch("off", { rules: [rule({ kind: "below", price: 80 })], first_run: "alert" }, false),
    ],
    [rule({ kind: "real_deal", min_real_discount_pct: 20, channels: ["hook", "nope"] })],
    ["hook", "mail"],
  );
  assert.deepEqual(rules.map((r) => [r.key, r.channels]), [
    ["watch:fones:below", ["mail"]],
    ["watch:fones:low", ["mail"]],
    ["global:real_deal", ["hook"]],
  ]);
  assert.deepEqual(lowDaysOf(rules), [7]);
});

test("evaluate: one alert per (rule, item) episode, ids from the episode whatever carried it, states carried", async () => {
  const rules = activeRules([watch("fones", { rules: [rule({ kind: "below", price: 80 })], first_run: "alert" })], [], [
    "hook",
  ]);
  const items = [
    candidate({}),
    candidate({ item_id: "MLB1000000002", watch_id: "other" }),
    candidate({ item_id: "MLB1000000003", price: "90.00" }),
  ];
  const context = { decidedAt: "2026-06-30T12:05:00.000Z", source: "load:abc" };
  const first = await evaluate(items, rules, new Map(), context);
  assert.deepEqual(
    first.alerts.map((a) => a.item_id),
    ["MLB1000000001"],
    "only what the watch's runs observed, only under the price",
  );
  const [alert] = first.alerts;
  assert.ok(v.safeParse(AlertSchema, alert).success, "the alert is the contract's");
  assert.equal(alert!.channels.join(), "hook");
  assert.match(alert!.alert_id, /^[0-9a-f]{24}$/);
  assert.equal(alert!.observed_at, "2026-06-30T12:00:00.000Z");
  assert.equal(alert!.episode_start, "2026-06-30T12:00:00.000Z");
  // the same observations carried by another load, decided at another time: the same alert id
  const again = await evaluate(items, rules, new Map(), { decidedAt: "2026-06-30T13:00:00.000Z", source: "load:x" });
  assert.equal(again.alerts[0]!.alert_id, alert!.alert_id);
  // with the states written: the same observations are skipped, a later one in the episode says nothing
  const later = await evaluate(
    [...items, candidate({ scraped_at: "2026-06-30T12:30:00.000Z", price: "75.00" })],
    rules,
    first.states,
    context,
  );
  assert.deepEqual(later.alerts, []);
  assert.equal(later.skipped, 1, "the watch's item judged before");
  assert.deepEqual(first.states.size, 1, "no state where the condition never held");
});

test("evaluate: two observations in one load are each judged (under the target, then above it)", async () => {
  const rules = activeRules([], [rule({ kind: "below", price: 80 })], ["hook"]);
  const dip = [
    candidate({ scraped_at: "2026-06-30T12:00:00.000Z", price: "70.00" }),
    candidate({ scraped_at: "2026-06-30T12:30:00.000Z", price: "95.00" }),
  ];
  // in either order in the load: judged in scrape order, the dip alerts
  for (const load of [dip, [...dip].reverse()]) {
    const result = await evaluate(load, rules, new Map(), { decidedAt: "2026-06-30T13:00:00.000Z", source: "load:1" });
    assert.deepEqual(result.alerts.map((a) => a.price), ["70.00"]);
  }
});

test("evaluate: a silent first run opens episodes without alerts; the watch's next run alerts only new starts", async () => {
  const rules = activeRules(
    [watch("fones", { rules: [rule({ kind: "below", price: 80 })], first_run: "silent" })],
    [],
    [],
  );
  const context = { decidedAt: "2026-06-30T12:00:00.000Z", source: "load:1" };
  const first = await evaluate([candidate({ watch_run: 1 })], rules, new Map(), context);
  assert.deepEqual(first.alerts, []);
  const second = await evaluate(
    [
      candidate({ watch_run: 2, scraped_at: "2026-06-30T13:00:00.000Z" }),
      candidate({ item_id: "MLB1000000009", watch_run: 2, scraped_at: "2026-06-30T13:00:00.000Z" }),
      // the first run's offers stay silent even when they are judged late
      candidate({ item_id: "MLB1000000010", watch_run: 1, scraped_at: "2026-06-30T11:00:00.000Z" }),
    ],
    rules,
    first.states,
    { ...context, source: "load:2" },
  );
  assert.deepEqual(second.alerts.map((a) => a.item_id), ["MLB1000000009"]);
});
