/**
 * The deterministic id of one observation of an offer: the same message always gets the same
 * key, so re-delivered or re-loaded messages collapse into one row. 128 bits of SHA-256.
 */
import type { OfferMessage } from "../offer.ts";
import { hexPrefix, sha256, sha256Sync } from "../sha256.ts";

type KeyFields = Pick<OfferMessage, "site" | "item_id" | "scrape_id" | "page" | "position">;

const identityOf = (m: KeyFields) => [m.site, m.item_id, m.scrape_id, m.page, m.position].join("|");

export async function offerKey(m: KeyFields): Promise<string> {
  return hexPrefix(await sha256(identityOf(m)), 16);
}

/** offerKey without an await, where the runtime hashes synchronously (Bun); null elsewhere. */
export function offerKeySync(m: KeyFields): string | null {
  return sha256Sync ? hexPrefix(sha256Sync(identityOf(m)), 16) : null;
}
