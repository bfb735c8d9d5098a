/**
 * The drifted pages the route's drift test uses, checked offline: the field is gone from every
 * card (markup and state), nothing else moved, and the state-less page has no state.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parsePage } from "../edge/scraper/parse-page.ts";
import { ML_PAGES_DIR, mlPagesSkip } from "./ml-pages.ts";
import { DRIFT_PAGES, withoutField, withoutState } from "./drifted-page.ts";

const skip = mlPagesSkip;

for (const { page, field } of DRIFT_PAGES) {
  test(`drifted page ${page}: ${field} gone from every card, the rest as it was`, { skip }, () => {
    const html = readFileSync(`${ML_PAGES_DIR}/${page}.html`, "utf8");
    const original = parsePage(html, { url: page }).coverage;
    const rewritten = parsePage(withoutField(html, null), { url: page }).coverage;
    assert.deepEqual(rewritten, original, "written back unaltered, the page reads the same");
    const drifted = parsePage(withoutField(html, field), { url: page }).coverage;
    assert.ok(original.fields[field]!.present >= 0.8 * original.cards, `${field} is usual on ${page}`);
    assert.equal(drifted.fields[field]!.present, 0);
    assert.equal(drifted.cards, original.cards);
    for (const [name, f] of Object.entries(original.fields)) {
      if (name !== field && name !== "discount_pct") assert.equal(drifted.fields[name]!.present, f.present, name);
    }
    if (original.state !== null) assert.equal(parsePage(withoutState(html), { url: page }).coverage.state, null);
  });
}
