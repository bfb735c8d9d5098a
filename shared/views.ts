/**
 * What the scraper can be pointed at, by name: the deals views (all, deal of the day, lightning,
 * one category), a search, or one item's own page. The URLs are built in edge/scraper/views.ts.
 */
export const VIEWS = ["all", "deal_of_the_day", "lightning", "category", "search", "item"] as const;
export type View = (typeof VIEWS)[number];
/** Views that are pages of cards (paginated); `item` is one product page. */
export type ListingView = Exclude<View, "item">;
