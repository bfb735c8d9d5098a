/**
 * Whether a seller passes a rule's seller filter (shared/alert/rule.ts): an official store when it
 * asks for one, a reputation and a MercadoLíder level at least the ones it names. What the pages
 * never showed (a listing card has no thermometer) passes no such test: a filter asks for
 * evidence, it does not assume it.
 */
import { powerSellerRank, REPUTATION_COLOURS, reputationRank } from "../contract/seller.ts";
import type { SellerFilter } from "./rule.ts";

/** What is known of the seller behind a price. */
export interface SellerStanding {
  official_store: boolean | null;
  /** `5_green` …; null when no page showed it. */
  seller_reputation: string | null;
  /** `silver`, `gold`, `platinum`; null when no page showed it (or the seller is none). */
  seller_power_status: string | null;
}

export function sellerPasses(filter: SellerFilter | undefined, seller: SellerStanding): boolean {
  if (!filter) return true;
  if (filter.official_store && seller.official_store !== true) return false;
  if (filter.min_reputation) {
    const rank = reputationRank(seller.seller_reputation);
    if (rank === null || rank < REPUTATION_COLOURS.indexOf(filter.min_reputation) + 1) return false;
  }
  if (filter.min_power_seller) {
    const rank = powerSellerRank(seller.seller_power_status);
    if (rank === null || rank < powerSellerRank(filter.min_power_seller)!) return false;
  }
  return true;
}

/** "official stores, reputation green or better": a filter in words (alerts, the web view). */
export function describeSellerFilter(filter: SellerFilter | undefined): string | null {
  if (!filter) return null;
  const parts = [
    filter.official_store ? "official stores" : null,
    filter.min_reputation ? `reputation ${filter.min_reputation.replace("_", " ")} or better` : null,
    filter.min_power_seller ? `MercadoLíder ${filter.min_power_seller} or better` : null,
  ].filter((p) => p !== null);
  return parts.length ? parts.join(", ") : null;
}
