/**
 * The query string of an item search (`/items`, `/api/items`): one schema, read by the handlers
 * (web/item-search-routes.tsx, a clear 400 otherwise) and described by /openapi.json. Without `q`
 * the page is the search form; the words themselves are checked by searchWords (item-search.ts).
 */
import * as v from "valibot";
import { MAX_SEARCH_WORDS } from "./item-search.ts";
import { pageParam, siteParam } from "./query-fields.ts";

export const ItemsQuery = v.object({
  q: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(200, "must be at most 200 characters"),
      v.description(`up to ${MAX_SEARCH_WORDS} words of the title (without it: the search form)`),
    ),
  ),
  site: v.optional(v.pipe(siteParam, v.description("one site"))),
  page: v.optional(v.pipe(pageParam, v.description("48 items a page"))),
});

export type ItemsQuery = v.InferOutput<typeof ItemsQuery>;
