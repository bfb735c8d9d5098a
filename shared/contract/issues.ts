/**
 * How every contract says what is wrong: one problem per issue, "field.path: problem", with the
 * top-level field at fault as a closed set (safe as a metric label). Shared by the offer, the
 * product details and their messages.
 */
import * as v from "valibot";

/** One problem: the field at fault and "path: problem". */
export interface Problem<F extends string = string> {
  field: F | "unknown_field" | "offer";
  message: string;
}

export type ValidationResult<T, F extends string = string> = { ok: true; value: T } | {
  ok: false;
  errors: string[];
  problems: Problem<F>[];
};

/** At most this many problems are described per value; the rest are counted. */
const MAX_PROBLEMS = 10;
const MAX_PATH_SHOWN = 60;

/** "field.path: problem" for every issue, so a caller always learns which field is wrong. */
function describeIssues<F extends string>(
  issues: readonly v.BaseIssue<unknown>[],
  fields: readonly F[],
  max = MAX_PROBLEMS,
): Problem<F>[] {
  const problems = issues.slice(0, max).map((issue): Problem<F> => {
    const fullPath = v.getDotPath(issue) ?? "(offer)";
    // a hostile key may be megabytes long: never echo it whole
    const path = fullPath.length > MAX_PATH_SHOWN ? `${fullPath.slice(0, MAX_PATH_SHOWN)}…` : fullPath;
    const top = issue.path?.[0]?.key;
    const known = typeof top === "string" && (fields as readonly string[]).includes(top);
    if (issue.kind === "schema" && issue.expected === "never") {
      return { field: known ? (top as F) : "unknown_field", message: `${path}: unknown field` };
    }
    const field = known ? (top as F) : issue.path ? "unknown_field" : "offer";
    if (issue.kind === "schema" && issue.received === "undefined" && issue.expected?.startsWith('"')) {
      return { field, message: `${path}: is required` };
    }
    return { field, message: `${path}: ${issue.message}` };
  });
  if (issues.length > max) {
    problems.push({ field: "offer", message: `(offer): ${issues.length - max} more problem(s) not shown` });
  }
  return problems;
}

/** Validates `input` against a strict object schema (or a pipe over one), naming its fields in the problems. */
export function validate<S extends v.GenericSchema, F extends string>(
  schema: S,
  fields: readonly F[],
  input: unknown,
  maxProblems = MAX_PROBLEMS,
): ValidationResult<v.InferOutput<S>, F> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const problems = describeIssues(result.issues, fields, maxProblems);
  return { ok: false, errors: problems.map((p) => p.message), problems };
}
