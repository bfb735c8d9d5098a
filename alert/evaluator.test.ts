import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { AlertSchema } from "../shared/alert/alert-record.ts";
import type { Rule } from "../shared/alert/rule.ts";
import type { Watch } from "../shared/watch/watch.ts";
import type { Candidate } from "./candidates.ts";
import type { Episode } from "./episodes.ts";
import { activeRules, evaluate, judge, lowDaysOf } from "./evaluator.ts";

const candidate = (overrides: Partial<Candidate>): Candidate => ({
  site: "MLB",
  item_id: "MLB1000000001",
  title: "Fone Bluetooth",
  currency: "BRL",
  url: "https://produto.mercadolivre.com.br/MLB-1000000001-x-_JM",
  price: "70.00",
  original_price: "100.00",
  displayed_discount_pct: 30,
  watch_ids: ["fones"],
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
  ({ clear_after: "6h", rearm_after: null, ...r }) as Rule;

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
    () => false,
  );
  assert.deepEqual(rules.map((r) => [r.key, r.channels]), [
    ["watch:fones:below", ["mail"]],
    ["watch:fones:low", ["mail"]],
    ["global:real_deal", ["hook"]],
  ]);
  assert.deepEqual(lowDaysOf(rules), [7]);
});

test("evaluate: one alert per (rule, item) episode, ids stable for the same load, states carried", async () => {
  const rules = activeRules([watch("fones", { rules: [rule({ kind: "below", price: 80 })], first_run: "alert" })], [], [
    "hook",
  ], () => false);
  const items = [
    candidate({}),
    candidate({ item_id: "MLB1000000002", watch_ids: ["other"] }),
    candidate({ item_id: "MLB1000000003", price: "90.00" }),
  ];
  const context = { now: Date.parse("2026-06-30T12:00:00Z"), day: "2026-06-30", source: "batch:abc" };
  const first = await evaluate(items, rules, new Map(), context);
  assert.deepEqual(
    first.alerts.map((a) => a.item_id),
    ["MLB1000000001"],
    "only what the watch found, only under the price",
  );
  const [alert] = first.alerts;
  assert.ok(v.safeParse(AlertSchema, alert).success, "the alert is the contract's");
  assert.equal(alert!.channels.join(), "hook");
  assert.match(alert!.alert_id, /^[0-9a-f]{24}$/);
  // the same load again, before its states were written: the same alert id
  const again = await evaluate(items, rules, new Map(), context);
  assert.equal(again.alerts[0]!.alert_id, alert!.alert_id);
  // with the states written: nothing new
  const states = new Map<string, Episode>(first.states);
  const later = await evaluate(items, rules, states, { ...context, now: context.now + 60_000, source: "batch:def" });
  assert.deepEqual(later.alerts, []);
});

test("evaluate: a silent first run opens episodes without alerts; the next run alerts only new starts", async () => {
  let firstRun = true;
  const rulesNow = () =>
    activeRules(
      [watch("fones", { rules: [rule({ kind: "below", price: 80 })], first_run: "silent" })],
      [],
      [],
      () => firstRun,
    );
  const context = { now: Date.parse("2026-06-30T12:00:00Z"), day: "2026-06-30", source: "batch:1" };
  const first = await evaluate([candidate({})], rulesNow(), new Map(), context);
  assert.deepEqual(first.alerts, []);
  firstRun = false;
  const second = await evaluate(
    [candidate({}), candidate({ item_id: "MLB1000000009" })],
    rulesNow(),
    first.states,
    { ...context, source: "batch:2" },
  );
  assert.deepEqual(second.alerts.map((a) => a.item_id), ["MLB1000000009"]);
});
