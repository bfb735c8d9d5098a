/**
 * A batch of rows as files to stage: gzip NDJSON, one file per (offer date, partition), named
 * after the batch's offset range of that partition:
 *   staging/daily_offers/offer_date=<date>/<topic>-<partition>-<firstOffset>-<lastOffset>.json.gz
 * Names and the batch id are deterministic: a retried batch writes the same files and runs
 * the same jobs. Runtime-neutral (CompressionStream, WebCrypto).
 */
import { DAILY_OFFERS_TABLE, type WarehouseRow } from "../shared/offer.ts";

export interface OffsetRange {
  topic: string;
  partition: number;
  first: string;
  last: string;
}

export interface StagedFile {
  /** Path relative to the staging root (bucket or folder). */
  path: string;
  offerDate: string;
  rows: number;
  gzip: Uint8Array;
}

export interface LoadBatch {
  /**
   * Deterministic id: a hash of the offset ranges and the batch's offer_keys. A retry of the
   * same batch gets the same id (same job ids, same staging table). Another batch never does,
   * not even with the same offsets after a topic was recreated.
   */
  id: string;
  ranges: OffsetRange[];
  files: StagedFile[];
  rows: number;
  /** Offer dates the batch touches, sorted (the partitions a load writes). */
  dates: string[];
}

export const STAGING_PREFIX = `staging/${DAILY_OFFERS_TABLE.name}`;

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function batchIdOf(ranges: readonly OffsetRange[], offerKeys: readonly string[]): Promise<string> {
  const canonical = [...ranges]
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
    .map((r) => `${r.topic}/${r.partition}/${r.first}-${r.last}`)
    .join(",")
    .concat("|", [...offerKeys].sort().join(","));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest).subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function buildLoadBatch(
  rows: readonly WarehouseRow[],
  ranges: readonly OffsetRange[],
): Promise<LoadBatch> {
  const rangeOf = new Map(ranges.map((r) => [`${r.topic}/${r.partition}`, r]));
  const groups = new Map<string, { offerDate: string; range: OffsetRange; rows: WarehouseRow[] }>();
  for (const row of rows) {
    const range = rangeOf.get(`${row.kafka_topic}/${row.kafka_partition}`);
    if (!range) throw new Error(`row from ${row.kafka_topic}/${row.kafka_partition} outside the batch's ranges`);
    const key = `${row.offer_date}|${range.topic}|${range.partition}`;
    const group = groups.get(key) ?? { offerDate: row.offer_date, range, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const files: StagedFile[] = [];
  for (const { offerDate, range, rows: groupRows } of groups.values()) {
    files.push({
      path:
        `${STAGING_PREFIX}/offer_date=${offerDate}/${range.topic}-${range.partition}-${range.first}-${range.last}.json.gz`,
      offerDate,
      rows: groupRows.length,
      gzip: await gzip(groupRows.map((r) => JSON.stringify(r)).join("\n") + "\n"),
    });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return {
    id: await batchIdOf(ranges, rows.map((r) => r.offer_key)),
    ranges: [...ranges],
    files,
    rows: rows.length,
    dates: [...new Set(files.map((f) => f.offerDate))].sort(),
  };
}
