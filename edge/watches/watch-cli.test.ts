import { test } from "node:test";
import { memoryWatchStore } from "../../test/watch-processes.ts";
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { MemoryProducer } from "../memory-producer.ts";
import { createRouteMetrics } from "../route-metrics.ts";
import { ScrapeService } from "../scrape-service.ts";
import { Ticker } from "./ticker.ts";
import { idFrom, runWatchCli, watchFromArgs } from "./watch-cli.ts";

test("watch cli: flags become a watch; an id is made from what it follows", () => {
  assert.deepEqual(watchFromArgs(["--search", "iPhone 15 Pro", "--every", "30m", "--pages", "2"]), {
    id: "iphone-15-pro",
    body: {
      target: { site: "MLB", view: "search", query: "iPhone 15 Pro", pages: 2 },
      period: { every: "30m" },
      enabled: true,
    },
  });
  assert.deepEqual(
    watchFromArgs([
      "drill",
      "--item",
      "https://produto.mercadolivre.com.br/MLB-1234567890-x-_JM",
      "--cron",
      "0 9 * * *",
      "--tz",
      "America/Sao_Paulo",
    ]).body.period,
    { cron: "0 9 * * *", time_zone: "America/Sao_Paulo" },
  );
  assert.equal(
    watchFromArgs(["--item", "https://produto.mercadolivre.com.br/MLB-1234567890-x-_JM"]).id,
    "mlb1234567890",
  );
  assert.deepEqual(watchFromArgs(["--deals", "--site", "MLA"]).body.target, { site: "MLA", view: "all" });
  assert.deepEqual(watchFromArgs(["--deals", "lightning"]).body.target, { site: "MLB", view: "lightning" });
  assert.equal(idFrom("Caneta Esferográfica Azul"), "caneta-esferografica-azul");
  assert.deepEqual(
    watchFromArgs([
      "--search",
      "x",
      "--alert",
      "below:4000",
      "--alert",
      "real_deal:20",
      "--first-run",
      "silent",
      "--channel",
      "me",
    ]).body.alerts,
    {
      rules: [{ kind: "below", price: 4000 }, { kind: "real_deal", min_real_discount_pct: 20 }],
      first_run: "silent",
      channels: ["me"],
    },
  );
  assert.throws(() => watchFromArgs(["--search", "x", "--alert", "cheap"]), /kind:number/);
  assert.throws(() => watchFromArgs(["--search", "x", "--alert", "cheap:3"]), /unknown alert cheap/);
  assert.throws(() => watchFromArgs(["--every", "1h"]), /exactly one of --search/);
  assert.throws(() => watchFromArgs(["--search", "x", "--every", "1h", "--cron", "* * * * *"]), /not both/);
  assert.throws(() => watchFromArgs(["--search", "x", "--pages", "two"]), /whole number/);
  assert.throws(() => watchFromArgs(["--search"]), /needs a value/);
});

test("watch cli: add, list and rm against the route's API; errors are the route's own words", async () => {
  const store = memoryWatchStore();
  await store.start();
  const producer = new MemoryProducer();
  const metrics = createRouteMetrics();
  const scrape = () => Promise.resolve({ pagesFetched: 0, offers: [], invalid: [], errors: [] });
  const service = new ScrapeService({ producer, metrics, scrape, maxConcurrent: 1, maxQueued: 1 });
  const ticker = new Ticker(store, service, { timeoutMs: 1000, backoff: { baseMs: 1, maxMs: 1 }, pagesPerHour: 100 });
  const app = createApp({
    producer,
    metrics,
    scrape,
    service,
    watches: { store, ticker },
    config: { token: "cli-token-0123456789abcd", maxBodyBytes: 4096, sites: ["MLB"], maxPages: 5 },
  });
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runWatchCli(args, {
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      env: { OFERTAS_TOKEN: "cli-token-0123456789abcd", OFERTAS_ROUTE_URL: "http://route" },
      fetch: async (input, init) => await app.fetch(new Request(input, init)),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const added = await run("add", "--search", "playstation 5 slim", "--every", "15m");
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, /^playstation-5-slim\tMLB search "playstation 5 slim", every 15m\tnot run yet\tnext /);
  const listed = await run("list");
  assert.equal(listed.code, 0);
  assert.equal(listed.out.split("\n").length, 1);
  const bad = await run("add", "x", "--search", "a/b", "--every", "1m");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /error 400: invalid watch\n {2}target.query may hold only letters/);
  assert.equal((await run("rm", "playstation-5-slim")).code, 0);
  assert.equal((await run("rm", "playstation-5-slim")).code, 1);
  assert.equal((await run("frobnicate")).code, 2);
  const unreachable = await runWatchCli(["list"], {
    stdout: () => {},
    stderr: (l) => assert.match(l, /cannot reach the route at http:\/\/127\.0\.0\.1:1 \(is `npm start` running\?\)/),
    env: { PORT: "1" },
    fetch: () => Promise.reject(new Error("ECONNREFUSED")),
  });
  assert.equal(unreachable, 1);
});

test("watch add --item with a URL of another site takes the site from the URL", () => {
  const { body } = watchFromArgs(["--item", "https://articulo.mercadolibre.com.co/MCO-1234567890-cafetera-_JM"]);
  assert.equal((body.target as { site: string }).site, "MCO");
  assert.throws(() => watchFromArgs(["--item", "https://www.amazon.com/dp/B0"]), /not Mercado Livre/);
});

test("watch cli: --product makes a product watch (the product's page); stock alerts take no number; --seller filters every rule", () => {
  const { id, body } = watchFromArgs([
    "--product",
    "MLB22246671",
    "--alert",
    "below:4000",
    "--alert",
    "out_of_stock",
    "--alert",
    "back_in_stock",
    "--seller",
    "official,green,gold",
  ]);
  assert.equal(id, "mlb22246671");
  assert.deepEqual(body.target, { site: "MLB", view: "item", item: "https://www.mercadolivre.com.br/p/MLB22246671" });
  const seller = { official_store: true, min_reputation: "green", min_power_seller: "gold" };
  assert.deepEqual((body.alerts as { rules: unknown[] }).rules, [
    { kind: "below", price: 4000, seller },
    { kind: "out_of_stock", seller },
    { kind: "back_in_stock", seller },
  ]);
  assert.throws(() => watchFromArgs(["--product", "MLA1", "--site", "MLB"]), /--product: a product id of site MLB/);
  assert.throws(() => watchFromArgs(["--product", "MLB22246671", "--alert", "below", "--seller", "blue"]), /--alert/);
  assert.throws(
    () => watchFromArgs(["--product", "MLB22246671", "--alert", "out_of_stock", "--seller", "blue"]),
    /--seller takes official/,
  );
});
