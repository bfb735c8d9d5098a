/** Renders the `daily_offers` schema as the JSON file `bq` and Terraform read. */
import { dailyOffersBigQuerySchema } from "./offer.ts";

export const DAILY_OFFERS_SCHEMA_PATH = "schema/daily_offers.json";

export function renderDailyOffersSchema(): string {
  return `${JSON.stringify(dailyOffersBigQuerySchema(), null, 2)}\n`;
}
