import { test } from "node:test";
import assert from "node:assert/strict";
import { centsToMoney, discountPercent, isMoney, moneyToCents } from "./money.ts";

test("money: round-trips between decimal strings and integer cents", () => {
  for (const m of ["0.00", "0.01", "3149.00", "1299.90", "9999999999999.99"]) {
    assert.equal(centsToMoney(moneyToCents(m)), m);
  }
  assert.equal(moneyToCents("1299.90"), 129990);
});

test("money: rejects floats, separators, signs and leading zeros", () => {
  for (const bad of ["1.299,90", "12.5", "-1.00", "+1.00", "01.00", "1e3", "", " 1.00", "10000000000000.00"]) {
    assert.equal(isMoney(bad), false, bad);
  }
  assert.equal(isMoney(12.5), false);
  assert.throws(() => moneyToCents("abc"), /not a money amount/);
  assert.throws(() => centsToMoney(0.5), /safe integer/);
});

test("money: discount percent is exact and rounds half up", () => {
  assert.equal(discountPercent("3149.00", "5609.00"), "43.86"); // 43.857...
  assert.equal(discountPercent("50.00", "100.00"), "50.00");
  assert.equal(discountPercent("0.01", "0.03"), "66.67");
  assert.equal(discountPercent("100.00", "100.00"), "0.00");
  assert.equal(discountPercent("110.00", "100.00"), "-10.00");
  assert.equal(discountPercent("1.00", "0.00"), null);
  // 0.1 + 0.2 style drift cannot happen: 1/3 off 0.03 is exactly 33.33
  assert.equal(discountPercent("0.02", "0.03"), "33.33");
});
