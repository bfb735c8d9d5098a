/**
 * The deals web view as a Hono app (server-rendered; every page works without script):
 *   GET /                          a day's offers ranked by real discount, with verdicts
 *   GET /items?q=, /api/items      items found by words of their titles over the last 30 days
 *   GET /items/:site/:id           one item's price history (chart + table)
 *   GET /api/deals, /deals.csv     the same list as JSON and CSV
 *   GET /api/items/:site/:id/history
 *   GET /watches, /api/watches     the watches: what each follows, its last and next run, its alerts
 *   GET /watches/:id/alerts.atom   a watch's alerts as an Atom feed; /alerts.atom every alert
 * Read-only; every scraped string is escaped by JSX, and a strict Content-Security-Policy
 * allows no script at all and images only from Mercado Libre's image hosts.
 */
import { type Context, Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { readFileSync } from "node:fs";
import { isSiteCode } from "../shared/sites.ts";
import { WATCH_ID_PATTERN } from "../shared/contract/fields.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../reports/sql-templates.ts";
import { dayListOf, dealsCsv, type DealsFilter, filterDeals, pageOf, type Verdict, VERDICTS } from "./deals.ts";
import { dealsAnswer, type DealsSource } from "./source.ts";
import { DealsPage } from "./views/deals-page.tsx";
import { ItemPage } from "./views/item-page.tsx";
import { WatchesPage } from "./views/watches-page.tsx";
import type { WatchSource } from "./watch-source.ts";
import type { AlertView } from "./alerts.ts";
import { alertsFeed } from "./alerts-feed.ts";
import { itemSearchRoutes } from "./item-search-routes.tsx";
import { WEB_API, WEB_OPERATIONS } from "./api-doc.ts";
import { openApiDocument } from "../shared/openapi/openapi.ts";
import { referencePage } from "../shared/openapi/reference-page.ts";
import { Layout, type PageContext } from "./views/layout.tsx";

export interface WebDeps {
  source: DealsSource;
  /** The watches (read from their topics); absent: the page says there are none to show. */
  watches?: WatchSource;
  demo: boolean;
  /** Days of history on an item page. */
  historyDays?: number;
  /** Today in São Paulo (tests pin it). */
  today?: () => string;
}

const STYLE = readFileSync(new URL("./style.css", import.meta.url), "utf8");
const ITEM_ID = /^[A-Z]{3}\d{5,15}$/;

class BadRequest extends Error {}

export function createWebApp(deps: WebDeps): Hono {
  const today = deps.today ?? (() => offerDate(new Date().toISOString()));
  const historyDays = deps.historyDays ?? 90;
  const ctx: PageContext = {
    demo: deps.demo,
    source: deps.source.kind === "bigquery" ? "BigQuery" : "the local warehouse",
  };
  const app = new Hono();

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
  async function listOf(c: Context) {
    const day = dayOf(c.req.query("date"), today());
    const filter = filterOf(c);
    const answer = await dealsAnswer(deps.source, day);
    const list = dayListOf(answer.value);
    const matching = filterDeals(list, filter);
    const counts: Record<string, number> = {};
    for (const d of matching) counts[d.verdict] = (counts[d.verdict] ?? 0) + 1;
    return {
      day,
      filter,
      matching,
      counts,
      sites: list.sites,
      labels: list.labels,
      watches: watchChoices(list.watches, filter.watch),
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
        deals={items}
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

  /** The last week's alerts of every watch, newest first (one query for the whole page). */
  async function recentAlertsByWatch(): Promise<Map<string, AlertView[]>> {
    const alerts = await deps.source.alerts({
      filter: { any: true },
      first: addDays(today(), -6),
      last: today(),
      limit: 500,
    });
    const byWatch = new Map<string, AlertView[]>();
    for (const a of alerts) if (a.watch_id) byWatch.set(a.watch_id, [...(byWatch.get(a.watch_id) ?? []), a]);
    return byWatch;
  }

  app.get("/watches", async (c) => {
    const watches = deps.watches?.list() ?? [];
    const alerts = watches === null ? new Map() : await recentAlertsByWatch();
    return c.html(
      <WatchesPage ctx={ctx} watches={watches} today={today()} alerts={alerts} />,
      watches === null ? 503 : 200,
    );
  });

  app.get("/api/watches", async (c) => {
    const watches = deps.watches?.list() ?? [];
    if (watches === null) return c.json({ error: "the watches are still being read from Kafka" }, 503);
    const alerts = await recentAlertsByWatch();
    return c.json({ watches: watches.map((w) => ({ ...w, recent_alerts: alerts.get(w.id) ?? [] })) });
  });

  app.get("/alerts.atom", async (c) => {
    const alerts = await deps.source.alerts({
      filter: { any: true },
      first: addDays(today(), -29),
      last: today(),
      limit: 100,
    });
    return c.body(
      alertsFeed({ id: "all", name: "every alert" }, alerts, new URL(c.req.url).origin, "/alerts.atom"),
      200,
      {
        "content-type": "application/atom+xml; charset=utf-8",
      },
    );
  });

  app.get("/watches/:id/alerts.atom", async (c) => {
    const id = c.req.param("id");
    if (!WATCH_ID_PATTERN.test(id)) throw new BadRequest("no such watch id");
    const watch = deps.watches?.list()?.find((w) => w.id === id) ?? { id, name: id };
    const alerts = await deps.source.alerts({
      filter: { watchId: id },
      first: addDays(today(), -29),
      last: today(),
      limit: 50,
    });
    return c.body(alertsFeed(watch, alerts, new URL(c.req.url).origin), 200, {
      "content-type": "application/atom+xml; charset=utf-8",
    });
  });

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
      deals: items,
    });
  });

  app.get("/deals.csv", async (c) => {
    const list = await listOf(c);
    return c.body(dealsCsv(list.matching), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="deals-${list.day}.csv"`,
    });
  });

  itemSearchRoutes(app, { source: deps.source, ctx, today });

  /** One item: its history up to the day, and its verdict that day (from the same list). */
  async function itemOf(c: Context) {
    const site = c.req.param("site") ?? "";
    const itemId = c.req.param("id") ?? "";
    if (!isSiteCode(site) || !ITEM_ID.test(itemId) || !itemId.startsWith(site)) throw new BadRequest("no such item id");
    const day = dayOf(c.req.query("date"), today());
    const first = addDays(day, -(historyDays - 1));
    const [history, deals, alerts] = await Promise.all([
      deps.source.history(site, itemId, first, day),
      deps.source.deals(day),
      deps.source.alerts({ filter: { site, itemId }, first, last: day, limit: 100 }),
    ]);
    return {
      site,
      itemId,
      day,
      points: history.points,
      alerts,
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
      points: item.points,
      alerts: item.alerts,
    });
  });

  /** The watches the filter offers: those that found the day's offers (the chosen one too), with their names. */
  function watchChoices(found: readonly string[], chosen: string | undefined): Array<{ id: string; name: string }> {
    const names = new Map((deps.watches?.list() ?? []).map((w) => [w.id, w.name]));
    const ids = [...new Set([...found, ...(chosen ? [chosen] : [])])].sort();
    return ids.map((id) => ({ id, name: names.get(id) ?? id }));
  }

  app.notFound((c) => c.html(<NotFound ctx={ctx} what={new URL(c.req.url).pathname} />, 404));
  app.onError((error, c) => {
    if (error instanceof BadRequest) return c.html(<Problem ctx={ctx} message={error.message} />, 400);
    console.error(
      JSON.stringify({ ts: new Date().toISOString(), level: "error", event: "web_error", message: error.message }),
    );
    return c.html(
      <Problem ctx={ctx} message="The warehouse could not be read just now; try again in a moment." />,
      503,
    );
  });
  return app;
}

function dayOf(value: string | undefined, fallback: string): string {
  if (value === undefined || value === "") return fallback;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new BadRequest("date must be a day like 2026-06-16");
  }
  return value;
}

function filterOf(c: Context): DealsFilter {
  const site = c.req.query("site") || undefined;
  const verdict = c.req.query("verdict") || undefined;
  const label = c.req.query("label") || undefined;
  const q = c.req.query("q") || undefined;
  const watch = c.req.query("watch") || undefined;
  if (watch !== undefined && !WATCH_ID_PATTERN.test(watch)) throw new BadRequest("unknown watch");
  const page = Number(c.req.query("page") ?? "1");
  if (site !== undefined && !isSiteCode(site)) throw new BadRequest("unknown site");
  if (verdict !== undefined && !(VERDICTS as readonly string[]).includes(verdict)) {
    throw new BadRequest("unknown verdict");
  }
  if ((label?.length ?? 0) > 100 || (q?.length ?? 0) > 200) throw new BadRequest("filter too long");
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw new BadRequest("page must be a whole number from 1");
  return { site, verdict: verdict as Verdict | undefined, label, q, watch, page };
}

function NotFound(p: { ctx: PageContext; what: string }) {
  return (
    <Layout title="Not found" ctx={p.ctx}>
      <h1>Not found</h1>
      <p>Nothing here: {p.what}</p>
      <p>
        <a href="/">The deals of today</a>
      </p>
    </Layout>
  );
}

function Problem(p: { ctx: PageContext; message: string }) {
  return (
    <Layout title="Problem" ctx={p.ctx}>
      <h1>Sorry</h1>
      <p>{p.message}</p>
      <p>
        <a href="/">The deals of today</a>
      </p>
    </Layout>
  );
}
