/** The body of `POST /scrape`, as the route validates it and its API description shows it. */
import * as v from "valibot";
import { WatchTargetSchema } from "../shared/watch/watch.ts";
import type { SiteCode } from "../shared/sites.ts";
import { VIEWS } from "./scraper/views.ts";

/** What `POST /scrape` takes: a site and a view of the route's, and the view's own fields. */
export function scrapeBodySchema(config: { sites: readonly SiteCode[]; maxPages: number }) {
  return v.strictObject({
    site: v.optional(v.picklist(config.sites, `site must be one of ${config.sites.join(", ")}`), config.sites[0]!),
    view: v.optional(v.picklist(VIEWS, `view must be one of ${VIEWS.join(", ")}`), "all"),
    pages: v.optional(
      v.pipe(
        v.number("pages must be a number"),
        v.integer("pages must be an integer"),
        v.minValue(1, `pages must be between 1 and ${config.maxPages}`),
        v.maxValue(config.maxPages, `pages must be between 1 and ${config.maxPages}`),
      ),
      1,
    ),
    category: WatchTargetSchema.entries.category,
    query: WatchTargetSchema.entries.query,
    price_min: WatchTargetSchema.entries.price_min,
    price_max: WatchTargetSchema.entries.price_max,
    item: WatchTargetSchema.entries.item,
  });
}
