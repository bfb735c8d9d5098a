/**
 * Reads one poly-card (deals page, search page, or a bare card fragment) from the DOM.
 * Everything here is what the card shows; the embedded state is merged in later
 * (card-fields.ts). Selectors follow ../shared/docs/mercadolivre-pages.md §2.
 */
import { currencyFromSymbol, parseAmountLabel, parseVisibleAmount } from "./money-text.ts";
import { cleanTitle, parseDecimalText, squish } from "./text.ts";

/** The DOM surface the scraper needs; linkedom's elements satisfy it. */
export interface El {
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & ArrayLike<El>;
  closest(selector: string): El | null;
  readonly textContent: string | null;
  readonly parentElement: El | null;
}

export interface DomAmount {
  cents: number;
  currency: string | null;
  /** Both readings were present and disagreed (the aria-label wins). */
  disagreement: boolean;
}

export interface DomCard {
  href: string | null;
  title: string | null;
  imageUrl: string | null;
  price: DomAmount | null;
  originalPrice: DomAmount | null;
  discountText: string | null;
  installmentsText: string | null;
  installmentAmount: DomAmount | null;
  shippingText: string | null;
  full: boolean;
  sellerText: string | null;
  /** Semibold label inside the seller line: on 2025 search cards it is the brand. */
  sellerLabel: string | null;
  officialStore: boolean;
  brand: string | null;
  ratingText: string | null;
  reviewsText: string | null;
  /** Search cards print a sold count ("+1000 vendidos") where deals cards print reviews. */
  soldText: string | null;
  label: string | null;
  lightningText: string | null;
  coupon: string | null;
  sponsored: boolean;
}

const BUY_BOX = ".poly-component__buy-box";

/** One card = one or more root elements (a fragment page has portada + content siblings). */
export class CardScope {
  constructor(readonly roots: readonly El[]) {}

  /** All matches in the card itself, skipping the alternative offer in the buy box. */
  all(selector: string): El[] {
    const found: El[] = [];
    for (const root of this.roots) {
      for (const el of Array.from(root.querySelectorAll(selector))) {
        if (!insideBuyBox(el, root)) found.push(el);
      }
    }
    return found;
  }

  first(selector: string): El | null {
    return this.all(selector)[0] ?? null;
  }

  text(selector: string): string | null {
    const t = squish(this.first(selector)?.textContent);
    return t === "" ? null : t;
  }
}

function insideBuyBox(el: El, root: El): boolean {
  const box = el.closest(BUY_BOX);
  // a box that contains the root (never on real pages) does not count
  return box !== null && box !== root && root.closest(BUY_BOX) !== box;
}

export function readAmount(el: El | null): DomAmount | null {
  if (!el) return null;
  const fromLabel = parseAmountLabel(el.getAttribute("aria-label") ?? "");
  const fraction = el.querySelector(".andes-money-amount__fraction")?.textContent ?? "";
  const visible = parseVisibleAmount(fraction, el.querySelector(".andes-money-amount__cents")?.textContent ?? null);
  const symbol = currencyFromSymbol(el.querySelector(".andes-money-amount__currency-symbol")?.textContent ?? "");
  if (fromLabel) {
    return {
      cents: fromLabel.cents,
      currency: fromLabel.currency ?? symbol,
      disagreement: visible !== null && visible !== fromLabel.cents,
    };
  }
  return visible === null ? null : { cents: visible, currency: symbol, disagreement: false };
}

export function readCard(card: CardScope): DomCard {
  const titleLink = card.first("a.poly-component__title") ?? card.first(".poly-component__title-wrapper a");
  const image = card.first("img.poly-component__picture");
  const src = image?.getAttribute("src") ?? null;
  const dataSrc = image?.getAttribute("data-src") ?? null;
  const currentAmount = card.first(".poly-price__current .andes-money-amount");
  const installments = card.first(".poly-price__installments");
  const installmentAmounts = installments ? Array.from(installments.querySelectorAll(".andes-money-amount")) : [];
  const shipping = card.first(".poly-component__shipping") ?? card.first(".poly-component__shipping-v2");
  const seller = card.first(".poly-component__seller");
  const reviews = card.first(".poly-component__reviews");
  const compacted = card.first(".poly-component__review-compacted");
  const countdown = card.first(".poly-component__highlight-countdown");
  const fullIcon = card.first(
    '.poly-component__shipping svg[aria-label*="FULL"], .poly-component__shipping-v2 svg[aria-label*="FULL"], .poly-component__shipped-from svg[aria-label*="FULL"]',
  );

  const compactedLabels = compacted
    ? Array.from(compacted.querySelectorAll(".poly-phrase-label"), (l) => squish(l.textContent))
    : [];
  const compactedRating = compactedLabels.find((t) => parseDecimalText(t) !== null) ?? null;

  return {
    href: titleLink?.getAttribute("href") ?? null,
    title: titleLink ? cleanTitle(titleLink.textContent) : null,
    imageUrl: src && !src.startsWith("data:") ? src : dataSrc ?? null,
    price: readAmount(currentAmount),
    originalPrice: readAmount(
      card.first("s.andes-money-amount--previous") ?? card.first(".andes-money-amount--previous"),
    ),
    discountText: card.text(".poly-price__current .andes-money-amount__discount") ??
      card.text(".andes-money-amount__discount"),
    installmentsText: installments ? squish(installments.textContent) : null,
    // the per-installment amount is the last amount on the line ("ou R$ 3.499 em 10x R$ 349,99")
    installmentAmount: readAmount(installmentAmounts[installmentAmounts.length - 1] ?? null),
    shippingText: shipping ? squish(shipping.textContent) : null,
    full: fullIcon !== null,
    sellerText: seller ? squish(seller.textContent) : null,
    sellerLabel: seller ? squish(seller.querySelector(".poly-fw-semibold")?.textContent) || null : null,
    officialStore: seller?.querySelector('svg[aria-label="Loja oficial"], svg[aria-label="Tienda oficial"]') != null,
    brand: card.text(".poly-component__brand"),
    ratingText: reviews ? squish(reviews.querySelector(".poly-reviews__rating")?.textContent) || null : compactedRating,
    reviewsText: reviews ? squish(reviews.querySelector(".poly-reviews__total")?.textContent) || null : null,
    soldText: compactedLabels.find((t) => /vendid/i.test(t)) ?? null,
    label: card.text(".poly-component__highlight") ??
      card.text(".poly-highlight-countdown__text") ??
      card.text(".poly-component__float-highlight"),
    lightningText: countdown ? squish(countdown.querySelector(".andes-visually-hidden")?.textContent) || null : null,
    // amounts are drawn as separate spans: "Cupom R$30 OFF" reads "Cupom R$ 30 OFF"
    coupon: card.text(".poly-coupons__pill")?.replace(/(R\$|US\$|\$)(?=\d)/g, "$1 ") ?? null,
    sponsored: card.first(".poly-component__ads-promotions") !== null ||
      /\/\/click1\.mercadoli[bv]re\.com\.[a-z]+\/mclics\//.test(titleLink?.getAttribute("href") ?? ""),
  };
}
