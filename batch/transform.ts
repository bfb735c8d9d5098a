/**
 * One Kafka record → one warehouse row, or a dead letter saying why not. One validation pass
 * (the contract, shared/offer.ts); the row is built from a valid message and needs no second
 * check (the contract's property test shows every such row loads). No await per row where the
 * runtime hashes synchronously.
 */
import { discountPercent } from "../shared/money.ts";
import { offerKey, offerKeySync } from "../shared/contract/offer-key.ts";
import type { WarehouseRow } from "../shared/contract/warehouse-row.ts";
import { type OfferMessage, SCHEMA_VERSION, validateOfferMessage } from "../shared/offer.ts";
import { offerDate } from "../shared/timestamp.ts";
import type { HeaderValue, RawRecord } from "./backend/backend.ts";

const headerDecoder = new TextDecoder();

export function headerText(value: HeaderValue): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => headerText(v)).join(",");
  return headerDecoder.decode(value);
}

/** Why a record became a dead letter: a closed set (a metric label). */
export type DeadLetterKind =
  | "empty"
  | "not_utf8"
  | "malformed_json"
  | "not_object"
  | "unknown_schema_version"
  | "schema"
  | "warehouse_refused";

export interface DeadLetter {
  record: RawRecord;
  kind: DeadLetterKind;
  reason: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export type Decoded = { message: OfferMessage } | { kind: DeadLetterKind; reason: string };

/**
 * The record's JSON object, if it is one of the contract version this consumer reads; else
 * why not. The first steps of every feed's transform (offers, product details).
 */
export function decodeJsonObject(
  record: RawRecord,
  version: number,
): { body: Record<string, unknown> } | { kind: DeadLetterKind; reason: string } {
  if (!record.value || record.value.length === 0) return { kind: "empty", reason: "empty message" };
  let text: string;
  try {
    text = utf8.decode(record.value);
  } catch {
    return { kind: "not_utf8", reason: "not UTF-8" };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { kind: "malformed_json", reason: `malformed JSON: ${(error as Error).message}` };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { kind: "not_object", reason: "not a JSON object" };
  }
  const said = (body as Record<string, unknown>).schema_version ?? headerText(record.headers.schema_version);
  if (String(said) !== String(version)) {
    return {
      kind: "unknown_schema_version",
      reason: `unknown schema_version ${JSON.stringify(said ?? null)} (this consumer reads ${version})`,
    };
  }
  return { body: body as Record<string, unknown> };
}

/** The record's offer, or why it cannot be one. */
export function decodeOffer(record: RawRecord): Decoded {
  const decoded = decodeJsonObject(record, SCHEMA_VERSION);
  if ("kind" in decoded) return decoded;
  const checked = validateOfferMessage(decoded.body);
  return checked.ok ? { message: checked.value } : { kind: "schema", reason: `schema: ${checked.errors.join("; ")}` };
}

type Source = Pick<RawRecord, "topic" | "partition" | "offset">;

/** The row of a valid message; `key` is its offer_key. */
export function rowOf(message: OfferMessage, key: string, source: Source, ingestedAt: string): WarehouseRow {
  return {
    offer_key: key,
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
    watch_id: message.watch_id,
    watch_run: message.watch_run,
    seller_reputation: message.seller_reputation,
    seller_power_status: message.seller_power_status,
  };
}

export async function toWarehouseRow(message: OfferMessage, source: Source, ingestedAt: string): Promise<WarehouseRow> {
  return rowOf(message, offerKeySync(message) ?? await offerKey(message), source, ingestedAt);
}

/** A row, a dead letter, or nothing to load (a tombstone of a compacted feed: committed, never a row). */
export type Transformed<Row = WarehouseRow> = { row: Row } | { deadLetter: DeadLetter } | { skip: true };

/** One record: a row (synchronously where the runtime hashes synchronously) or a dead letter. */
export function transformRecord(record: RawRecord, ingestedAt: string): Transformed | Promise<Transformed> {
  const decoded = decodeOffer(record);
  if ("kind" in decoded) return { deadLetter: { record, kind: decoded.kind, reason: decoded.reason } };
  const key = offerKeySync(decoded.message);
  if (key !== null) return { row: rowOf(decoded.message, key, record, ingestedAt) };
  return offerKey(decoded.message).then((k) => ({ row: rowOf(decoded.message, k, record, ingestedAt) }));
}

/** A whole array at once (tests, tools); the consumer streams record by record. */
export async function transform(
  records: readonly RawRecord[],
  ingestedAt: string,
): Promise<{ rows: WarehouseRow[]; deadLetters: DeadLetter[]; duplicates: number }> {
  const rows: WarehouseRow[] = [];
  const deadLetters: DeadLetter[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const record of records) {
    const t = await transformRecord(record, ingestedAt);
    if ("skip" in t) continue;
    if ("deadLetter" in t) deadLetters.push(t.deadLetter);
    else if (seen.has(t.row.offer_key)) duplicates++;
    else {
      seen.add(t.row.offer_key);
      rows.push(t.row);
    }
  }
  return { rows, deadLetters, duplicates };
}
