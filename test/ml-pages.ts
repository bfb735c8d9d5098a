/**
 * The real saved pages (../shared/ml-pages, outside the repo, or OFERTAS_ML_PAGES) and how their
 * expected/ files are compared with what the scraper gives: one comparison for every test that
 * reads them (the parser's conformance, the route's search conformance, coverage, drift).
 *
 * On a developer's machine without the folder those tests are skipped, saying so; in CI
 * (`CI=true`) they are never skipped: a missing folder fails them instead of passing quietly.
 */
import { existsSync, readdirSync } from "node:fs";
import process from "node:process";

export const ML_PAGES_DIR =
  (process.env.OFERTAS_ML_PAGES ?? new URL("../../shared/ml-pages/", import.meta.url).pathname)
    .replace(/\/$/, "");
export const ML_EXPECTED_DIR = `${ML_PAGES_DIR}/expected`;
export const mlPagesAvailable = existsSync(ML_EXPECTED_DIR);
export const ML_PRODUCT_DIR = `${ML_PAGES_DIR}/product`;

/** The `skip` of a test that reads the pages: false in CI, whatever is missing. */
export const mlPagesSkip: false | string = mlPagesAvailable || process.env.CI === "true"
  ? false
  : `no ${ML_EXPECTED_DIR} (outside the repo); CI fails instead of skipping`;

/** The expected files of a folder (none when it is missing: the presence test then says so). */
export function expectedFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
}

export function sameValue(actual: unknown, expected: unknown): boolean {
  return JSON.stringify(actual ?? null) === JSON.stringify(expected ?? null);
}

/** Fields of the oracle and how each is compared with the offer's field of the same name. */
export const CARD_FIELDS: Record<string, (actual: unknown, expected: unknown) => boolean> = {
  item_id: sameValue,
  product_id: sameValue,
  user_product_id: sameValue,
  // the contract trims titles; the state keeps a trailing space on 3 cards (caneta #29, #30, MX #32)
  title: (a, e) => typeof e === "string" && a === e.trim(),
  url: sameValue,
  price: sameValue,
  original_price: sameValue,
  discount_pct: sameValue,
  currency: sameValue,
  installments: sameValue,
  free_shipping: sameValue,
  full: sameValue,
  seller: sameValue,
  official_store: sameValue,
  brand: sameValue,
  rating: sameValue,
  reviews: sameValue,
  label: sameValue,
  lightning_end: sameValue,
  sponsored: sameValue,
};

export interface ExpectedPage {
  kind: "deals" | "search" | "blocked" | "challenge";
  site: string | null;
  card_count: number;
  cards: Array<Record<string, unknown> & { position: number }>;
}

/** "#3 price: got …, expected …" for every field of every card that differs. */
export function cardMisses(
  cards: ReadonlyArray<Record<string, unknown> | null>,
  expected: ExpectedPage,
): string[] {
  const misses: string[] = [];
  for (const want of expected.cards) {
    const offer = cards[want.position - 1];
    if (!offer) {
      misses.push(`#${want.position}: missing`);
      continue;
    }
    for (const [field, equal] of Object.entries(CARD_FIELDS)) {
      if (!equal(offer[field], want[field])) {
        misses.push(
          `#${want.position} ${field}: got ${JSON.stringify(offer[field])}, expected ${JSON.stringify(want[field])}`,
        );
      }
    }
  }
  return misses;
}
