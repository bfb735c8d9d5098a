/**
 * What a product page's embedded state says. Two layouts (../shared/ml-pages/product/SOURCES.md):
 *  - 2026 pages: _n.ctx.r (script#__NORDIC_RENDERING_CTX__) → appProps.pageProps.initialState;
 *  - older item pages: script#__PRELOADED_STATE__ → pageState.initialState.
 * Both go on with .components.…; the tracking data (components.track…event_data) names the ids
 * the markup does not show: the winning item of a catalog page, the category, the official store.
 * The visible page stays the first source (parse-product-page.ts); this cross-checks and fills in.
 */
import { get, isObject, type Json, type JsonObject, stateRoots } from "../state-json.ts";
import { squish } from "../text.ts";

export interface ProductState {
  source: "nordic_ctx" | "preloaded_state";
  siteId: string | null;
  /** The page's own id: the catalog product on /p/ pages, the item on item pages. */
  pageId: string | null;
  layout: string | null;
  itemId: string | null;
  catalogProductId: string | null;
  userProductId: string | null;
  title: string | null;
  canonicalUrl: string | null;
  price: number | null;
  originalPrice: number | null;
  currency: string | null;
  subtitle: string | null;
  condition: string | null;
  rating: number | null;
  reviews: number | null;
  sellerName: string | null;
  officialStore: boolean;
  /** The tracking data's seller signals (`reputation_level` "5_green", `power_seller_status`, `seller_id`). */
  sellerReputation: string | null;
  powerSellerStatus: string | null;
  sellerId: string | null;
  stockText: string | null;
  noStockShown: boolean;
  categoryId: string | null;
  categoryPath: string[] | null;
  description: string | null;
  specs: Array<{ name: string; value: string }> | null;
  pictures: number | null;
}

const str = (v: Json | undefined): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
/** A numeric id, as JSON writes it (a number or a string of digits). */
const idOf = (v: Json | undefined): string | null =>
  typeof v === "number" && Number.isSafeInteger(v) && v > 0
    ? String(v)
    : typeof v === "string" && /^\d{1,20}$/.test(v)
    ? v
    : null;
const num = (v: Json | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function readProductState(scripts: { id: string | null; text: string }[]): ProductState | null {
  for (const { source, root } of stateRoots(scripts)) {
    const initial = source === "nordic_ctx"
      ? get(root, "appProps", "pageProps", "initialState")
      : get(root, "pageState", "initialState");
    if (isObject(initial) && isObject(initial.components)) return fromInitialState(source, initial);
  }
  return null;
}

function fromInitialState(source: ProductState["source"], initial: JsonObject): ProductState {
  const c = initial.components as JsonObject;
  const tracked = get(c, "track", "melidata_event", "event_data");
  const price = get(c, "price", "price");
  const reviews = get(c, "header", "reviews");
  const userProduct = str(get(tracked, "user_product_id"));
  const crumbs = get(c, "breadcrumb", "categories") ?? get(initial, "breadcrumb", "categories");
  return {
    source,
    siteId: str(initial.siteId) ?? str(get(initial, "platform", "siteId")),
    pageId: str(initial.id),
    layout: str(initial.layout) ?? str(get(initial, "layout", "type")),
    itemId: str(get(tracked, "item_id")),
    catalogProductId: str(get(tracked, "catalog_product_id")),
    userProductId: userProduct === "not_apply" ? null : userProduct,
    title: str(get(c, "header", "title")),
    canonicalUrl: str(get(c, "metadata", "url_canonical")),
    price: num(get(price, "value")),
    originalPrice: num(get(price, "original_value")),
    currency: str(get(price, "currency_id")),
    subtitle: str(get(c, "header", "subtitle")),
    condition: str(get(tracked, "item_condition")),
    rating: num(get(reviews, "rating")),
    reviews: num(get(reviews, "amount")),
    sellerName: str(get(tracked, "seller_name")),
    officialStore: num(get(tracked, "official_store_id")) !== null,
    sellerReputation: str(get(tracked, "reputation_level")) ?? str(get(c, "seller", "reputation_level")),
    powerSellerStatus: str(get(tracked, "power_seller_status")),
    sellerId: idOf(get(tracked, "seller_id")) ?? idOf(get(c, "seller", "id")),
    stockText: str(get(c, "available_quantity", "picker", "description")),
    noStockShown: get(c, "no_stock_status", "state") === "VISIBLE",
    categoryId: str(get(tracked, "category_id")),
    categoryPath: Array.isArray(crumbs)
      ? crumbs.map((crumb) => squish(str(get(crumb, "label", "text")))).filter((label) => label !== "")
      : null,
    description: str(get(c, "description", "content")),
    specs: readSpecs(get(c, "highlighted_specs_attrs", "components")),
    pictures: Array.isArray(get(c, "gallery", "pictures")) ? (get(c, "gallery", "pictures") as Json[]).length : null,
  };
}

/**
 * The technical specifications as the page draws them: the state interleaves the groups of
 * the two columns; the page shows the left column's groups first, then the right one's.
 */
function readSpecs(components: Json | undefined): ProductState["specs"] {
  if (!Array.isArray(components)) return null;
  const table = components.find((x) => get(x, "type") === "technical_specifications");
  const groups = get(table, "specs");
  if (!Array.isArray(groups)) return null;
  const column = (g: Json) => (get(g, "column") === "RIGHT" ? 1 : 0);
  const ordered = groups.map((g, i) => ({ g, i })).sort((a, b) => column(a.g) - column(b.g) || a.i - b.i);
  const rows: Array<{ name: string; value: string }> = [];
  for (const { g: group } of ordered) {
    const attributes = get(group, "attributes");
    if (!Array.isArray(attributes)) continue;
    for (const a of attributes) {
      const name = str(get(a, "id"));
      const value = str(get(a, "text"));
      if (name && value) rows.push({ name: squish(name), value: squish(value) });
    }
  }
  return rows;
}
