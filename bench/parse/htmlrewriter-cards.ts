/**
 * The same card extraction as edge/scraper/card-dom.ts, written for Bun's streaming
 * HTMLRewriter (lol-html) instead of a linkedom DOM. It exists only to measure what a
 * streaming parser would buy; field decisions are shared (card-fields.ts), so both paths
 * produce comparable offers. Bun-only.
 */
import type { DomAmount, DomCard } from "../../edge/scraper/card-dom.ts";
import { toOfferFields } from "../../edge/scraper/card-fields.ts";
import { readEmbeddedState } from "../../edge/scraper/embedded-state.ts";
import { parseAmountLabel } from "../../edge/scraper/money-text.ts";
import { squish } from "../../edge/scraper/text.ts";
import { type ScrapedOffer, validateScrapedOffer } from "../../shared/contract/scraped-offer.ts";
import type { SiteCode } from "../../shared/sites.ts";

interface Draft {
  href: string | null;
  title: string;
  image: string | null;
  priceLabel: string | null;
  previousLabel: string | null;
  discount: string;
  installments: string;
  installmentLabel: string | null;
  hasInstallments: boolean;
  shipping: string;
  hasShipping: boolean;
  full: boolean;
  seller: string;
  sellerLabel: string;
  hasSeller: boolean;
  official: boolean;
  brand: string;
  rating: string;
  reviews: string;
  compacted: string[];
  label: string;
  countdownText: string;
  lightning: string;
  coupon: string;
  sponsored: boolean;
}

const emptyDraft = (): Draft => ({
  href: null,
  title: "",
  image: null,
  priceLabel: null,
  previousLabel: null,
  discount: "",
  installments: "",
  installmentLabel: null,
  hasInstallments: false,
  shipping: "",
  hasShipping: false,
  full: false,
  seller: "",
  sellerLabel: "",
  hasSeller: false,
  official: false,
  brand: "",
  rating: "",
  reviews: "",
  compacted: [],
  label: "",
  countdownText: "",
  lightning: "",
  coupon: "",
  sponsored: false,
});

