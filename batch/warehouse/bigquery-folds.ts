/**
 * The day folds of a BigQuery load (day-folds.ts plans them): the days the stream moved past,
 * recomputed whole from daily_offers into item_days and product_days, and the items and products
 * of late rows (matched in the batch's staging table) recomputed. All the days a load folds whole
 * go in one job, its late rows in another (a BigQuery job costs seconds of its own, and a backfill
 * closes up to 92 days at once). Each writes both tables: in production one transaction (a reader
 * never sees a day half folded, nor folded in one table and not the other); on the emulator a
 * DELETE job and a query job appending per table (docs/emulators.md). Job ids derive from the
 * batch and the days, so a retried batch meets them; running a fold again writes the same rows.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import { bigqueryFoldSql, type DaysFold } from "../../reports/item-days-sql.ts";
import { bigqueryProductFoldSql } from "../../reports/product-days-sql.ts";
import { addDays } from "../../shared/sql-templates.ts";
import { ITEM_DAYS, PRODUCT_DAYS } from "../../shared/tables.ts";
import { offerDate } from "../../shared/timestamp.ts";
import type { BigQueryJobs } from "./bigquery-jobs.ts";
import { DayFolds, FOLD_HORIZON_DAYS, foldedDaysSql, type FoldPlan } from "./day-folds.ts";
import type { LoadBatch } from "../staging.ts";

export interface BigQueryFoldOptions {
  projectId: string;
  dataset: string;
  forms: "production" | "emulator";
}

/** An API call of the warehouse: bounded, ended by a stop, reported when slow. */
export type Call = <T>(what: string, work: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

export class BigQueryFolds {
  /** Which days each load of daily_offers folds (day-folds.ts). */
  private readonly folds = new DayFolds();

  constructor(
    private readonly options: BigQueryFoldOptions,
    private readonly bigquery: BigQuery,
    private readonly jobs: Pick<BigQueryJobs, "run">,
    private readonly call: Call,
  ) {}

  /** The folds a loaded batch of daily_offers calls for; `stageRef` is its staging table. */
  async foldDays(batch: Pick<LoadBatch, "id" | "dates">, stageRef: string, signal?: AbortSignal): Promise<void> {
    if (!this.folds.known) this.folds.learn(...await this.foldState(signal));
    const plan: FoldPlan = this.folds.plan(batch.dates);
    const foldedAt = new Date().toISOString();
    if (plan.days.length) await this.fold(batch.id, { days: plan.days, fold: "day", foldedAt }, null, signal);
    if (plan.late.length) {
      await this.fold(batch.id, { days: plan.late, fold: `late:${batch.id}`, foldedAt }, stageRef, signal);
    }
    this.folds.done(plan);
  }

  /** All the days of one kind of fold in one job (production) or one DELETE and one write per table (emulator). */
  private async fold(batchId: string, fold: DaysFold, stageRef: string | null, signal?: AbortSignal) {
    const { dataset, projectId } = this.options;
    const ref = `${projectId}.${dataset}`;
    const tables = [
      { table: ITEM_DAYS, ...bigqueryFoldSql(fold, ref, stageRef) },
      { table: PRODUCT_DAYS, ...bigqueryProductFoldSql(fold, ref, stageRef) },
    ];
    // the id names the batch and the days: a retried batch with the same plan meets its job (409)
    const id = `ofertas_fold_${dataset}_${batchId}_${stageRef ? "late" : "days"}_${await daysHash(fold.days)}`;
    const span = fold.days.length === 1
      ? fold.days[0]
      : `${fold.days[0]}..${fold.days.at(-1)} (${fold.days.length} days)`;
    const what = `fold ${span} into item_days and product_days${stageRef ? " (late rows)" : ""}`;
    if (this.options.forms === "production") {
      const statements = tables.map(({ table, remove, select }) =>
        `${remove};\nINSERT INTO \`${ref}.${table.name}\` (${Object.keys(table.columns).join(", ")})\n${select};`
      );
      const script = `BEGIN TRANSACTION;\n${statements.join("\n")}\nCOMMIT TRANSACTION;`;
      await this.jobs.run(id, { query: { query: script, useLegacySql: false } }, what, signal);
      return;
    }
    for (const { table, remove, select } of tables) {
      const of = `${what}: ${table.name}`;
      await this.jobs.run(
        `${id}_${table.name}_delete`,
        { query: { query: remove, useLegacySql: false } },
        `${of} delete`,
        signal,
      );
      await this.jobs.run(
        `${id}_${table.name}_write`,
        {
          query: {
            query: select,
            destinationTable: { projectId, datasetId: dataset, tableId: table.name },
            writeDisposition: "WRITE_APPEND",
            createDisposition: "CREATE_NEVER",
            useLegacySql: false,
          },
        },
        `${of} write`,
        signal,
      );
    }
  }

  /** The days with offers, and the days folded whole in both tables, within the readers' horizon. */
  private async foldState(signal?: AbortSignal): Promise<[string[], string[]]> {
    const { dataset, projectId } = this.options;
    const oldest = addDays(offerDate(new Date().toISOString()), -FOLD_HORIZON_DAYS);
    const days = async (sql: string) => {
      const [rows] = await this.call("read the folded days", () => this.bigquery.query({ query: sql }), signal);
      return (rows as Array<{ d: { value?: string } | string }>).map((r) =>
        String(typeof r.d === "object" ? r.d.value : r.d).slice(0, 10)
      );
    };
    const ref = (name: string) => `\`${projectId}.${dataset}.${name}\``;
    const recent = `offer_date >= DATE '${oldest}'`;
    return [
      await days(`SELECT DISTINCT offer_date AS d FROM ${ref("daily_offers")} WHERE ${recent}`),
      await days(foldedDaysSql(recent, ref)),
    ];
  }
}

/** A short name for a list of days (job ids are at most 1,024 characters; a backfill folds up to 92 days). */
async function daysHash(days: readonly string[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(days.join(",")));
  return [...new Uint8Array(digest).slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
