/**
 * Accounts in the web view, mounted before the deals' routes: the request's context kept for the
 * page header (hono/context-storage), who is signed in (session.ts), the Origin check on every
 * POST, the sign-in gate when OFERTAS_WEB_SIGN_IN=required, then each family of routes
 * (account-routes, watch-form-routes, channel-routes, mute-routes) and the private feed
 * (`/feeds/<token>.atom`: an unguessable, revocable token, as camelcamelcamel's personal feed).
 */
import { contextStorage } from "hono/context-storage";
import { HTTPException } from "hono/http-exception";
import { addDays } from "../../shared/sql-templates.ts";
import { alertsFeed } from "../alerts-feed.ts";
import { accountRoutes } from "./account-routes.tsx";
import { channelRoutes } from "./channel-routes.tsx";
import { muteRoutes } from "./mute-routes.tsx";
import type { PeopleApp, PeopleDeps } from "./people-deps.ts";
import { originCheck, sessionMiddleware } from "./session.ts";
import { watchFormRoutes } from "./watch-form-routes.tsx";

/** Paths open without a sign-in when the view requires one. */
const OPEN = /^\/(login|invite\/|mute|feeds\/|healthz|static\/|openapi\.json$)/;

export function peopleRoutes(app: PeopleApp, deps: PeopleDeps, today: () => string) {
  app.use("*", contextStorage());
  app.use("*", async (c, next) => {
    c.set("accountsOn", true);
    await next();
  });
  app.use("*", sessionMiddleware(deps.accounts));
  app.use("*", originCheck(deps.settings.publicUrl));
  if (deps.settings.signIn === "required") {
    app.use("*", async (c, next) => {
      if (!c.get("person") && !OPEN.test(new URL(c.req.url).pathname)) {
        const path = new URL(c.req.url).pathname;
        if (path.startsWith("/api/") || path.endsWith(".atom") || path.endsWith(".csv")) {
          throw new HTTPException(401, { message: "sign in first" });
        }
        return c.redirect(`/login?next=${encodeURIComponent(path)}`, 303);
      }
      await next();
    });
  }
  accountRoutes(app, deps);
  watchFormRoutes(app, deps);
  channelRoutes(app, deps);
  muteRoutes(app, deps);

  app.get("/feeds/:file", async (c) => {
    const file = c.req.param("file");
    const account = file.endsWith(".atom") ? await deps.accounts.feedAccount(file.slice(0, -5)) : null;
    if (!account) throw new HTTPException(404, { message: "no such feed" });
    const mine = new Set(
      deps.watches.ready ? deps.watches.list().filter((w) => w.owner === account.id).map((w) => w.id) : [],
    );
    // one cached question for every feed (the month's alerts), then this person's watches only
    const alerts = await c.var.source.alerts({
      filter: { any: true },
      first: addDays(today(), -29),
      last: today(),
      limit: 500,
    });
    const theirs = alerts.filter((a) => a.watch_id !== null && mine.has(a.watch_id)).slice(0, 100);
    return c.body(
      alertsFeed(
        { id: `person-${account.id}`, name: `${account.login}'s alerts` },
        theirs,
        new URL(c.req.url).origin,
        "/feeds/…",
      ),
      200,
      { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "private, no-store" },
    );
  });
}
