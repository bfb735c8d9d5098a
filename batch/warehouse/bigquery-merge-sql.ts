/**
 * The statement that puts a staged batch into its day-partitioned table, inserting only the keys
 * the batch's partitions do not hold yet: a MERGE on BigQuery, an INSERT … NOT IN on the emulator
 * (docs/emulators.md). Both keep one row per key whatever way a batch was cut or read again.
 */
import { dateLiteral } from "../../shared/sql-templates.ts";
import type { TableSpec } from "../../shared/tables.ts";

/**
 * The emulator's form of the MERGE (docs/emulators.md): an INSERT of the staged rows whose key
 * the table's partitions of those dates do not hold yet. The same rows in, the same rows after;
 * it is not used on BigQuery, where two concurrent INSERTs could both add a row a MERGE adds once.
 */
export function insertNewSql(
  table: TableSpec & { key: string },
  target: string,
  source: string,
  minDate: string,
  maxDate: string,
): string {
  const [from, to] = [dateLiteral(minDate), dateLiteral(maxDate)];
  const columns = Object.keys(table.columns).join(", ");
  const { key, partitionField: date } = table;
  return [
    `INSERT INTO ${target} (${columns})`,
    `SELECT ${columns} FROM ${source} AS S`,
    `WHERE S.${key} NOT IN (`,
    `  SELECT ${key} FROM ${target} WHERE ${date} BETWEEN ${from} AND ${to}`,
    `)`,
  ].join("\n");
}

/**
 * The date range prunes partitions and satisfies require_partition_filter. It is written as
 * DATE literals, not query parameters: the BigQuery emulator evaluates parameters in a MERGE's
 * ON clause wrongly (nothing matches, every row is inserted again). The dates come from our
 * own offer_date values and are checked to be YYYY-MM-DD before they go into the SQL.
 */
export function mergeSql(
  table: TableSpec & { key: string },
  target: string,
  source: string,
  minDate: string,
  maxDate: string,
): string {
  const [from, to] = [dateLiteral(minDate), dateLiteral(maxDate)];
  const columns = Object.keys(table.columns);
  const { key, partitionField: date } = table;
  return [
    `MERGE ${target} T`,
    `USING ${source} S`,
    `ON T.${key} = S.${key} AND T.${date} BETWEEN ${from} AND ${to}`,
    `WHEN NOT MATCHED THEN INSERT (${columns.join(", ")})`,
    `VALUES (${columns.map((c) => `S.${c}`).join(", ")})`,
  ].join("\n");
}
