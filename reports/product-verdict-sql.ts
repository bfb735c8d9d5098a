/**
 * The verdict at product level, as the scheduled query product_discounts.sql gives it: a
 * product's best price of the day judged by fake_discounts.sql itself (no second implementation
 * of a verdict) over product_history.sql, the product's days in price_history's columns. The
 * report day's products come from daily_offers (product_day_summary.sql), the prior days from
 * product_days, so the cost is one day of offers and 30 of product summaries, whatever the
 * history's length. Terraform composes the same files the same way (terraform/scheduled_queries.tf);
 * the reports and the web view render them here.
 */
import { productDaySummarySql } from "./product-days-sql.ts";
import { dateLiteral, type Engine, renderText, type ReportSettings, sqlFile } from "../shared/sql-templates.ts";

/** A fold's stamp the verdict never reads (product_day_summary.sql writes it for the fold). */
const UNUSED_STAMP = { fold: "day", foldedAt: "1970-01-01T00:00:00.000Z" };

/**
 * product_discounts.sql with the files it is made of put in, as Terraform puts them in: the
 * report day's summary (`{{days}}`, `{{products}}`, `{{fold}}`, `{{updated_at}}` still to fill),
 * product_history.sql, and fake_discounts.sql reading `product_history` as its price history.
 */
export function composeProductDiscounts(engine: Engine): string {
  return sqlFile(engine, "product_discounts")
    .replace(
      "{{judged}}",
      () => sqlFile(engine, "fake_discounts").replaceAll("{{price_history}}", "product_history"),
    )
    .replace("{{product_history}}", () => sqlFile(engine, "product_history"))
    .replace("{{report_day_products}}", () => sqlFile(engine, "product_day_summary"));
}

/** product_history.sql for `reportDate`: the prior 30 days from product_days, the day itself from daily_offers. */
export function productHistorySql(engine: Engine, dataset: string, reportDate: string): string {
  const today = productDaySummarySql(engine, { day: reportDate, ...UNUSED_STAMP }, "TRUE");
  const text = sqlFile(engine, "product_history").replace("{{report_day_products}}", () => today);
  return renderText(engine, text, { dataset, reportDate });
}

/** product_discounts.sql for `reportDate`: every product of the day whose best price claims a discount, judged. */
export function productDiscountsSql(
  engine: Engine,
  dataset: string,
  reportDate: string,
  settings?: ReportSettings,
): string {
  const text = composeProductDiscounts(engine)
    .replaceAll("{{days}}", dateLiteral(reportDate))
    .replaceAll("{{day}}", dateLiteral(reportDate))
    .replaceAll("{{products}}", "TRUE")
    .replaceAll("{{chunk}}", "TRUE")
    .replaceAll("{{fold}}", `'${UNUSED_STAMP.fold}'`)
    .replaceAll("{{updated_at}}", `TIMESTAMP '${UNUSED_STAMP.foldedAt}'`);
  // sent without comment lines: the BigQuery emulator answered some queries with them with one row
  return renderText(engine, text, { dataset, reportDate, settings }).replace(/^\s*--.*\n/gm, "");
}
