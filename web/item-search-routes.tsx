/**
 * `GET /items?q=&site=&page=` and its JSON twin `GET /api/items`: items found by words of their
 * titles over the last 30 days, most recently seen first, 48 a page, each with its verdict today
 * when it is on offer today (the day's list, from the same cache as `/`).
 */
import type { Context, Hono } from "hono";
import { SITE_CODES } from "../shared/sites.ts";
import { addDays } from "../shared/sql-templates.ts";
import type { WebEnv } from "./app.tsx";
import { dayListOf } from "./deals.ts";
import { groupedByProduct, searchWords } from "./item-search.ts";
import { ItemsQuery } from "./items-query.ts";
import { readQuery } from "./query-params.ts";
import { type FoundItem, ItemsPage } from "./views/items-page.tsx";
import type { PageContext } from "./views/layout.tsx";

const PAGE = 48;
/** Items a search lists at most (what one query reads back). */
const MAX_FOUND = 480;
const SEARCH_DAYS = 30;

export function itemSearchRoutes(app: Hono<WebEnv>, deps: { ctx: PageContext; today: () => string }) {
  async function search(c: Context<WebEnv>) {
    const params = readQuery(ItemsQuery, c.req.query());
    const q = params.q ?? "";
    const site = params.site ?? null;
    const page = params.page ?? 1;
    const last = deps.today();
    const first = addDays(last, -(SEARCH_DAYS - 1));
    const words = q.trim() === "" ? [] : searchWords(q);
    const query = (n: number) =>
      `?${new URLSearchParams({ q, ...(site ? { site } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
    if (typeof words === "string" || words.length === 0) {
      return {
        q,
        site,
        first,
        last,
        items: [] as FoundItem[],
        total: 0,
        page: 1,
        pages: 1,
        query,
        problem: typeof words === "string" ? words : null,
      };
    }
    const [matches, today] = await Promise.all([
      c.var.source.items({ words, site, first, last, limit: MAX_FOUND }),
      c.var.source.deals(last),
    ]);
    // a product's listings side by side (the page shows them as one product)
    const found = groupedByProduct(matches);
    const verdicts = new Map(dayListOf(today).ranked.map((d) => [`${d.site}/${d.item_id}`, d.verdict]));
    const pages = Math.max(1, Math.ceil(found.length / PAGE));
    const items: FoundItem[] = found.slice((page - 1) * PAGE, page * PAGE).map((i) => ({
      ...i,
      verdict: i.last_day === last ? verdicts.get(`${i.site}/${i.item_id}`) ?? null : null,
    }));
    return { q, site, first, last, items, total: found.length, page, pages, query, problem: null };
  }

  app.get("/items", async (c) => {
    const s = await search(c);
    return c.html(<ItemsPage ctx={deps.ctx} sites={SITE_CODES} {...s} />, s.problem ? 400 : 200);
  });

  app.get("/api/items", async (c) => {
    const { query: _query, ...s } = await search(c);
    if (s.problem) return c.json({ error: s.problem }, 400);
    return c.json(s);
  });
}
