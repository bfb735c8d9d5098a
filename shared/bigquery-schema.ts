/** Renders the BigQuery schemas as the JSON files `bq` and Terraform read (schema/<table>.json). */
import { DAILY_OFFERS, renderSchema, schemaPathOf } from "./tables.ts";

export const DAILY_OFFERS_SCHEMA_PATH = schemaPathOf(DAILY_OFFERS);

export function renderDailyOffersSchema(): string {
  return renderSchema(DAILY_OFFERS);
}
