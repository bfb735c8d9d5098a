/**
 * What kind of page came back, decided before any card is parsed. A page that is not a
 * page of cards is never reported as an empty success: block pages, challenges and layouts
 * we do not know are typed errors carrying the URL.
 */
import type { El } from "./card-dom.ts";

export type PageKind = "cards" | "empty" | "blocked" | "challenge" | "unknown_layout";
/** Why a page gave no offers: a closed set (the `kind` of an answer's errors and a metric label). */
export const SCRAPE_ERROR_KINDS = [
  "blocked",
  "challenge",
  "unknown_layout",
  "http",
  "network",
  "redirect",
  "too_large",
  "too_many_cards",
  "parse_timeout",
  "parse_error",
  // an item's own page that offers nothing for sale: no price to observe (item view only)
  "unavailable",
] as const;
export type ScrapeErrorKind = (typeof SCRAPE_ERROR_KINDS)[number];

export interface Classification {
  kind: PageKind;
  /** Card roots in page order; each card is one or more sibling elements. */
  cards: El[][];
  layout: "deals" | "search" | "fragments" | null;
  reason: string;
}

interface Doc {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & ArrayLike<El>;
}

/** Markers of a results page that legitimately has no cards (end of pagination, no results). */
const EMPTY_RESULT_MARKERS = [
  ".ui-search-rescue",
  ".ui-search-layout",
  ".items-with-smart-groups",
  "#results",
  ".andes-pagination",
];

/**
 * A page Mercado Livre puts in front of the content, on listing and product URLs alike: the
 * JavaScript proof-of-work challenge, or the HTTP-200 login wall. `text` is what to search for
 * their markers (a caller may pass only the head of a large page).
 */
export function interstitialOf(
  text: string,
  doc: Pick<Doc, "querySelector">,
): { kind: "challenge" | "blocked"; reason: string } | null {
  if (doc.querySelector(".micro-landing-container") || /micro-landing|bot_challenge/.test(text)) {
    return { kind: "challenge", reason: "JavaScript proof-of-work challenge (micro-landing)" };
  }
  if (/account-verification|negative_traffic/.test(text)) {
    return { kind: "blocked", reason: "login wall (account-verification / negative_traffic)" };
  }
  return null;
}

export function classifyPage(html: string, doc: Doc): Classification {
  if (!looksLikeHtml(html)) {
    return { kind: "unknown_layout", cards: [], layout: null, reason: "body is not HTML (binary or still compressed)" };
  }
  const roots = Array.from(doc.querySelectorAll("div.poly-card"));
  if (roots.length) {
    const search = roots.some((r) => r.closest("li.ui-search-layout__item") !== null);
    return {
      kind: "cards",
      cards: roots.map((r) => [r]),
      layout: search ? "search" : "deals",
      reason: `${roots.length} poly-cards`,
    };
  }
  const contents = Array.from(doc.querySelectorAll("div.poly-card__content"));
  if (contents.length) {
    // bare card fragments: each content block goes with the portada (image) just before it
    const cards = contents.map((content) => {
      const previous = (content as unknown as { previousElementSibling: El | null }).previousElementSibling;
      return previous?.getAttribute("class")?.includes("poly-card__portada") ? [previous, content] : [content];
    });
    return { kind: "cards", cards, layout: "fragments", reason: `${contents.length} card fragments` };
  }
  const interstitial = interstitialOf(html, doc);
  if (interstitial) return { ...interstitial, cards: [], layout: null };
  if (doc.querySelector("li.promotion-item")) {
    return {
      kind: "unknown_layout",
      cards: [],
      layout: null,
      reason: "legacy promotion-item layout (pre-2024): no real snapshot exists to verify a parser against",
    };
  }
  if (EMPTY_RESULT_MARKERS.some((m) => doc.querySelector(m))) {
    return { kind: "empty", cards: [], layout: null, reason: "results page without cards" };
  }
  return { kind: "unknown_layout", cards: [], layout: null, reason: "no poly-card markup and no known page marker" };
}

function looksLikeHtml(body: string): boolean {
  const head = body.slice(0, 2048);
  // control characters are exactly what a binary or still-compressed body shows
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u0008\u000e-\u001a]/.test(head) || (head.match(/\ufffd/g)?.length ?? 0) > 8) return false;
  return /<[a-z!]/i.test(head);
}