export async function extractWithHtmlRewriter(html: string, site: SiteCode): Promise<ScrapedOffer[]> {
  const drafts: Draft[] = [];
  let card: Draft | null = null;
  let buyBoxDepth = 0;
  const scripts: Record<string, string> = {};
  const active = () => (card && buyBoxDepth === 0 ? card : null);

  /** Appends text of the matched element to one field of the current card. */
  const text = (
    field:
      | "title"
      | "discount"
      | "installments"
      | "shipping"
      | "seller"
      | "sellerLabel"
      | "brand"
      | "rating"
      | "reviews"
      | "label"
      | "countdownText"
      | "lightning"
      | "coupon",
  ) => ({
    text(chunk: { text: string }) {
      const c = active();
      if (c) c[field] += chunk.text;
    },
  });

  const rewriter = new HTMLRewriter()
    .on("div.poly-card", {
      element(el) {
        card = emptyDraft();
        drafts.push(card);
        el.onEndTag(() => {
          card = null;
        });
      },
    })
    .on(".poly-component__buy-box", {
      element(el) {
        buyBoxDepth++;
        el.onEndTag(() => {
          buyBoxDepth--;
        });
      },
    })
    .on("a.poly-component__title", {
      element(el) {
        const c = active();
        if (c && c.href === null) c.href = el.getAttribute("href");
      },
      ...text("title"),
    })
    .on("img.poly-component__picture", {
      element(el) {
        const c = active();
        if (!c || c.image) return;
        const src = el.getAttribute("src");
        c.image = src && !src.startsWith("data:") ? src : el.getAttribute("data-src");
      },
    })
    .on(".poly-price__current .andes-money-amount", {
      element(el) {
        const c = active();
        if (c && c.priceLabel === null && !(el.getAttribute("class") ?? "").includes("discount")) {
          c.priceLabel = el.getAttribute("aria-label");
        }
      },
    })
    .on("s.andes-money-amount--previous", {
      element(el) {
        const c = active();
        if (c && c.previousLabel === null) c.previousLabel = el.getAttribute("aria-label");
      },
    })
    .on(".poly-price__current .andes-money-amount__discount", text("discount"))
    .on(".poly-price__installments", {
      element() {
        const c = active();
        if (c) c.hasInstallments = true;
      },
      ...text("installments"),
    })
    .on(".poly-price__installments .andes-money-amount", {
      element(el) {
        const c = active();
        if (c) c.installmentLabel = el.getAttribute("aria-label");
      },
    })
    .on(".poly-component__shipping", {
      element() {
        const c = active();
        if (c) c.hasShipping = true;
      },
      ...text("shipping"),
    })
    .on('.poly-component__shipping svg[aria-label*="FULL"], .poly-component__shipped-from svg[aria-label*="FULL"]', {
      element() {
        const c = active();
        if (c) c.full = true;
      },
    })
    .on(".poly-component__seller", {
      element() {
        const c = active();
        if (c) c.hasSeller = true;
      },
      ...text("seller"),
    })
    .on(".poly-component__seller .poly-fw-semibold", text("sellerLabel"))
    .on(
      '.poly-component__seller svg[aria-label="Loja oficial"], .poly-component__seller svg[aria-label="Tienda oficial"]',
      {
        element() {
          const c = active();
          if (c) c.official = true;
        },
      },
    )
    .on(".poly-component__brand", text("brand"))
    .on(".poly-reviews__rating", text("rating"))
    .on(".poly-reviews__total", text("reviews"))
    .on(".poly-component__review-compacted .poly-phrase-label", {
      element() {
        active()?.compacted.push("");
      },
      text(chunk) {
        const c = active();
        if (c && c.compacted.length) c.compacted[c.compacted.length - 1] += chunk.text;
      },
    })
    .on(".poly-component__highlight", text("label"))
    .on(".poly-highlight-countdown__text", text("countdownText"))
    .on(".poly-component__highlight-countdown .andes-visually-hidden", text("lightning"))
    .on(".poly-coupons__pill", text("coupon"))
    .on(".poly-component__ads-promotions", {
      element() {
        const c = active();
        if (c) c.sponsored = true;
      },
    })
    .on("script#__NORDIC_RENDERING_CTX__, script#__PRELOADED_STATE__", {
      element(el) {
        scripts.current = el.getAttribute("id") ?? "";
        scripts[scripts.current] = "";
      },
      text(chunk) {
        scripts[scripts.current!] += chunk.text;
      },
    });

  await rewriter.transform(new Response(html)).arrayBuffer();

  const state = readEmbeddedState(
    Object.entries(scripts)
      .filter(([id]) => id !== "current")
      .map(([id, t]) => ({ id, text: t })),
  );
  const offers: ScrapedOffer[] = [];
  drafts.forEach((d, index) => {
    const stateCard = state?.cards[index] ?? null;
    const { offer } = toOfferFields(toDomCard(d), stateCard, { site, page: 1, position: index + 1 });
    const checked = validateScrapedOffer(offer);
    if (checked.ok) offers.push(checked.value);
  });
  return offers;
}

function amount(label: string | null): DomAmount | null {
  const reading = label ? parseAmountLabel(label) : null;
  return reading ? { cents: reading.cents, currency: reading.currency, disagreement: false } : null;
}

/** lol-html hands over raw text: character references are still encoded. */
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      return String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

const orNull = (s: string) => squish(decodeEntities(s)) || null;

function toDomCard(d: Draft): DomCard {
  const compacted = d.compacted.map(squish);
  return {
    href: d.href,
    title: decodeEntities(d.title).trim(),
    imageUrl: d.image,
    price: amount(d.priceLabel),
    originalPrice: amount(d.previousLabel),
    discountText: orNull(d.discount),
    installmentsText: d.hasInstallments ? squish(d.installments) : null,
    installmentAmount: amount(d.installmentLabel),
    shippingText: d.hasShipping ? squish(d.shipping) : null,
    full: d.full,
    sellerText: d.hasSeller ? squish(decodeEntities(d.seller)) : null,
    sellerLabel: orNull(d.sellerLabel),
    officialStore: d.official,
    brand: orNull(d.brand),
    ratingText: orNull(d.rating) ?? compacted.find((t) => /^\d+(?:[.,]\d+)?$/.test(t)) ?? null,
    reviewsText: orNull(d.reviews),
    soldText: compacted.find((t) => /vendid/i.test(t)) ?? null,
    label: orNull(d.label) ?? orNull(d.countdownText),
    lightningText: orNull(d.lightning),
    coupon: orNull(d.coupon)?.replace(/(R\$|US\$|\$)(?=\d)/g, "$1 ") ?? null,
    sponsored: d.sponsored,
  };
}
