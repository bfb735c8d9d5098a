/**
 * The watches' API, mounted at /watches by the route (every route needs the token):
 *
 *   GET    /watches           every watch with its status (last run, next run, back-off)
 *   GET    /watches/:id       one watch
 *   PUT    /watches/:id       create (201) or replace (200): {name?, target, period, enabled?}
 *   DELETE /watches/:id       delete it and its run history (200), 404 when unknown
 *   POST   /watches/tick      run every due watch now (Cloud Scheduler calls it every minute)
 *
 * Bad input is a 400 listing one reason per field; a watch that does not fit the deployment's
 * bounds (minimum period, number of watches, the hosts' budget, decided in log order) a 422; a
 * store not read yet, or a request Kafka confirmed too late to count, a 503.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Ticker } from "./ticker.ts";
import type { WatchStore } from "./watch-store.ts";

export interface WatchRoutesDeps {
  store: WatchStore;
  ticker: Ticker;
}

export function watchRoutes(
  deps: WatchRoutesDeps,
  middleware: { auth: MiddlewareHandler; limit: MiddlewareHandler },
): Hono {
  const { store, ticker } = deps;
  const app = new Hono();
  app.use("*", middleware.auth);

  const notReady = (c: Context) =>
    c.json({ error: "the watches are still being read from Kafka; try again shortly" }, 503, { "retry-after": "5" });

  app.get("/", (c) => (store.ready ? c.json({ watches: store.list() }) : notReady(c)));

  app.post("/tick", async (c) => {
    const summary = await ticker.tick();
    return c.json(summary, summary.unavailable ? 503 : 200);
  });

  app.get("/:id", (c) => {
    if (!store.ready) return notReady(c);
    const watch = store.get(c.req.param("id"));
    return watch ? c.json(watch) : c.json({ error: `no watch ${c.req.param("id").slice(0, 64)}` }, 404);
  });

  app.put("/:id", middleware.limit, async (c) => {
    if (!store.ready) return notReady(c);
    if ((c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase() !== "application/json") {
      return c.json({ error: "Content-Type must be application/json" }, 415);
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (error) {
      return c.json({ error: `malformed JSON: ${(error as Error).message}` }, 400);
    }
    const result = await store.put(c.req.param("id"), body);
    if (!result.ok && result.status === 503) return c.json({ error: result.errors[0] }, 503, { "retry-after": "5" });
    if (!result.ok) return c.json({ error: "invalid watch", details: result.errors }, result.status);
    return c.json(store.get(result.watch.id) ?? result.watch, result.created ? 201 : 200);
  });

  app.delete("/:id", async (c) => {
    if (!store.ready) return notReady(c);
    const id = c.req.param("id");
    return (await store.remove(id)) ? c.json({ deleted: id }) : c.json({ error: `no watch ${id.slice(0, 64)}` }, 404);
  });

  return app;
}
