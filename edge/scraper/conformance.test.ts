/**
 * Conformance against the real saved pages in ../shared/ml-pages (outside the repo; skipped
 * when absent except in CI, or pointed elsewhere with OFERTAS_ML_PAGES). Every field of every card is
 * compared with expected/<page>.json, which was derived independently from each page's
 * embedded JSON state. The decisions per field are in edge/SCRAPER.md; the only normalisation
 * applied here is the one the contract itself makes (titles are trimmed).
 *
 * Prints per-field accuracy; fails when any field is below 100% on any page.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CARD_FIELDS,
  expectedFiles,
  type ExpectedPage,
  ML_EXPECTED_DIR,
  ML_PAGES_DIR,
  mlPagesSkip,
  sameValue,
} from "../../test/ml-pages.ts";
import { readEmbeddedState } from "./embedded-state.ts";
import { parsePage, ScrapeError } from "./parse-page.ts";

const PAGES_DIR = ML_PAGES_DIR;
const EXPECTED_DIR = ML_EXPECTED_DIR;
const FIELDS = CARD_FIELDS;
const files = expectedFiles(EXPECTED_DIR);

test("conformance: the real pages folder is present (skipped without it, except in CI)", { skip: mlPagesSkip }, () => {
  assert.ok(files.length >= 6, `expected files in ${EXPECTED_DIR}`);
});

for (const file of files) {
  const name = file.replace(/\.json$/, "");
  test(`conformance: ${name}`, () => {
    const expected = JSON.parse(readFileSync(`${EXPECTED_DIR}/${file}`, "utf8")) as ExpectedPage;
    const html = readFileSync(`${PAGES_DIR}/${name}.html`, "utf8");

    if (expected.kind === "blocked" || expected.kind === "challenge") {
      assert.throws(
        () => parsePage(html, { url: name }),
        (e: unknown) => e instanceof ScrapeError && e.kind === expected.kind,
      );
      return;
    }

    const page = parsePage(html, { url: name });
    assert.equal(page.site, expected.site);
    assert.equal(page.layout, expected.kind);
    assert.equal(page.cards.length, expected.card_count, "every card on the page");

    const hits: Record<string, number> = Object.fromEntries(Object.keys(FIELDS).map((f) => [f, 0]));
    const misses: string[] = [];
    for (const want of expected.cards) {
      const card = page.cards[want.position - 1];
      assert.ok(card, `card ${want.position} missing`);
      assert.ok(card.ok, `card ${want.position} failed validation: ${!card.ok && card.errors.join("; ")}`);
      for (const [field, equal] of Object.entries(FIELDS)) {
        const actual = (card.offer as Record<string, unknown>)[field];
        if (equal(actual, want[field])) hits[field]!++;
        else {misses.push(
            `#${want.position} ${field}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(want[field])}`,
          );}
      }
    }
    const n = expected.cards.length;
    const accuracy = Object.entries(hits).map(([f, h]) => `${f} ${((100 * h) / n).toFixed(0)}%`);
    console.log(`  ${name}: ${n} cards; ${accuracy.join(", ")}`);
    assert.deepEqual(misses, [], `fields below 100% on ${name}`);
  });
}

test("conformance: the bare 2026 deals state (trailing JS after the object) yields 48 cards", {
  skip: mlPagesSkip,
}, () => {
  const text = readFileSync(`${PAGES_DIR}/ofertas-br-2026-06-nordic-ctx-state.json`, "utf8");
  const state = readEmbeddedState([{ id: "__NORDIC_RENDERING_CTX__", text: `_n.ctx.r=${text}` }]);
  assert.ok(state);
  assert.equal(state.cards.length, 48);
  assert.ok(state.cards.every((c) => /^MLB\d+$/.test(c.itemId ?? "")));
  assert.ok(state.cards.some((c) => c.lightningEnd !== null));
});

test("conformance: the 2025 card fragments (no state, no expected file) parse to 47 valid offers", {
  skip: mlPagesSkip,
}, () => {
  const page = parsePage(readFileSync(`${PAGES_DIR}/ofertas-br-2025-07-polycard-fragments.html`, "utf8"), {
    url: "fragments",
  });
  assert.equal(page.layout, "fragments");
  assert.equal(page.cards.length, 47);
  assert.equal(page.cards.filter((c) => c.ok).length, 47);
  assert.ok(page.cards.every((c) => c.ok && c.offer.label === "OFERTA RELÂMPAGO"));
});

/** Fields only the embedded state can give (edge/SCRAPER.md): ids behind /up/ and ad links. */
const STATE_ONLY = new Set(["user_product_id"]);

for (const file of files) {
  const name = file.replace(/\.json$/, "");
  if (name.startsWith("antibot-")) continue;
  test(`conformance: ${name} from the DOM alone agrees with the DOM+state reading`, () => {
    const html = readFileSync(`${PAGES_DIR}/${name}.html`, "utf8");
    const withState = parsePage(html, { url: name });
    const domOnly = parsePage(
      html.replace('id="__NORDIC_RENDERING_CTX__"', 'id="off"').replace('id="__PRELOADED_STATE__"', 'id="off"'),
      { url: name },
    );
    assert.equal(domOnly.stateSource, null);
    const differences: string[] = [];
    withState.cards.forEach((card, i) => {
      const other = domOnly.cards[i]!;
      if (!card.ok) return;
      if (!other.ok) {
        // only an ad (no id in its click link) may lose its item id without the state
        assert.ok(
          card.offer.sponsored && other.errors.every((e) => e.startsWith("item_id:")),
          `${name} #${i + 1}: ${other.errors.join("; ")}`,
        );
        return;
      }
      for (const [field, value] of Object.entries(card.offer)) {
        if (!STATE_ONLY.has(field) && !sameValue((other.offer as Record<string, unknown>)[field], value)) {
          differences.push(`#${i + 1} ${field}`);
        }
      }
    });
    assert.deepEqual(differences, []);
  });
}
