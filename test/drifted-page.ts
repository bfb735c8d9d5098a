/**
 * A real listing page as it would look after the site changed: one field's markup removed from
 * every card and the same field removed from the embedded state (a key, or the card components
 * of a type), or the embedded state removed whole. What the drift tests feed the route.
 */
import { parseHTML } from "linkedom";
import { cutJsonObject } from "../edge/scraper/state-json.ts";

export interface FieldRemoval {
  /** Card markup that carries the field. */
  selectors: string;
  /** State keys holding the field, deleted wherever they are. */
  stateKeys?: string[];
  /** State card components (`{"type": …}` in a components array) holding the field, removed. */
  componentTypes?: string[];
}

/** How each field the tests remove is carried, in the markup and in the state. */
export const REMOVALS: Record<string, FieldRemoval> = {
  original_price: { selectors: ".andes-money-amount--previous", stateKeys: ["previous_price"] },
  rating: {
    selectors: ".poly-component__reviews, .poly-component__review-compacted",
    componentTypes: ["reviews", "review_compacted"],
  },
  installments: { selectors: ".poly-price__installments", stateKeys: ["installments"] },
  brand: { selectors: ".poly-component__brand", componentTypes: ["brand"] },
};

/** Each real listing page, the site and view the route scrapes it as, and a field usual on it to remove. */
export const DRIFT_PAGES = [
  { page: "ofertas-br-2026-06-polycard", site: "MLB", view: "all", field: "original_price" },
  { page: "ofertas-br-2025-07-polycard-fragments", site: "MLB", view: "deal_of_the_day", field: "original_price" },
  { page: "lista-br-2025-11-caneta-polycard-preloaded-state", site: "MLB", view: "search", field: "rating" },
  { page: "lista-br-2026-01-playstation5slim-polycard", site: "MLB", view: "search", field: "installments" },
  { page: "listado-mx-2025-05-nintendo-switch-polycard", site: "MLM", view: "search", field: "brand" },
] as const;

/** The little of linkedom's document used here (its types differ between Bun and Deno). */
interface El {
  textContent: string | null;
  remove(): void;
}
interface Doc {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  toString(): string;
}
const documentOf = (html: string) => (parseHTML(html) as unknown as { document: Doc }).document;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function strip(node: Json, removal: FieldRemoval): Json {
  if (Array.isArray(node)) {
    return node
      .filter((x) =>
        !(x && typeof x === "object" && !Array.isArray(x) && removal.componentTypes?.includes(x.type as string))
      )
      .map((x) => strip(x, removal));
  }
  if (node && typeof node === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      if (!removal.stateKeys?.includes(key)) out[key] = strip(value, removal);
    }
    return out;
  }
  return node;
}

/** JSON safe inside a script element (no "</script>" or "<!--" can appear). */
const scriptJson = (value: Json) => JSON.stringify(value).replace(/</g, "\\u003c");

/** The page without `field` in its markup and state; `field` null: the page as linkedom writes it back. */
export function withoutField(html: string, field: keyof typeof REMOVALS | null): string {
  const document = documentOf(html);
  const removal = field ? REMOVALS[field]! : null;
  if (removal) { for (const el of Array.from(document.querySelectorAll(removal.selectors))) el.remove(); }
  const nordic = document.querySelector("script#__NORDIC_RENDERING_CTX__");
  if (nordic && removal) {
    const text = nordic.textContent ?? "";
    const at = text.indexOf("_n.ctx.r=") + "_n.ctx.r=".length;
    const object = cutJsonObject(text, at)!;
    nordic.textContent = text.slice(0, at) + scriptJson(strip(JSON.parse(object), removal)) +
      text.slice(at + object.length);
  }
  const preloaded = document.querySelector("script#__PRELOADED_STATE__");
  if (preloaded && removal) preloaded.textContent = scriptJson(strip(JSON.parse(preloaded.textContent ?? ""), removal));
  return document.toString();
}

/** The page with its embedded state gone (the markup as it was). */
export function withoutState(html: string): string {
  const document = documentOf(html);
  for (const id of ["__NORDIC_RENDERING_CTX__", "__PRELOADED_STATE__"]) {
    document.querySelector(`script#${id}`)?.remove();
  }
  return document.toString();
}
