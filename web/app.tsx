/**
 * The deals web view as a Hono app (server-rendered; every page works without script):
 *   GET /                          a day's offers ranked by real discount, with verdicts
 *   GET /items?q=, /api/items      items found by words of their titles over the last 30 days
 *   GET /items/:site/:id           one item's price history (chart + table)
 *   GET /products/:site/:id        one catalog product across its sellers (product-routes.tsx)
 *   GET /api/deals, /deals.csv     the same list as JSON and CSV
 *   GET /api/items/:site/:id/history
 *   GET /watches, /api/watches     the watches: what each follows, its last and next run, its alerts
 *   GET /watches/:id/alerts.atom   a watch's alerts as an Atom feed; /alerts.atom every alert
 * Read-only; every scraped string is escaped by JSX, and a strict Content-Security-Policy
 * allows no script at all and images only from Mercado Libre's image hosts. Query strings are
 * read against one valibot schema per route family (deals-query.ts, items-query.ts,
 * item-query.ts), the same ones /openapi.json describes. A question the cache cannot answer
 * is rate limited per client (query-limiter.ts); errors are answered by web-errors.tsx.
 */
import { type Context, Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { readFileSync } from "node:fs";
import { isSiteCode } from "../shared/sites.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { dayListOf, type Deal, dealsCsv, type DealsFilter, filterDeals, pageOf } from "./deals.ts";
import { CachedSource, dealsAnswer, type DealsSource } from "./source.ts";
import { DealsPage } from "./views/deals-page.tsx";
import { ItemPage } from "./views/item-page.tsx";
import type { WatchSource } from "./watch-source.ts";
import { itemSearchRoutes } from "./item-search-routes.tsx";
import { productRoutes } from "./product-routes.tsx";
import { watchRoutes } from "./watch-routes.tsx";
import { WEB_API, WEB_OPERATIONS } from "./api-doc.ts";
import { openApiDocument } from "../shared/openapi/openapi.ts";
import { referencePage } from "../shared/openapi/reference-page.ts";
import type { PageContext } from "./views/layout.tsx";
import { DealsQuery } from "./deals-query.ts";
import { ItemQuery } from "./item-query.ts";
import { readQuery } from "./query-params.ts";
import type { QueryLimiter } from "./query-limiter.ts";
import { clientAddress, clientKey, connectingAddress } from "./client-address.ts";
import { BadRequest, errorResponse, NotFound } from "./web-errors.tsx";
import type { Person } from "./accounts/session.ts";
import type { PeopleDeps } from "./accounts/people-deps.ts";
import { peopleRoutes } from "./accounts/people-routes.tsx";
import { visibleAlerts, watchVisibility } from "./accounts/ownership.ts";

export interface WebDeps {
  source: DealsSource;
  /** The watches (read from their topics); absent: the page says there are none to show. */
  watches?: WatchSource;
  demo: boolean;
  /** Days of history on an item page. */
  historyDays?: number;
  /** Today in São Paulo (tests pin it). */
  today?: () => string;
  /**
   * The rate limit on questions the cache cannot answer (it acts through a CachedSource: the
   * cache asks it at each miss); no limit when absent.
   */
  limiter?: QueryLimiter;
  /** Proxies in front that append to X-Forwarded-For and are believed (0, the default: the header is ignored). */
  trustedProxyHops?: number;
  /** Accounts, people's watches, channels and mutes (web/accounts/); absent: the read-only view of before. */
  people?: PeopleDeps;
}

/**
 * What each request carries: the source as this request may use it (its queries admitted by the
 * limiter), who is signed in (web/accounts/session.ts; null: nobody, or accounts are off) and
 * whether accounts are on (the header offers a sign-in).
 */
export type WebEnv = {
  Variables: {
    source: DealsSource;
    person: Person | null;
    accountsOn: boolean;
    /** A form's repeated fields (checkboxes), set by web/accounts/session.ts formOf. */
    formLists: Record<string, string[]>;
  };
};

const STYLE = readFileSync(new URL("./style.css", import.meta.url), "utf8");
const ITEM_ID = /^[A-Z]{3}\d{5,15}$/;

export function createWebApp(deps: WebDeps): Hono<WebEnv> {
  const today = deps.today ?? (() => offerDate(new Date().toISOString()));
  const historyDays = deps.historyDays ?? 90;
  const ctx: PageContext = {
    demo: deps.demo,
    source: deps.source.kind === "bigquery" ? "BigQuery" : "the local warehouse",
  };
  const app = new Hono<WebEnv>();

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "https://*.mlstatic.com"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "no-referrer",
    }),
  );

  // the limiter is asked only when the cache cannot answer; who asks is read here, once per request
  app.use("*", async (c, next) => {
    const { limiter, source } = deps;
    c.set("person", null);
    c.set("accountsOn", false);
    c.set("formLists", {});
    if (limiter && source instanceof CachedSource) {
      const forwarded = c.req.header("x-forwarded-for") ?? null;
      const address = clientAddress(connectingAddress(c.env, c.req.raw), forwarded, deps.trustedProxyHops ?? 0);
      c.set("source", source.admitting(limiter.forRequest(clientKey(address))));
    } else c.set("source", source);
    await next();
  });

  if (deps.people) peopleRoutes(app, deps.people, today);

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  // the API described (api-doc.ts); the page reuses the view's stylesheet, so the strict CSP holds
  app.get("/openapi.json", (c) => c.json(openApiDocument(WEB_API, WEB_OPERATIONS)));
  app.get(
    "/api",
    (c) => c.html(referencePage(WEB_API, WEB_OPERATIONS, '<link rel="stylesheet" href="/static/style.css">')),
  );
  app.get(
    "/static/style.css",
    (c) => c.body(STYLE, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" }),
  );

  /** A day's list, filtered and paged, plus what the filters offer. */
  async function listOf(c: Context<WebEnv>) {
    const query = readQuery(DealsQuery, c.req.query());
    const day = query.date ?? today();
    const filter: DealsFilter = { ...query, page: query.page ?? 1 };
    const answer = await dealsAnswer(c.var.source, day);
    const list = dayListOf(answer.value);
    // a watch's finds are its owner's: another person's watch is neither a filter nor a label
    const visible = watchVisibility(c.var.person, deps.watches?.list() ?? null);
    const matching = filter.watch && !visible(filter.watch) ? [] : filterDeals(list, filter);
    const counts: Record<string, number> = {};
    for (const d of matching) counts[d.verdict] = (counts[d.verdict] ?? 0) + 1;
    return {
      day,
      filter,
      matching,
      counts,
      sites: list.sites,
      labels: list.labels,
      watches: watchChoices(
        list.watches.filter(visible),
        filter.watch && visible(filter.watch) ? filter.watch : undefined,
      ),
      /** The deals as this person may see them: the watch ids they may not see taken out. */
      shown: (deals: readonly Deal[]) => deals.map((d) => ({ ...d, watch_ids: d.watch_ids.filter(visible) })),
      version: answer.version,
      asOf: answer.asOf,
      updating: answer.updating,
    };
  }

  app.get("/", async (c) => {
    const list = await listOf(c);
    const { items, page, pages } = pageOf(list.matching, list.filter.page);
    const query = (changes: Record<string, string | number | undefined>) => {
      const params = new URLSearchParams();
      const merged = { date: list.day, ...list.filter, page: page === 1 ? undefined : page, ...changes };
      for (const [k, v] of Object.entries(merged)) {
        if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
      }
      const s = params.toString();
      return s ? `?${s}` : "";
    };
    return c.html(
      <DealsPage
        ctx={ctx}
        day={list.day}
        today={today()}
        filter={list.filter}
        deals={list.shown(items)}
        total={list.matching.length}
        counts={list.counts}
        page={page}
        pages={pages}
        sites={list.sites}
        labels={list.labels}
        watches={list.watches}
        query={query}
        asOf={list.asOf}
        updating={list.updating}
      />,
    );
  });

  watchRoutes(app, { watches: deps.watches, ctx, today, accounts: deps.people !== undefined });

  app.get("/api/deals", async (c) => {
    const list = await listOf(c);
    const { items, page, pages } = pageOf(list.matching, list.filter.page);
    return c.json({
      date: list.day,
      // the data the answer was read from: a newer version is being read while `updating` is true
      data_version: list.version,
      as_of: list.asOf,
      updating: list.updating,
      total: list.matching.length,
      counts: list.counts,
      page,
      pages,
      deals: list.shown(items),
    });
  });

  app.get("/deals.csv", async (c) => {
    const list = await listOf(c);
    return c.body(dealsCsv(list.matching), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="deals-${list.day}.csv"`,
    });
  });

  itemSearchRoutes(app, { ctx, today });
  productRoutes(app, { ctx, today });

  /** One item: its history up to the day, and its verdict that day (from the same list). */
  async function itemOf(c: Context<WebEnv>) {
    const site = c.req.param("site") ?? "";
    const itemId = c.req.param("id") ?? "";
    if (!isSiteCode(site) || !ITEM_ID.test(itemId) || !itemId.startsWith(site)) throw new BadRequest("no such item id");
    const day = readQuery(ItemQuery, c.req.query()).date ?? today();
    const first = addDays(day, -(historyDays - 1));
    const source = c.var.source;
    const [history, deals, alerts] = await Promise.all([
      source.history(site, itemId, first, day),
      source.deals(day),
      source.alerts({ filter: { site, itemId }, first, last: day, limit: 100 }),
    ]);
    return {
      site,
      itemId,
      day,
      points: history.points,
      productId: history.product_id ?? deals.find((d) => d.site === site && d.item_id === itemId)?.product_id ?? null,
      alerts: visibleAlerts(c.var.person, alerts, deps.watches?.list() ?? null),
      deal: deals.find((d) => d.site === site && d.item_id === itemId) ?? null,
    };
  }

  app.get("/items/:site/:id", async (c) => {
    const item = await itemOf(c);
    if (item.points.length === 0 && !item.deal) {
      return c.html(<NotFound ctx={ctx} what={`${item.site} ${item.itemId}`} />, 404);
    }
    return c.html(<ItemPage ctx={ctx} {...item} />);
  });

  app.get("/api/items/:site/:id/history", async (c) => {
    const item = await itemOf(c);
    return c.json({
      site: item.site,
      item_id: item.itemId,
      date: item.day,
      min_price_30d: item.deal?.min_price_30d ?? null,
      verdict: item.deal?.verdict ?? null,
      product_id: item.productId,
      points: item.points,
      alerts: item.alerts,
    });
  });

  /** The watches the filter offers (already only the visible ones), with their names. */
  function watchChoices(found: readonly string[], chosen: string | undefined): Array<{ id: string; name: string }> {
    const names = new Map((deps.watches?.list() ?? []).map((w) => [w.id, w.name]));
    const ids = [...new Set([...found, ...(chosen ? [chosen] : [])])].sort();
    return ids.map((id) => ({ id, name: names.get(id) ?? id }));
  }

  app.notFound((c) => c.html(<NotFound ctx={ctx} what={new URL(c.req.url).pathname} />, 404));
  app.onError((error, c) => errorResponse(error, c, ctx));
  return app;
}
