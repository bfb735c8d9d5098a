import { test } from "node:test";
import assert from "node:assert/strict";
import { describeRule, RuleSchema } from "./rule.ts";
import { sellerPasses } from "./seller-filter.ts";
import * as v from "valibot";

const standing = (official: boolean | null, reputation: string | null, power: string | null = null) => ({
  official_store: official,
  seller_reputation: reputation,
  seller_power_status: power,
});

test("seller filter: an official store, a reputation and a MercadoLíder level at least the ones asked; what no page showed passes nothing", () => {
  assert.equal(sellerPasses(undefined, standing(null, null)), true, "no filter: every seller");
  assert.equal(sellerPasses({ official_store: true }, standing(true, null)), true);
  assert.equal(sellerPasses({ official_store: true }, standing(false, "5_green")), false);
  assert.equal(sellerPasses({ min_reputation: "light_green" }, standing(false, "5_green")), true);
  assert.equal(sellerPasses({ min_reputation: "light_green" }, standing(false, "4_light_green")), true);
  assert.equal(sellerPasses({ min_reputation: "green" }, standing(true, "4_light_green")), false);
  assert.equal(sellerPasses({ min_reputation: "red" }, standing(true, null)), false, "unknown is no evidence");
  assert.equal(sellerPasses({ min_power_seller: "gold" }, standing(false, null, "platinum")), true);
  assert.equal(sellerPasses({ min_power_seller: "gold" }, standing(false, null, "silver")), false);
  assert.equal(sellerPasses({ min_power_seller: "silver" }, standing(false, null, null)), false);
});

test("rules: stock kinds and a seller filter are accepted and said in words; a wrong filter is refused by name", () => {
  const rule = v.parse(RuleSchema, {
    kind: "below",
    price: 4000,
    seller: { official_store: true, min_reputation: "green" },
  });
  assert.equal(describeRule(rule, "BRL"), "at or below BRL 4000 (official stores, reputation green or better)");
  assert.equal(describeRule(v.parse(RuleSchema, { kind: "back_in_stock" })), "back in stock");
  const bad = v.safeParse(RuleSchema, { kind: "out_of_stock", seller: { min_reputation: "blue" } });
  assert.equal(bad.success, false);
  assert.match(bad.issues![0]!.message, /seller.min_reputation must be one of red, orange, yellow, light_green, green/);
});
