/**
 * The category id a product page names for itself when its embedded state and breadcrumb do not:
 * its own analytics event, in whatever form the page pushes it, or the `category_id` its own links
 * carry. A product page holds dozens of other category ids (its recommendations'), so a value
 * counts only where the page's identity is beside it: an analytics object that is the page's
 * (`pageId`, or the page's own item or product id) or a link that names the page's item.
 *
 * Forms seen or expected: `dataLayer.push({...})`, a tag manager wrapper that pushes to the
 * layer by name (`(function(w,l,e){w[l].push(e)})(window,'dataLayer',{...})`), the state's
 * `"gtm_event":{...}`, keys quoted or not, with single or double quotes; and links such as
 * `/pagina/<seller>?item_id=MLM3382859800&category_id=MLM4352`.
 */

/** The page's own ids, to recognise its analytics object and its links. */
export interface PageIds {
  items: ReadonlyArray<string | null | undefined>;
  product: string | null | undefined;
}

const ID = "[A-Z]{3}\\d{1,15}";
const CATEGORY_KEY = new RegExp(`["']?(?:categoryId|category_id)["']?\\s*:\\s*["'](${ID})["']`, "g");
/** How far an analytics object may reach around its category key. */
const MAX_OBJECT_CHARS = 4_000;

const keyValue = (object: string, keys: string) =>
  [...object.matchAll(new RegExp(`["']?(?:${keys})["']?\\s*:\\s*["'](${ID})["']`, "g"))].map((m) => m[1]!);

/** The innermost object literal around `at`: where it starts and its text, or null when it reaches too far. */
function enclosingObject(text: string, at: number): { start: number; object: string } | null {
  let start = -1;
  for (let i = at, depth = 0; i >= Math.max(0, at - MAX_OBJECT_CHARS); i--) {
    const ch = text[i];
    if (ch === "}") depth++;
    else if (ch === "{" && depth-- === 0) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  for (let i = at, depth = 0; i < Math.min(text.length, at + MAX_OBJECT_CHARS); i++) {
    const ch = text[i];
    if (ch === "{") depth++;
    else if (ch === "}" && depth-- === 0) return { start, object: text.slice(start, i + 1) };
  }
  return null;
}

/** Whether an analytics object is the page's own: it says the page, or names the page's item or product. */
function isPageObject(object: string, ids: PageIds): boolean {
  if (/["']?(?:pageId|page_id)["']?\s*:/.test(object)) return true;
  const items = new Set(ids.items.filter((id): id is string => !!id));
  if (keyValue(object, "itemId|item_id").some((id) => items.has(id))) return true;
  return !!ids.product && keyValue(object, "catalogProductId|catalog_product_id").includes(ids.product);
}

/** The category id of the page's own analytics object, in any push form; null when none names the page. */
export function analyticsCategoryId(scripts: readonly { text: string }[], ids: PageIds): string | null {
  for (const { text } of scripts) {
    if (!/category(?:Id|_id)/.test(text)) continue;
    for (const m of text.matchAll(CATEGORY_KEY)) {
      const found = enclosingObject(text, m.index!);
      if (!found) continue;
      // the state's "gtm_event": {...} is the page's event whatever it holds
      const named = /["']?gtm_event["']?\s*:\s*$/.test(text.slice(Math.max(0, found.start - 40), found.start));
      if (named || isPageObject(found.object, ids)) return m[1]!;
    }
  }
  return null;
}

/** The `category_id` of a link that names the page's own item (the seller's links do). */
export function linkCategoryId(hrefs: readonly string[], ids: PageIds): string | null {
  const items = new Set(ids.items.filter((id): id is string => !!id));
  for (const href of hrefs) {
    const query = href.replace(/&amp;/g, "&");
    const item = new RegExp(`[?&]item_id=(${ID})\\b`).exec(query)?.[1];
    const category = new RegExp(`[?&]category_id=(${ID})\\b`).exec(query)?.[1];
    if (item && category && items.has(item)) return category;
  }
  return null;
}
