/**
 * What a person pasted, recognised as a watch's target: any Mercado Livre / Mercado Libre URL of
 * the 7 sites (a search, a category listing, a deals page, a catalog product, an item) or plain
 * words (a search on the site they chose). The URL says which site it is, so nobody has to say it
 * twice. A URL of another site, or a page of the site that is not something to follow (help,
 * account, an ad's tracking link), is refused with a reason a person can act on. The target
 * proposed is only a proposal: it is validated again, like any watch, when it is saved.
 */
import { isHostOfSite, SITE_CODES, type SiteCode, SITES } from "../../shared/sites.ts";
import type { WatchTarget } from "../../shared/watch/watch.ts";
import { queryProblem } from "../scraper/search-url.ts";
import { idsFromLink } from "../scraper/card-fields.ts";

/** What the paste was: the kinds a person would name. */
export type PastedKind = "search" | "category" | "deals" | "product" | "item" | "words";

export type Recognised =
  | { ok: true; kind: PastedKind; site: SiteCode; target: WatchTarget; notes: string[] }
  | { ok: false; reason: string };

export const MAX_PASTE_LENGTH = 2_000;

const KNOWN_DOMAINS = SITE_CODES.map((s) => SITES[s].domain).join(", ");
/** Hosts of a site that serve something else than listings, deals or items. */
const NOT_FOLLOWABLE = /^(myaccount|vendedores|developers|ajuda|ayuda|click\d*|mclics|envios|www\.mercadopago)\./;
const SITE_PAGES_NOT_FOLLOWABLE =
  /^\/(ajuda|ayuda|blog|glossary|assinaturas|suscripciones|privacidade|privacidad|registration|gz|syi|navigation|categorias|acessibilidade|accesibilidad|jms|l|c)(\/|$)/;

/** Recognises `pasted` (a URL or words); words search `defaultSite`. */
export function recognise(pasted: string, defaultSite: SiteCode): Recognised {
  const text = pasted.trim();
  if (text === "") return { ok: false, reason: "paste a Mercado Livre link, or type the words to search for" };
  if (text.length > MAX_PASTE_LENGTH) return { ok: false, reason: `at most ${MAX_PASTE_LENGTH} characters` };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^[\w-]+(\.[\w-]+)+\//.test(text)) return words(text, defaultSite);
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, reason: "this is not a link ofertas can read" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `a ${url.protocol.replace(":", "")} link is not a web page` };
  }
  if (url.username || url.password || url.port) {
    return { ok: false, reason: "a link with a user or a port is not a Mercado Livre page" };
  }
  const host = url.hostname.toLowerCase();
  const site = SITE_CODES.find((code) => isHostOfSite(host, code));
  if (!site) {
    const other = /(^|\.)mercadoli[bv]re\.(com\.[a-z]{2}|[a-z]{2,3})$/.test(host);
    return {
      ok: false,
      reason: other
        ? `${host} is a Mercado Libre site ofertas does not follow (it follows ${KNOWN_DOMAINS})`
        : `${host} is not Mercado Livre or Mercado Libre: ofertas follows ${KNOWN_DOMAINS}`,
    };
  }
  if (NOT_FOLLOWABLE.test(host)) {
    return host.startsWith("click")
      ? { ok: false, reason: "this is an ad's tracking link: open it and paste the address of the page it shows" }
      : { ok: false, reason: `${host} is not a page of offers to follow` };
  }
  const ids = idsFromLink(url.pathname + url.hash);
  if (ids.itemId || ids.productId) return product(site, url, ids.itemId, ids.productId);
  if (ids.userProductId) {
    return {
      ok: false,
      reason: "a seller's product page (/up/): open one of its offers and paste that page's address",
    };
  }
  const s = SITES[site];
  if (host === s.searchHost) return listing(site, url);
  if (url.pathname === "/ofertas" || url.pathname.startsWith("/ofertas/")) return deals(site, url);
  if (SITE_PAGES_NOT_FOLLOWABLE.test(url.pathname) || url.pathname === "/") {
    return {
      ok: false,
      reason: "this page of the site lists no offers to follow: paste a search, a deals page or an item",
    };
  }
  return { ok: false, reason: "ofertas cannot tell what this page lists: paste a search, a deals page or an item" };
}

