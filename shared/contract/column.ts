/**
 * The one column model of every table (shared/tables.ts): BigQuery's type names (the API answers
 * INT64 as INTEGER, so Terraform sees no diff), a mode and a description; the columns of the
 * tables the consumer loads also carry the valibot schema of a value, which types their rows.
 */
import * as v from "valibot";

export type ColumnType = "STRING" | "INTEGER" | "NUMERIC" | "FLOAT" | "BOOLEAN" | "DATE" | "TIMESTAMP";
type ColumnMode = "REQUIRED" | "NULLABLE" | "REPEATED";

export interface Column<S extends v.GenericSchema | null = v.GenericSchema | null> {
  readonly type: ColumnType;
  readonly mode: ColumnMode;
  readonly description: string;
  /** What a value must be (the loaded tables); null where only the warehouse writes the table. */
  readonly schema: S;
}

/** A column of a BigQuery JSON schema (schema/*.json), as Terraform and the API see it. */
export interface SchemaField {
  name: string;
  type: ColumnType;
  mode: ColumnMode;
  description: string;
}

export const required = <S extends v.GenericSchema>(type: ColumnType, schema: S, description: string): Column<S> => ({
  type,
  mode: "REQUIRED",
  schema,
  description,
});

/** A nullable column: its value is the schema's, or null. */
export const nullable = <S extends v.GenericSchema>(
  type: ColumnType,
  schema: S,
  description: string,
): Column<v.NullableSchema<S, undefined>> => ({ type, mode: "NULLABLE", schema: v.nullable(schema), description });

/** A repeated column: its value is an array of the schema's. */
export const repeated = <S extends v.GenericSchema>(
  type: ColumnType,
  schema: S,
  description: string,
): Column<v.ArraySchema<S, undefined>> => ({ type, mode: "REPEATED", schema: v.array(schema), description });

/** A column without a value schema (a table only SQL writes). */
export const column = (type: ColumnType, mode: ColumnMode, description: string): Column<null> => ({
  type,
  mode,
  description,
  schema: null,
});

/** The row a set of columns describes, typed by their schemas. */
export type RowOf<C extends Record<string, Column>> = {
  [K in keyof C]: C[K]["schema"] extends v.GenericSchema ? v.InferOutput<C[K]["schema"]> : unknown;
};

/** The strict object schema of a row: every column, each value by its column's schema. */
export function rowSchemaOf<C extends Record<string, Column<v.GenericSchema>>>(columns: C) {
  const entries = Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, c.schema])) as {
    [K in keyof C]: C[K]["schema"];
  };
  return v.strictObject(entries);
}

/** Where a loaded row was read: the columns every table the consumer loads ends its Kafka part with. */
export const KAFKA_COLUMNS = {
  kafka_topic: required("STRING", v.string(), "Kafka topic the message was read from."),
  kafka_partition: required("INTEGER", v.pipe(v.number(), v.integer()), "Kafka partition of the message."),
  kafka_offset: required("INTEGER", v.pipe(v.number(), v.integer()), "Kafka offset of the message."),
};
