/**
 * The project's SQL files are templates: `{{dataset}}`, the report settings, `@run_date` /
 * `$run_date`, and two seams that let one question be asked in more than one way:
 *  - `{{first_day}}`/`{{last_day}}` in price_history.sql: the report day when scheduled, a range
 *    of days for the web view;
 *  - `{{price_history}}` in fake_discounts.sql: the materialized table when scheduled, today's
 *    price history computed on the fly (price_history.sql itself) for the web view.
 * So a verdict is always the scheduled queries' SQL, never a second implementation.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Engine = "duckdb" | "bigquery";

export interface ReportSettings {
  /** Percentage points (and percent above the 30-day high) a discount may be off before it is "inflated". */
  tolerancePct: number;
  /** Days with observations in the prior 30 needed for a verdict. */
  minHistoryDays: number;
  /** How many deals per site and overall daily_top_deals keeps. */
  topN: number;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = { tolerancePct: 5, minHistoryDays: 7, topN: 20 };

const SQL_DIR = new URL("../sql/", import.meta.url).pathname;

/** The raw text of sql/<engine>/<name>.sql. */
export function sqlFile(engine: Engine, name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`not a query name: ${name}`);
  return readFileSync(join(SQL_DIR, engine, `${name}.sql`), "utf8");
}

export function addDays(date: string, days: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A named query parameter as each engine writes it: `@name` on BigQuery, `$name` on DuckDB. */
export function paramRef(engine: Engine, name: string): string {
  return `${engine === "bigquery" ? "@" : "$"}${name}`;
}

/** A checked YYYY-MM-DD as a DATE literal (means the same to both engines). */
export function dateLiteral(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  return `DATE '${date}'`;
}

export interface TemplateValues {
  dataset: string;
  /** The report day; @run_date is the day after (queries run just after the São Paulo day ends). */
  reportDate: string;
  settings?: ReportSettings;
  /** price_history.sql: the days it covers (default: the report day). */
  days?: { first: string; last: string };
  /** fake_discounts.sql: where price history comes from (default: the price_history table). */
  priceHistory?: string;
}

export function renderSql(engine: Engine, name: string, values: TemplateValues): string {
  return renderText(engine, sqlFile(engine, name), values);
}

/** renderSql for a text composed of the files (a query made of others: product_discounts.sql). */
export function renderText(engine: Engine, text: string, values: TemplateValues): string {
  const settings = values.settings ?? DEFAULT_REPORT_SETTINGS;
  for (const [key, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`${key} must be a non-negative number`);
  }
  const table = engine === "bigquery" ? "`{{dataset}}.price_history`" : "{{dataset}}.price_history";
  // function replacements: a `$` in what goes in is text, never a replacement pattern
  return text
    .replaceAll("{{price_history}}", () => values.priceHistory ?? table)
    .replaceAll("{{first_day}}", dateLiteral(values.days?.first ?? values.reportDate))
    .replaceAll("{{last_day}}", dateLiteral(values.days?.last ?? values.reportDate))
    .replaceAll("{{dataset}}", values.dataset)
    .replaceAll("{{tolerance_pct}}", String(settings.tolerancePct))
    .replaceAll("{{min_history_days}}", String(Math.trunc(settings.minHistoryDays)))
    .replaceAll("{{top_n}}", String(Math.trunc(settings.topN)))
    .replaceAll(paramRef(engine, "run_date"), dateLiteral(addDays(values.reportDate, 1)));
}

/**
 * The verdicts of a day's offers as fake_discounts.sql gives them, with the day's and the prior
 * 30 days' price history computed from daily_offers by price_history.sql (nothing materialized):
 * what the web view shows for today, before the nightly run.
 */
export function judgedOffersSql(engine: Engine, dataset: string, day: string, settings?: ReportSettings): string {
  const history = renderSql(engine, "price_history", {
    dataset,
    reportDate: day,
    settings,
    days: { first: addDays(day, -30), last: day },
  });
  return renderSql(engine, "fake_discounts", { dataset, reportDate: day, settings, priceHistory: `(\n${history}\n)` });
}

/** One item's price history over a range of days, by price_history.sql. */
export function itemHistorySql(engine: Engine, dataset: string, first: string, last: string): string {
  const history = renderSql(engine, "price_history", { dataset, reportDate: last, days: { first, last } });
  const [site, item] = [paramRef(engine, "site"), paramRef(engine, "item_id")];
  return `SELECT * FROM (\n${history}\n) AS h WHERE site = ${site} AND item_id = ${item} ORDER BY offer_date`;
}

/** The web view's list of a day: fake_discounts.sql's verdicts with what each item shows (web_deals.sql). */
export function webDealsSql(engine: Engine, dataset: string, day: string, settings?: ReportSettings): string {
  const judged = judgedOffersSql(engine, dataset, day, settings);
  return sqlFile(engine, "web_deals")
    .replace("{{judged}}", () => judged)
    .replaceAll("{{dataset}}", dataset)
    .replaceAll("{{day}}", dateLiteral(day));
}

/** What each item's page said last, within the 30 days up to `day` (item_details.sql). */
export function itemDetailsSql(engine: Engine, dataset: string, day: string): string {
  return renderSql(engine, "item_details", { dataset, reportDate: day, days: { first: addDays(day, -30), last: day } });
}

/** The day's verdicts by product category: fake_discounts.sql's verdicts, item_details.sql's categories. */
export function dealsByCategorySql(engine: Engine, dataset: string, day: string, settings?: ReportSettings): string {
  const judged = judgedOffersSql(engine, dataset, day, settings);
  const details = itemDetailsSql(engine, dataset, day);
  return sqlFile(engine, "deals_by_category")
    .replace("{{judged}}", () => judged)
    .replace("{{item_details}}", () => details);
}

/** A web query's days, row bound and dataset filled in (web_alerts.sql, web_items.sql). */
export function fillWebQuery(sql: string, q: { dataset: string; first: string; last: string; limit: number }): string {
  return sql
    .replaceAll("{{first_day}}", dateLiteral(q.first))
    .replaceAll("{{last_day}}", dateLiteral(q.last))
    .replaceAll("{{limit}}", String(Math.max(1, Math.min(1_000, Math.trunc(q.limit)))))
    .replaceAll("{{dataset}}", q.dataset);
}
