/**
 * Which host a watch's pages come from, and at most how many pages a run fetches: what the
 * budget counts and what a back-off is about (a block page is the host's answer, not the
 * watch's). In shared/ because every reader of the watches needs it, not only the route; it
 * names the same host as the URL the scraper builds (edge/scraper/views.ts viewUrl, checked equal
 * in edge/watches/watch-limits.test.ts).
 */
import { SITES } from "../sites.ts";
import type { WatchTarget } from "./watch.ts";

/** The host of a target's pages. */
export function watchHost(target: WatchTarget): string {
  const site = SITES[target.site];
  if (target.view === "search") return site.searchHost;
  if (target.view !== "item") return site.dealsHost;
  const item = target.item ?? "";
  if (new RegExp(`^${target.site}\\d{5,15}$`).test(item)) return site.itemHost;
  // a product URL of the site is fetched on its own host (the route checked it is the site's)
  try {
    return new URL(item).hostname.toLowerCase();
  } catch {
    return site.itemHost;
  }
}

/** At most how many pages one run fetches. */
export const watchPages = (target: WatchTarget): number => (target.view === "item" ? 1 : target.pages);