function words(text: string, site: SiteCode): Recognised {
  const problem = queryProblem(text);
  if (problem) return { ok: false, reason: problem.replace(/^query/, "the words") };
  return {
    ok: true,
    kind: "words",
    site,
    target: { site, view: "search", query: text.normalize("NFC").trim(), pages: 1 },
    notes: [],
  };
}

function product(site: SiteCode, url: URL, itemId: string | null, productId: string | null): Recognised {
  const notes = url.search || url.hash ? ["the link's tracking and options are left out"] : [];
  if (itemId && itemId.startsWith(site)) {
    return { ok: true, kind: "item", site, target: { site, view: "item", item: itemId, pages: 1 }, notes };
  }
  if (productId && productId.startsWith(site)) {
    // a catalog product is followed by its page (its buy box and other sellers): the URL is rebuilt on the site's host
    const page = `https://${url.hostname.toLowerCase()}${url.pathname}`;
    return {
      ok: true,
      kind: "product",
      site,
      target: { site, view: "item", item: page.slice(0, 500), pages: 1 },
      notes,
    };
  }
  return { ok: false, reason: `this link names an item of another site than ${SITES[site].domain}` };
}

/** A listing page (`lista.`/`listado.`): category segments, then the words; filters are left out. */
function listing(site: SiteCode, url: URL): Recognised {
  const segments = url.pathname.split("/").filter(Boolean).map((seg) => {
    try {
      return decodeURIComponent(seg);
    } catch {
      return seg;
    }
  });
  const notes: string[] = [];
  const last = segments.at(-1) ?? "";
  const categoryOnly = url.pathname.endsWith("/") && segments.length > 0;
  const [slug, ...suffixes] = last.split("_");
  const suffix = suffixes.join("_");
  const category = /CategoryID_([A-Z]{3}\d{1,10})/.exec(suffix)?.[1];
  if (category?.startsWith(site) && (categoryOnly || !slug)) {
    return { ok: true, kind: "category", site, target: { site, view: "category", category, pages: 1 }, notes };
  }
  const text = (slug ?? "").replace(/-/g, " ").trim();
  if (!text) return { ok: false, reason: "this listing has no words or category ofertas can follow" };
  const problem = queryProblem(text);
  if (problem) return { ok: false, reason: problem.replace(/^query/, "the listing's words") };
  if (categoryOnly) notes.push(`a category listing without a category id: followed as a search for "${text}"`);
  const range = /PriceRange_(\d{1,10})-(\d{1,10})/.exec(suffix);
  const target: WatchTarget = { site, view: "search", query: text, pages: 1 };
  if (range && Number(range[2]) > 0 && Number(range[1]) <= Number(range[2])) {
    target.price_min = Number(range[1]);
    target.price_max = Number(range[2]);
    notes.push(`its price range, ${range[1]}–${range[2]}, is kept`);
  }
  const desde = /Desde_(\d{1,6})/.exec(suffix);
  if (desde) notes.push("followed from its first page");
  if (
    (segments.length > 1 && !categoryOnly) ||
    /(BRAND|FiltersAvailable|ITEM_CONDITION|Frete|Envio|OrderId)/i.test(suffix)
  ) {
    notes.push("the page's filters (category, brand, condition) are not kept: the watch searches the words");
  }
  return { ok: true, kind: categoryOnly ? "category" : "search", site, target, notes };
}

/** `/ofertas` with its promotion type or category; `?page=` is where the person was, not what to follow. */
function deals(site: SiteCode, url: URL): Recognised {
  const type = url.searchParams.get("promotion_type");
  const category = url.searchParams.get("category");
  const notes: string[] = [];
  if (category) {
    if (!new RegExp(`^${site}\\d{1,10}$`).test(category)) {
      return { ok: false, reason: `the category ${category.slice(0, 20)} is not one of ${SITES[site].domain}` };
    }
    return { ok: true, kind: "category", site, target: { site, view: "category", category, pages: 1 }, notes };
  }
  if (type === "deal_of_the_day" || type === "lightning") {
    return { ok: true, kind: "deals", site, target: { site, view: type, pages: 1 }, notes };
  }
  if (type || url.searchParams.has("container_id")) {
    notes.push("this deals page's own selection is not kept: all deals are followed");
  }
  return { ok: true, kind: "deals", site, target: { site, view: "all", pages: 1 }, notes };
}
