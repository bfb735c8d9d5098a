/**
 * The query string of an item's page (`/items/:site/:id`, `/api/items/:site/:id/history`): one
 * schema, read by the handlers (web/app.tsx) and described by /openapi.json.
 */
import * as v from "valibot";
import { dayParam } from "./query-fields.ts";

export const ItemQuery = v.object({
  date: v.optional(v.pipe(dayParam, v.description("the last day shown (default: today)"))),
});

export type ItemQuery = v.InferOutput<typeof ItemQuery>;
