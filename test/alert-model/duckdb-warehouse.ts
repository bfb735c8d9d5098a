/**
 * The real local warehouse for the alert engine's property test: the scenario's rows loaded
 * through the consumer's own transform, staging and DuckDB load (folds included), read back by
 * the alerter's own SQL (alert/candidates.ts). What the memory twin (memory-warehouse.ts) only
 * imitates, this runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbCandidates, type LoadPositions } from "../../alert/candidates.ts";
import type { Observation } from "../../alert/observation.ts";
import { shapeOf, stageRows } from "../../batch/staging.ts";
import { transform } from "../../batch/transform.ts";
import { LocalWarehouse } from "../../batch/warehouse/local-warehouse.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { sampleMessage } from "../sample-offer.ts";
import type { StoredRow } from "./memory-warehouse.ts";

const TOPIC = "deal-of-the-day";
const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

/** The message a scenario row stands for (its scrape id carries the scenario's key: distinct rows, distinct offers). */
export function messageOf(r: StoredRow & { origin?: string }): Record<string, unknown> {
  return sampleMessage({
    site: "MLB",
    item_id: r.item_id,
    scrape_id: `scenario-${r.origin ?? r.offer_key}`,
    scraped_at: new Date(r.at).toISOString(),
    price: money(r.price),
    original_price: money(r.original),
    discount_pct: r.original === null ? null : r.displayed,
    watch_id: r.watch_id,
    watch_run: r.watch_run,
    product_id: r.product_id ?? null,
    official_store: r.official ?? false,
    seller_reputation: r.reputation ?? null,
    seller_power_status: null,
    url: `https://produto.mercadolivre.com.br/MLB-${r.item_id.slice(3)}-x-_JM`,
  });
}

/** The scenario's rows with the offer keys the consumer's own transform gives them (the model breaks ties by them too). */
export async function withRealKeys(rows: readonly StoredRow[]): Promise<Array<StoredRow & { origin: string }>> {
  const { rows: transformed } = await transform(rows.map(recordOf), new Date().toISOString());
  const byOffset = new Map(transformed.map((t) => [t.kafka_offset, t.offer_key]));
  // a row produced twice is one offer: the transform keeps its first copy, the copy has its key
  const byContent = new Map(
    rows.filter((r) => byOffset.has(r.offset)).map((r) => [JSON.stringify(messageOf(r)), byOffset.get(r.offset)!]),
  );
  return rows.map((r) => ({
    ...r,
    origin: r.offer_key,
    offer_key: byOffset.get(r.offset) ?? byContent.get(JSON.stringify(messageOf(r)))!,
  }));
}

const enc = new TextEncoder();

function recordOf(r: StoredRow & { origin?: string }) {
  return {
    topic: TOPIC,
    partition: r.partition,
    offset: String(r.offset),
    key: null,
    value: enc.encode(JSON.stringify(messageOf(r))),
    headers: {},
  };
}

export class DuckDbAlertWarehouse {
  readonly root = mkdtempSync(join(tmpdir(), "ofertas-engine-duckdb-"));
  private readonly warehouse = new LocalWarehouse({ root: this.root, keepStagedFiles: false, inProcess: true });
  private readonly source = new DuckDbCandidates(this.root);
  private prepared = false;

  async load(rows: ReadonlyArray<StoredRow & { origin?: string }>): Promise<void> {
    if (!this.prepared) await this.warehouse.prepare();
    this.prepared = true;
    if (rows.length === 0) return;
    const { rows: loaded, deadLetters } = await transform(rows.map(recordOf), new Date().toISOString());
    if (deadLetters.length) throw new Error(`scenario rows refused: ${deadLetters[0]!.reason}`);
    await this.warehouse.load(await stageRows(this.root, shapeOf(DAILY_OFFERS), loaded));
  }

  observations(ranges: LoadPositions, day: string, lowDays: readonly number[]): Promise<Observation[]> {
    return this.source.observations(ranges, day, lowDays);
  }

  productObservations(ranges: LoadPositions, day: string, lowDays: readonly number[], products: readonly string[]) {
    return this.source.productObservations(ranges, day, lowDays, products);
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
