/**
 * Kafka records → warehouse rows. Pure and runtime-neutral: decode, check the schema
 * version, validate against shared/offer.ts, convert (offer_date in America/Sao_Paulo,
 * exact money, recomputed discount, offer_key, Kafka provenance). A record that cannot be
 * used becomes a dead letter carrying its original bytes and the reason; the rest go on.
 */
import { discountPercent } from "../shared/money.ts";
import {
  offerKey,
  type OfferMessage,
  SCHEMA_VERSION,
  validateOfferMessage,
  validateWarehouseRow,
  type WarehouseRow,
} from "../shared/offer.ts";
import { offerDate } from "../shared/timestamp.ts";

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: Record<string, string>;
}

export interface DeadLetter {
  record: RawRecord;
  reason: string;
}

export interface Transformed {
  rows: WarehouseRow[];
  deadLetters: DeadLetter[];
  /** Records whose offer_key was already in this batch (re-delivered messages). */
  duplicates: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The record's offer, or why it cannot be one. */
export function decodeOffer(record: RawRecord): { message: OfferMessage } | { reason: string } {
  if (!record.value || record.value.length === 0) return { reason: "empty message" };
  let text: string;
  try {
    text = utf8.decode(record.value);
  } catch {
    return { reason: "not UTF-8" };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { reason: `malformed JSON: ${(error as Error).message}` };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { reason: "not a JSON object" };
  const version = (body as Record<string, unknown>).schema_version ?? record.headers.schema_version;
  if (String(version) !== String(SCHEMA_VERSION)) {
    return {
      reason: `unknown schema_version ${JSON.stringify(version ?? null)} (this consumer reads ${SCHEMA_VERSION})`,
    };
  }
  const checked = validateOfferMessage(body);
  return checked.ok ? { message: checked.value } : { reason: `schema: ${checked.errors.join("; ")}` };
}

export async function toWarehouseRow(
  message: OfferMessage,
  source: Pick<RawRecord, "topic" | "partition" | "offset">,
  ingestedAt: string,
): Promise<WarehouseRow> {
  return {
    offer_key: await offerKey(message),
    offer_date: offerDate(message.scraped_at),
    scraped_at: message.scraped_at,
    ingested_at: ingestedAt,
    scrape_id: message.scrape_id,
    schema_version: message.schema_version,
    source_url: message.source_url,
    site: message.site,
    item_id: message.item_id,
    product_id: message.product_id,
    user_product_id: message.user_product_id,
    title: message.title,
    url: message.url,
    image_url: message.image_url,
    currency: message.currency,
    price: message.price,
    original_price: message.original_price,
    discount_pct: message.discount_pct,
    computed_discount_pct: message.original_price === null
      ? null
      : discountPercent(message.price, message.original_price),
    installments_count: message.installments?.count ?? null,
    installment_amount: message.installments?.amount ?? null,
    installments_interest_free: message.installments?.interest_free ?? null,
    free_shipping: message.free_shipping,
    full_fulfilment: message.full,
    seller: message.seller,
    official_store: message.official_store,
    brand: message.brand,
    rating: message.rating,
    reviews: message.reviews,
    label: message.label,
    lightning_end: message.lightning_end,
    coupon: message.coupon,
    sponsored: message.sponsored,
    position: message.position,
    page: message.page,
    kafka_topic: source.topic,
    kafka_partition: source.partition,
    kafka_offset: Number(source.offset),
  };
}

export async function transform(records: readonly RawRecord[], ingestedAt: string): Promise<Transformed> {
  const rows: WarehouseRow[] = [];
  const deadLetters: DeadLetter[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const record of records) {
    const decoded = decodeOffer(record);
    if ("reason" in decoded) {
      deadLetters.push({ record, reason: decoded.reason });
      continue;
    }
    const row = await toWarehouseRow(decoded.message, record, ingestedAt);
    const checked = validateWarehouseRow(row);
    if (!checked.ok) {
      deadLetters.push({ record, reason: `cannot convert: ${checked.errors.join("; ")}` });
      continue;
    }
    if (seen.has(row.offer_key)) {
      duplicates++;
      continue;
    }
    seen.add(row.offer_key);
    rows.push(row);
  }
  return { rows, deadLetters, duplicates };
}
