/**
 * fast-check arbitraries for the stock rules' property test: one item's and one product's stock
 * over up to two weeks (runs of a watch, the enricher's fetches, for sale or not, in stretches),
 * rules of both kinds on an item watch, a product watch or global, with their episode settings,
 * and the same carriage as the price rules' (load cuts, re-reads, lag, crashes, refused rows).
 */
import fc from "fast-check";
import { addDays } from "../../shared/sql-templates.ts";
import { DAY_MS, MINUTE_MS } from "../../shared/duration.ts";
import { FIRST_DAY } from "./generator.ts";
import type { Carriage } from "./harness.ts";
import type { StoredStock } from "./memory-stock.ts";
import type { ModelRule } from "./reference.ts";

const DAY0 = Date.parse(`${FIRST_DAY}T03:00:00.000Z`);
const GAPS = [0, 15, 30, 60, 240, 360, 720, 1440, 3 * 1440 + 60];
export const SUBJECTS = [
  { subject: "item" as const, id: "MLB100000001" },
  { subject: "product" as const, id: "MLB900001" },
];

const step = fc.record({
  gap: fc.constantFrom(...GAPS),
  // stretches: the availability flips now and then
  flip: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  fromWatch: fc.boolean(),
  twice: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});

const rule = fc.record({
  kind: fc.constantFrom("out_of_stock" as const, "back_in_stock" as const),
  owner: fc.constantFrom("item" as const, "product" as const, "global" as const),
  silent: fc.boolean(),
  clear_after: fc.constantFrom("0s", "30m", "6h"),
  rearm_after: fc.constantFrom(null, null, "2h"),
  absent_after: fc.constantFrom("12h", "3d"),
});

export interface StockScenario {
  log: StoredStock[];
  rules: ModelRule[];
  carriage: Carriage;
}

export const stockScenario: fc.Arbitrary<StockScenario> = fc.record({
  paths: fc.array(fc.array(step, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 2 }),
  startsAvailable: fc.boolean(),
  firstRunEnds: fc.integer({ min: 0, max: 3 * 1440 }),
  rules: fc.array(rule, { minLength: 1, maxLength: 4 }),
  cuts: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
  rereads: fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 1 })), { maxLength: 3 }),
  refused: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 2 }),
  lag: fc.integer({ min: 0, max: 3 }),
  crashes: fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 4 })), { maxLength: 3 }),
}).map((g) => {
  const rows: Array<Omit<StoredStock, "offset">> = [];
  g.paths.forEach((path, i) => {
    const { subject, id } = SUBJECTS[i]!;
    let minute = 60;
    let available = g.startsAvailable;
    path.forEach((s, j) => {
      minute += s.gap;
      if (s.flip) available = !available;
      const at = DAY0 + minute * MINUTE_MS;
      const row = {
        site: "MLB",
        subject,
        id,
        key: `${i}${String(j).padStart(3, "0")}`,
        at,
        day: addDays(FIRST_DAY, Math.floor((at - DAY0) / DAY_MS)),
        available,
        watch_id: s.fromWatch ? "w" : null,
        watch_run: s.fromWatch ? (minute <= g.firstRunEnds + 60 ? 1 : 2) : null,
        partition: 0,
      };
      rows.push(row);
      if (s.twice) rows.push({ ...row });
    });
  });
  rows.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const log: StoredStock[] = rows.map((r, offset) => ({ ...r, offset }));
  const refusedKeys = new Set(g.refused.filter((o) => o < log.length).map((o) => log[o]!.key));
  const rules: ModelRule[] = g.rules.map((r, i) => ({
    key: r.owner === "global" ? `global:s${i}` : `watch:w:s${i}`,
    watch_id: r.owner === "global" ? null : "w",
    silent_first_run: r.owner !== "global" && r.silent,
    condition: { kind: r.kind },
    clear_after: r.clear_after,
    rearm_after: r.rearm_after,
    absent_after: r.absent_after,
    product_id: r.owner === "product" ? SUBJECTS[1]!.id : null,
    item_id: r.owner === "item" ? SUBJECTS[0]!.id : null,
  }));
  const carriage: Carriage = {
    cuts: [...new Set([...g.cuts.filter((c) => c < log.length - 1), log.length - 1])].sort((a, b) => a - b),
    rereads: new Map(g.rereads),
    refused: new Set(log.filter((r) => refusedKeys.has(r.key)).map((r) => r.offset)),
    lag: g.lag,
    crashes: new Map(g.crashes),
  };
  return { log, rules, carriage };
});
