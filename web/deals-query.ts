/**
 * The query string of a day's list (`/`, `/api/deals`, `/deals.csv`): one schema, read by the
 * handlers (web/app.tsx, a clear 400 otherwise) and described by /openapi.json (web/api-doc.ts).
 */
import * as v from "valibot";
import { WATCH_ID_PATTERN } from "../shared/contract/fields.ts";
import { VERDICTS } from "./deals.ts";
import { dayParam, pageParam, siteParam } from "./query-fields.ts";

export const DealsQuery = v.object({
  date: v.optional(v.pipe(dayParam, v.description("the São Paulo day (default: today)"))),
  site: v.optional(v.pipe(siteParam, v.description("one site"))),
  verdict: v.optional(
    v.pipe(v.picklist(VERDICTS, `must be one of ${VERDICTS.join(", ")}`), v.description("one verdict")),
  ),
  label: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(100, "must be at most 100 characters"),
      v.description("a highlight label, e.g. OFERTA DO DIA"),
    ),
  ),
  q: v.optional(
    v.pipe(v.string(), v.maxLength(200, "must be at most 200 characters"), v.description("words of the title")),
  ),
  watch: v.optional(
    v.pipe(v.string(), v.regex(WATCH_ID_PATTERN, "is not a watch id"), v.description("offers a watch found")),
  ),
  page: v.optional(v.pipe(pageParam, v.description("48 offers a page"))),
});

export type DealsQuery = v.InferOutput<typeof DealsQuery>;
