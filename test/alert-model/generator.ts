/**
 * fast-check arbitraries for the alert engine's property tests: price paths of a few items over
 * up to two weeks (gaps from a minute to days, so episodes clear, remind and end by absence),
 * observations from a watch's first and later runs and from anywhere, messages produced twice,
 * rows the warehouse refuses, rules of every kind with their episode settings, and how the
 * pipeline carries it all: load cuts, loads read again and re-cut, an alerter loads behind, and
 * alerter crashes part-way through writing. When a scenario has a product, its first two items
 * are two sellers' listings of it (an official store, a seller of green reputation) and product
 * watches' rules judge it; any rule may count only some sellers.
 */
import fc from "fast-check";
import { addDays } from "../../shared/sql-templates.ts";
import { DAY_MS, MINUTE_MS } from "../../shared/duration.ts";
import type { Carriage } from "./harness.ts";
import type { StoredRow } from "./memory-warehouse.ts";
import type { ModelCondition, ModelRule } from "./reference.ts";

/** Midnight in São Paulo (UTC-3) of the first day. */
export const FIRST_DAY = "2026-06-01";
const DAY0 = Date.parse(`${FIRST_DAY}T03:00:00.000Z`);
const GAPS = [0, 1, 10, 30, 45, 90, 240, 360, 720, 1440, 2 * 1440, 3 * 1440 + 60, 5 * 1440];
const PRICES = [6000, 7000, 7500, 8000, 9000, 10000];

const step = fc.record({
  gap: fc.constantFrom(...GAPS),
  price: fc.constantFrom(...PRICES),
  original: fc.constantFrom(null, 10000, 15000),
  displayed: fc.constantFrom(null, 10, 25, 40),
  fromWatch: fc.boolean(),
  twice: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});

const condition: fc.Arbitrary<ModelCondition> = fc.oneof(
  fc.constantFrom(7000, 7500, 8000).map((price) => ({ kind: "below" as const, price })),
  fc.constantFrom(3, 7).map((days) => ({ kind: "new_low" as const, days })),
  fc.constantFrom(10, 20).map((min_drop_pct) => ({ kind: "drop" as const, min_drop_pct })),
  fc.constantFrom(5, 15).map((min_real_discount_pct) => ({ kind: "real_deal" as const, min_real_discount_pct })),
);

/** The catalog product of a scenario's first two items, when it has one. */
export const PRODUCT = "MLB900001";
const SELLERS = [
  { official: true, reputation: "3_yellow" },
  { official: false, reputation: "5_green" },
  { official: false, reputation: null },
];

const rule = fc.record({
  watch: fc.boolean(),
  product: fc.boolean(),
  seller: fc.constantFrom<ModelRule["seller"]>(
    undefined,
    undefined,
    undefined,
    { official_store: true },
    { min_reputation: "green" },
  ),
  silent: fc.boolean(),
  condition,
  clear_after: fc.constantFrom("0s", "30m", "6h"),
  rearm_after: fc.constantFrom(null, null, "2h"),
  absent_after: fc.constantFrom("12h", "3d"),
});

export interface Scenario {
  log: StoredRow[];
  rules: ModelRule[];
  carriage: Carriage;
}

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  paths: fc.array(fc.array(step, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 3 }),
  product: fc.boolean(),
  firstRunEnds: fc.integer({ min: 0, max: 3 * 1440 }),
  rules: fc.array(rule, { minLength: 1, maxLength: 4 }),
  cuts: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 12 }),
  rereads: fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 1 })), { maxLength: 3 }),
  refused: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 3 }),
  lag: fc.integer({ min: 0, max: 3 }),
  crashes: fc.array(fc.tuple(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 6 })), { maxLength: 3 }),
}).map((g) => {
  const rows: Array<Omit<StoredRow, "offset" | "position">> = [];
  g.paths.forEach((path, i) => {
    const item = `MLB10000000${i + 1}`;
    let minute = 60;
    path.forEach((s, j) => {
      minute += s.gap;
      const at = DAY0 + minute * MINUTE_MS;
      const day = addDays(FIRST_DAY, Math.floor((at - DAY0) / DAY_MS));
      const row = {
        site: "MLB",
        item_id: item,
        offer_key: `${String(i)}${String(j).padStart(3, "0")}`,
        at,
        day,
        price: s.price,
        original: s.original,
        // a card that shows no discount has one recomputed from its struck price (as the consumer does)
        displayed: s.original === null ? null : s.displayed ?? Math.round((s.original - s.price) * 100 / s.original),
        watch_id: s.fromWatch ? "w" : null,
        watch_run: s.fromWatch ? (minute <= g.firstRunEnds + 60 ? 1 : 2) : null,
        product_id: g.product && i < 2 ? PRODUCT : null,
        ...SELLERS[i]!,
        partition: 0,
      };
      rows.push(row);
      // produced twice (a retried send): the same offer, a later position
      if (s.twice) rows.push({ ...row, at: row.at, partition: 0, offer_key: row.offer_key });
    });
  });
  // the log in scrape order (every item's own observations in the order the episodes judge them)
  rows.sort((a, b) => a.at - b.at || (a.offer_key < b.offer_key ? -1 : a.offer_key > b.offer_key ? 1 : 0));
  const log: StoredRow[] = rows.map((r, offset) => ({ ...r, offset, position: offset }));
  const refusedKeys = new Set(g.refused.filter((o) => o < log.length).map((o) => log[o]!.offer_key));
  const rules: ModelRule[] = g.rules.map((r, i) => ({
    key: r.watch ? `watch:w:r${i}` : `global:r${i}`,
    watch_id: r.watch ? "w" : null,
    silent_first_run: r.watch && r.silent,
    condition: r.condition,
    clear_after: r.clear_after,
    rearm_after: r.rearm_after,
    absent_after: r.absent_after,
    // a product watch's rule: the product's observations, whoever found them
    product_id: r.watch && r.product && g.product ? PRODUCT : null,
    seller: r.seller,
  }));
  const carriage: Carriage = {
    cuts: [...new Set([...g.cuts.filter((c) => c < log.length - 1), log.length - 1])].sort((a, b) => a - b),
    rereads: new Map(g.rereads),
    refused: new Set(log.filter((r) => refusedKeys.has(r.offer_key)).map((r) => r.offset)),
    lag: g.lag,
    crashes: new Map(g.crashes),
  };
  return { log, rules, carriage };
});

/** The clock of the alerter: after every day of the scenario (the engine never reads it to judge). */
export const AFTER_ALL = DAY0 + 40 * DAY_MS;
