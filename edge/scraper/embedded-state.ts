/**
 * The JSON state Mercado Livre embeds next to the markup. The DOM is the primary source;
 * the state supplies what the DOM lacks (the exact lightning-deal end, item ids behind
 * catalog and ad links, user-product ids) and cross-checks prices. Where the state lives in
 * the page: state-json.ts.
 */
import { get, isObject, type Json, stateRoots } from "./state-json.ts";

export interface StateCard {
  itemId: string | null;
  productId: string | null;
  userProductId: string | null;
  /** "www.mercadolivre.com.br/…/p/MLB…" without scheme, or an ad's click URL. */
  url: string | null;
  title: string | null;
  lightningEnd: string | null;
  priceCents: number | null;
}

export interface EmbeddedState {
  source: "nordic_ctx" | "preloaded_state";
  siteId: string | null;
  cards: StateCard[];
  /** Next page URL when the state names one (search pages keep it only here). */
  nextUrl: string | null;
}

const str = (v: Json | undefined): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Reads the state from the page's scripts (given as text, so no DOM is needed here). */
export function readEmbeddedState(scripts: { id: string | null; text: string }[]): EmbeddedState | null {
  for (const { source, root } of stateRoots(scripts)) return fromRoot(source, root);
  return null;
}

function fromRoot(source: EmbeddedState["source"], root: Json): EmbeddedState {
  const deals = get(root, "appProps", "pageProps", "data");
  const search2026 = get(root, "appProps", "pageProps", "initialState");
  const search2025 = get(root, "pageState", "initialState");

  let rawCards: Json[] = [];
  let siteId: string | null = null;
  let nextUrl: string | null = null;
  if (isObject(deals) && Array.isArray(deals.items)) {
    rawCards = deals.items.map((item) => get(item, "card") ?? null);
    siteId = str(deals.siteId);
  } else {
    const search = isObject(search2026) ? search2026 : isObject(search2025) ? search2025 : undefined;
    if (search && Array.isArray(search.results)) {
      // non-card entries (FILTER_INTERVENTION, …) have no polycard and are not cards on the page
      rawCards = search.results.map((r) => get(r, "polycard") ?? null).filter((c) => c !== null);
      siteId = str(get(search, "site_id")) ?? str(get(search, "siteId"));
      nextUrl = str(get(search, "pagination", "next_page", "url")) ??
        nextFromNodes(get(search, "pagination", "pagination_nodes_url"));
    }
  }
  return { source, siteId, cards: rawCards.map(toStateCard), nextUrl };
}

function nextFromNodes(nodes: Json | undefined): string | null {
  if (!Array.isArray(nodes)) return null;
  const current = nodes.findIndex((n) => get(n, "is_actual_page") === true);
  return current >= 0 ? str(get(nodes[current + 1], "url")) : null;
}

function toStateCard(card: Json): StateCard {
  const components = get(card, "components");
  const byType = new Map<string, Json>();
  if (Array.isArray(components)) {
    for (const c of components) {
      const type = str(get(c, "type"));
      if (type && !byType.has(type)) byType.set(type, isObject(c) ? (c[type] ?? null) : null);
    }
  }
  const price = get(byType.get("price"), "current_price", "value");
  return {
    itemId: str(get(card, "metadata", "id")),
    productId: str(get(card, "metadata", "product_id")),
    userProductId: str(get(card, "metadata", "user_product_id")),
    url: str(get(card, "metadata", "url")),
    title: str(get(byType.get("title"), "text")),
    lightningEnd: str(get(byType.get("highlight_countdown"), "countdown", "period_end")),
    // the state writes prices as JSON numbers; rounding to cents is safe for a cross-check
    priceCents: typeof price === "number" ? Math.round(price * 100) : null,
  };
}
