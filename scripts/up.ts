/**
 * `npm start`: runs the local pipeline on the embedded defaults. It grows with the
 * pipeline; today it prints the offer contract's table schema.
 */
import { renderDailyOffersSchema } from "../shared/bigquery-schema.ts";

console.log("ofertas: the daily_offers table schema generated from shared/offer.ts:");
console.log(renderDailyOffersSchema());
