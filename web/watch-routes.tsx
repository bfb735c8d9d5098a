/**
 * The watches' routes: `/watches` and `/api/watches` (each watch with its last and next run and
 * the week's alerts), `/alerts.atom` (every alert) and `/watches/:id/alerts.atom`. Until the
 * view has read the watches from Kafka it does not pretend there are none: the lists answer 503
 * with Retry-After, and so does the feed of a watch it cannot tell from an unknown one yet.
 */
import type { Context, Hono } from "hono";
import { WATCH_ID_PATTERN } from "../shared/contract/fields.ts";
import { addDays } from "../shared/sql-templates.ts";
import type { AlertView } from "./alerts.ts";
import { alertsFeed } from "./alerts-feed.ts";
import type { WebEnv } from "./app.tsx";
import type { WatchSource, WatchView } from "./watch-source.ts";
import { WatchesPage } from "./views/watches-page.tsx";
import type { PageContext } from "./views/layout.tsx";
import { HTTPException } from "hono/http-exception";
import { canSee, visibleAlerts } from "./accounts/ownership.ts";
import { BadRequest, NotReady, WATCHES_NOT_READ, WATCHES_RETRY_SECONDS } from "./web-errors.tsx";

const ATOM = { "content-type": "application/atom+xml; charset=utf-8" };

export function watchRoutes(
  app: Hono<WebEnv>,
  deps: { watches?: WatchSource; ctx: PageContext; today: () => string; accounts?: boolean },
) {
  const { ctx, today } = deps;
  /**
   * The watches this request may see (web/accounts/ownership.ts: the operator's, one's own,
   * every one for an admin); none without a source of them; null while they are still being read.
   */
  const watchList = (c: Context<WebEnv>): WatchView[] | null => {
    const all = deps.watches ? deps.watches.list() : [];
    return all === null ? null : all.filter((w) => canSee(c.var.person, w));
  };

  /** The last week's alerts of every watch, newest first (one query for the whole page). */
  async function recentAlertsByWatch(c: Context<WebEnv>): Promise<Map<string, AlertView[]>> {
    const alerts = await c.var.source.alerts({
      filter: { any: true },
      first: addDays(today(), -6),
      last: today(),
      limit: 500,
    });
    const byWatch = new Map<string, AlertView[]>();
    for (const a of visibleAlerts(c.var.person, alerts, deps.watches?.list() ?? null)) {
      if (a.watch_id) byWatch.set(a.watch_id, [...(byWatch.get(a.watch_id) ?? []), a]);
    }
    return byWatch;
  }

  app.get("/watches", async (c) => {
    const watches = watchList(c);
    const person = c.var.person;
    const manage = { accounts: deps.accounts === true, person };
    if (watches === null) {
      return c.html(<WatchesPage ctx={ctx} watches={null} today={today()} alerts={new Map()} {...manage} />, 503, {
        "retry-after": String(WATCHES_RETRY_SECONDS),
      });
    }
    const alerts = await recentAlertsByWatch(c);
    return c.html(<WatchesPage ctx={ctx} watches={watches} today={today()} alerts={alerts} {...manage} />);
  });

  app.get("/api/watches", async (c) => {
    const watches = watchList(c);
    if (watches === null) throw new NotReady(WATCHES_NOT_READ);
    const alerts = await recentAlertsByWatch(c);
    return c.json({ watches: watches.map((w) => ({ ...w, recent_alerts: alerts.get(w.id) ?? [] })) });
  });

  app.get("/alerts.atom", async (c) => {
    const alerts = await c.var.source.alerts({
      filter: { any: true },
      first: addDays(today(), -29),
      last: today(),
      limit: 100,
    });
    // the public feed: people's watches' alerts are theirs (their private feed)
    const shown = visibleAlerts(null, alerts, deps.watches?.list() ?? null);
    return c.body(
      alertsFeed({ id: "all", name: "every alert" }, shown, new URL(c.req.url).origin, "/alerts.atom"),
      200,
      ATOM,
    );
  });

  app.get("/watches/:id/alerts.atom", async (c) => {
    const id = c.req.param("id");
    if (!WATCH_ID_PATTERN.test(id)) throw new BadRequest("no such watch id");
    const all = deps.watches ? deps.watches.list() : [];
    if (all === null) throw new NotReady(WATCHES_NOT_READ);
    const watch = all.find((w) => w.id === id);
    // a person's watch has no public feed (their private feed carries it), and a deleted watch
    // has none either: both answered as a watch that never was
    if (!watch || !canSee(null, watch)) throw new HTTPException(404, { message: "no such watch" });
    const alerts = await c.var.source.alerts({
      filter: { watchId: id },
      first: addDays(today(), -29),
      last: today(),
      limit: 50,
    });
    return c.body(alertsFeed(watch, alerts, new URL(c.req.url).origin), 200, ATOM);
  });
}
