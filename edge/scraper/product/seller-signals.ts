/**
 * What a product page says about its seller beyond the name: the reputation thermometer (five
 * colours), the MercadoLíder level, the sales count and the seller's id. The seller card
 * (`[class*=ui-seller-data]`: "MercadoLíder Platinum", the thermometer, "+10mil Ventas") is read
 * first, wherever it sits in the page; the state's tracking data (`reputation_level`,
 * `power_seller_status`, `seller_id`) fills in what the card does not show. Decisions:
 * edge/SCRAPER.md, "Sellers".
 */
import {
  POWER_SELLER_LEVELS,
  type PowerSellerLevel,
  REPUTATION_LEVELS,
  type ReputationLevel,
} from "../../../shared/contract/seller.ts";
import type { El } from "../card-dom.ts";
import { squish } from "../text.ts";
import { soldLowerBound } from "./product-text.ts";

export interface SellerSignals {
  reputation: ReputationLevel | null;
  powerSeller: PowerSellerLevel | null;
  /** The sales line as shown ("+10mil ventas") and the least it promises. */
  salesText: string | null;
  salesMin: number | null;
  sellerId: string | null;
}

export interface SellerDoc {
  querySelectorAll(selector: string): Iterable<El> & ArrayLike<El>;
}

const text = (el: El | null | undefined) => squish(el?.textContent);

/** "5_green", a thermometer's 5 → the level; anything else → null. */
export function reputationOf(value: unknown): ReputationLevel | null {
  if (typeof value === "number" || (typeof value === "string" && /^[1-5]$/.test(value.trim()))) {
    return REPUTATION_LEVELS[Number(value) - 1] ?? null;
  }
  return REPUTATION_LEVELS.find((level) => level === value) ?? null;
}

/** "MercadoLíder Platinum" → platinum, "MercadoLíder" → silver; a state's "gold" → gold. */
export function powerSellerOf(value: string | null | undefined): PowerSellerLevel | null {
  const t = squish(value).toLowerCase();
  if (POWER_SELLER_LEVELS.includes(t as PowerSellerLevel)) return t as PowerSellerLevel;
  const badge = /^mercadol[ií]der(?:\s+(platinum|gold|platino|ouro|oro))?$/.exec(t);
  if (!badge) return null;
  const level = badge[1];
  return level === "platinum" || level === "platino" ? "platinum" : level ? "gold" : "silver";
}

/**
 * What the page's seller card shows; null where it shows nothing. Only elements inside a seller
 * block (a class naming `seller`) are read: recommendation cards never carry a thermometer, but
 * a layout that drew one would not be taken for this page's seller.
 */
export function readSellerCard(doc: SellerDoc): SellerSignals {
  const inSeller = (selector: string) => Array.from(doc.querySelectorAll(`[class*='seller'] ${selector}`));
  const thermometer = inSeller("[class*='thermometer'][value]")[0] ??
    Array.from(doc.querySelectorAll("[class*='seller'][class*='thermometer'][value]"))[0];
  const powerSeller = inSeller("p, span, h2, h3").map((el) => powerSellerOf(text(el))).find((l) => l !== null);
  const salesText = inSeller("[class*='info']").map(salesLineOf).find((t) => t !== null) ?? null;
  const sellerId = inSeller("a[href]")
    .map((a) => /[?&]seller_id=(\d{1,20})\b/.exec(a.getAttribute("href") ?? "")?.[1])
    .find((id) => id !== undefined);
  return {
    reputation: reputationOf(thermometer?.getAttribute("value") ?? null),
    powerSeller: powerSeller ?? null,
    salesText,
    salesMin: soldLowerBound(salesText),
    sellerId: sellerId ?? null,
  };
}

/** A block whose label is "Ventas"/"Vendas" and whose figure is "+10mil": "+10mil ventas". */
function salesLineOf(info: El): string | null {
  const m = /^(\+?\s*\d[\d.,]*\s*(?:mil|mi|k)?)\s*(ventas|vendas)$/i.exec(text(info));
  return m ? `${m[1]!.replace(/\s+/g, "")} ${m[2]!.toLowerCase()}` : null;
}
