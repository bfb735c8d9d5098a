/**
 * One saved or fetched page → classified, every card parsed and validated against
 * shared/offer.ts. Pure: no I/O, same result on Bun and Deno.
 */
import { parseHTML } from "linkedom";
import {
  type ScrapedOffer,
  type ScrapedOfferInput,
  validateScrapedOffer,
} from "../../shared/contract/scraped-offer.ts";
import type { OfferProblem } from "../../shared/offer.ts";
import { isHostOfSite, isSiteCode, SITE_CODES, type SiteCode } from "../../shared/sites.ts";
import { CardScope, type El, readCard } from "./card-dom.ts";
import { idsFromLink, toOfferFields } from "./card-fields.ts";
import { type Classification, classifyPage, type ScrapeErrorKind } from "./classify.ts";
import { type CardField, listingCoverage, type PageCoverage, type Source } from "./coverage.ts";
import { type EmbeddedState, readEmbeddedState, type StateCard } from "./embedded-state.ts";

interface ParsedDocument {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): El[];
}

/** A page that is not a page of offers. Carries the URL so a caller can report it. */
export class ScrapeError extends Error {
  constructor(
    readonly kind: ScrapeErrorKind,
    readonly url: string,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail} (${url})`);
    this.name = "ScrapeError";
  }
}

export type CardOutcome =
  | {
    ok: true;
    position: number;
    offer: ScrapedOffer;
    warnings: string[];
    /** Fields the embedded state gave (the markup gave the others). */
    sources?: Partial<Record<CardField, Source>>;
  }
  | {
    ok: false;
    position: number;
    errors: string[];
    /** The fields at fault, from a closed set (metric labels). */
    fields: OfferProblem["field"][];
    partial: ScrapedOfferInput;
    warnings: string[];
  };

export interface ParsedPage {
  url: string;
  site: SiteCode;
  layout: NonNullable<Classification["layout"]> | "empty";
  cards: CardOutcome[];
  /** Next page according to the page itself (search pages keep it only in the state). */
  nextUrl: string | null;
  stateSource: EmbeddedState["source"] | null;
  /** What the page's cards carried, field by field (coverage.ts). */
  coverage: PageCoverage;
}

export interface ParseOptions {
  /** Where the page came from; used in errors and to detect the site. */
  url: string;
  /** Site the caller asked for; when given, a page of another site is an error. */
  site?: SiteCode;
  /** 1-based page number within a paginated view. */
  page?: number;
  /** More card roots than this is not a page of deals (real pages hold up to 60). */
  maxCards?: number;
}

export const DEFAULT_MAX_CARDS = 120;
/** Real pages hold about 4,000 elements; a DOM of this many is still small (~20 MB). */
export const MAX_ELEMENTS = 25_000;

export function countElements(html: string): number {
  let n = 0;
  for (let i = html.indexOf("<"); i >= 0; i = html.indexOf("<", i + 1)) {
    const c = html.charCodeAt(i + 1);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) n++;
  }
  return n;
}

/** Card roots as the markup spells them, counted before any DOM is built (bounds the work). */
const CARD_CLASS = /class\s*=\s*["'][^"']*\bpoly-card(?:__content)?(?=["'\s])/g;

export function countCardMarkup(html: string): number {
  let n = 0;
  CARD_CLASS.lastIndex = 0;
  while (CARD_CLASS.exec(html)) n++;
  return n;
}

/** Parses a page; throws ScrapeError for block pages, challenges and unknown layouts. */
export function parsePage(html: string, options: ParseOptions): ParsedPage {
  const maxCards = options.maxCards ?? DEFAULT_MAX_CARDS;
  const marked = countCardMarkup(html);
  if (marked > maxCards * 2) {
    // poly-card and poly-card__content may both be counted per card: twice the cap is still far off
    throw new ScrapeError(
      "too_many_cards",
      options.url,
      `${marked} card roots in the markup; a page holds at most ${maxCards}`,
    );
  }
  const elements = countElements(html);
  if (elements > MAX_ELEMENTS) {
    // what a DOM costs follows the element count (300,000 tiny elements: ~270 MB); refuse before building it
    throw new ScrapeError(
      "too_large",
      options.url,
      `${elements} elements; a page of deals has a few thousand, at most ${MAX_ELEMENTS} are parsed`,
    );
  }
  // linkedom's types assume a DOM lib (absent on Deno); the scraper needs only this surface
  const { document: doc } = parseHTML(html) as unknown as { document: ParsedDocument };
  const classification = classifyPage(html, doc);
  if (
    classification.kind === "blocked" || classification.kind === "challenge" || classification.kind === "unknown_layout"
  ) {
    throw new ScrapeError(classification.kind, options.url, classification.reason);
  }

  const scripts = Array.from(doc.querySelectorAll("script"), (s) => ({
    id: s.getAttribute("id"),
    text: s.textContent ?? "",
  }));
  const state = readEmbeddedState(scripts);
  const site = detectSite(options, state, scripts, doc);

  if (classification.kind === "empty") {
    return {
      url: options.url,
      site,
      layout: "empty",
      cards: [],
      nextUrl: null,
      stateSource: state?.source ?? null,
      coverage: listingCoverage([], state?.source ?? null),
    };
  }

  if (classification.cards.length > maxCards) {
    throw new ScrapeError(
      "too_many_cards",
      options.url,
      `${classification.cards.length} cards; a page holds at most ${maxCards}`,
    );
  }
  const page = options.page ?? 1;
  const stateCards = state?.cards ?? [];
  const cards = classification.cards.map((roots, index): CardOutcome => {
    const position = index + 1;
    // one card that cannot be read is an invalid offer with a reason, never a failed page
    try {
      const dom = readCard(new CardScope(roots));
      const { offer, crossCheckWarnings, sources } = toOfferFields(
        dom,
        matchStateCard(stateCards, index, dom.href, dom.title),
        { site, page, position },
      );
      const checked = validateScrapedOffer(offer);
      return checked.ok ? { ok: true, position, offer: checked.value, warnings: crossCheckWarnings, sources } : {
        ok: false,
        position,
        errors: checked.errors,
        fields: checked.problems.map((p) => p.field),
        partial: offer,
        warnings: crossCheckWarnings,
      };
    } catch (error) {
      return {
        ok: false,
        position,
        errors: [`(card): could not be read: ${String((error as Error)?.message ?? error).slice(0, 200)}`],
        fields: ["offer"],
        partial: {} as ScrapedOfferInput,
        warnings: [],
      };
    }
  });

  const valid = cards.flatMap((c) => (c.ok ? [{ offer: c.offer, sources: c.sources ?? {} }] : []));
  return {
    url: options.url,
    site,
    layout: classification.layout ?? "deals",
    cards,
    nextUrl: state?.nextUrl ?? nextLinkOf(doc),
    stateSource: state?.source ?? null,
    coverage: listingCoverage(valid, state?.source ?? null),
  };
}

/**
 * The state lists cards in page order; trust the same index when the ids agree (or the DOM
 * has no id, as on ad links, and the titles agree), else look the item id up.
 */
function matchStateCard(
  cards: StateCard[],
  index: number,
  href: string | null,
  title: string | null,
): StateCard | null {
  const id = idsFromLink(href).itemId;
  const same = cards[index];
  if (same && (id ? same.itemId === id : same.title !== null && same.title.trim() === title)) return same;
  return id ? (cards.find((c) => c.itemId === id) ?? null) : null;
}

function detectSite(
  options: ParseOptions,
  state: EmbeddedState | null,
  scripts: { text: string }[],
  doc: ParsedDocument,
): SiteCode {
  const fromPage = siteOfPage(state, scripts, doc);
  if (options.site) {
    if (fromPage && fromPage !== options.site) {
      throw new ScrapeError("unknown_layout", options.url, `page belongs to site ${fromPage}, not ${options.site}`);
    }
    return options.site;
  }
  if (fromPage) return fromPage;
  throw new ScrapeError("unknown_layout", options.url, "cannot tell which site the page belongs to (pass --site)");
}

function siteOfPage(
  state: EmbeddedState | null,
  scripts: { text: string }[],
  doc: { querySelectorAll(s: string): El[] },
): SiteCode | null {
  if (state?.siteId && isSiteCode(state.siteId)) return state.siteId;
  for (const s of scripts) {
    const m = /"site"\s*:\s*"([A-Z]{3})"/.exec(s.text);
    if (m && isSiteCode(m[1])) return m[1];
  }
  // the hosts the cards link to
  for (const a of Array.from(doc.querySelectorAll("a.poly-component__title")).slice(0, 5)) {
    let host: string;
    try {
      host = new URL(a.getAttribute("href") ?? "").hostname;
    } catch {
      continue;
    }
    const site = SITE_CODES.find((code) => isHostOfSite(host, code));
    if (site) return site;
  }
  return null;
}

function nextLinkOf(doc: { querySelector(s: string): El | null }): string | null {
  const href = doc.querySelector("li.andes-pagination__button--next:not(.andes-pagination__button--disabled) a")
    ?.getAttribute("href");
  return href ? href : null;
}
