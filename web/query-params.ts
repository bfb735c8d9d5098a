/**
 * Query strings read against their valibot schema (deals-query.ts, items-query.ts, item-query.ts),
 * and the same schema as OpenAPI parameters, so what /openapi.json says a route takes is what its
 * handler accepts. An empty value counts as absent (a form's "all" choice sends `site=`); names
 * the schema does not know are ignored; a bad value is a BadRequest that names the parameter.
 */
import * as v from "valibot";
import type { Parameter } from "../shared/openapi/openapi.ts";

/** A parameter is wrong: answered 400 with this message. */
export class BadRequest extends Error {
  override name = "BadRequest";
}

type QuerySchema = v.ObjectSchema<v.ObjectEntries, undefined>;

/** The query's values as the schema reads them, or a BadRequest naming the first wrong parameter. */
export function readQuery<S extends QuerySchema>(schema: S, query: Record<string, string>): v.InferOutput<S> {
  const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ""));
  const parsed = v.safeParse(schema, given);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  throw new BadRequest(`${v.getDotPath(issue) ?? "the query"} ${issue.message}`);
}

/** The schema's fields as OpenAPI query parameters (each field's description is its `v.description`). */
export function queryParameters(schema: QuerySchema): Record<string, Parameter> {
  return Object.fromEntries(
    Object.entries(schema.entries).map(([name, field]) => {
      const optional = field.type === "optional";
      const inner =
        (optional ? (field as v.OptionalSchema<v.GenericSchema, undefined>).wrapped : field) as v.GenericSchema;
      return [name, { schema: inner, description: v.getDescription(inner) ?? name, required: !optional }];
    }),
  );
}
