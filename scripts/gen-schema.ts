/** Regenerates schema/daily_offers.json from shared/offer.ts: `bun run scripts/gen-schema.ts`. */
import { DAILY_OFFERS_SCHEMA_PATH, renderDailyOffersSchema } from "../shared/bigquery-schema.ts";

const target = new URL(`../${DAILY_OFFERS_SCHEMA_PATH}`, import.meta.url);
await Bun.write(target, renderDailyOffersSchema());
console.log(`wrote ${DAILY_OFFERS_SCHEMA_PATH}`);
