import { test } from "node:test";
import assert from "node:assert/strict";
import { SITE_CODES } from "../../shared/sites.ts";
import { watchHost } from "../../shared/watch/watch-host.ts";
import type { Period, Watch, WatchTarget } from "../../shared/watch/watch.ts";
import { viewUrl } from "../scraper/views.ts";
import { limitProblem, type WatchLimits } from "./watch-limits.ts";

test("watch limits: the host the budget and the back-off count is the host the scraper fetches", () => {
  for (const site of SITE_CODES) {
    const targets: WatchTarget[] = [
      { site, view: "all", pages: 1 },
      { site, view: "lightning", pages: 2 },
      { site, view: "category", category: `${site}1051`, pages: 1 },
      { site, view: "search", query: "caneta azul", pages: 3 },
      { site, view: "search", query: "tv", price_min: 10, price_max: 900, pages: 1 },
      { site, view: "item", item: `${site}1234567890`, pages: 1 },
    ];
    for (const target of targets) assert.equal(watchHost(target), viewUrl(target, 1).hostname, JSON.stringify(target));
  }
  for (
    const item of [
      "https://produto.mercadolivre.com.br/MLB-1234567890-caneta-_JM",
      "https://www.mercadolivre.com.br/caneta-azul/p/MLB22246671",
    ]
  ) {
    const target: WatchTarget = { site: "MLB", view: "item", item, pages: 1 };
    assert.equal(watchHost(target), viewUrl(target, 1).hostname, item);
  }
});

const LIMITS: WatchLimits = { sites: ["MLB"], maxPages: 5, maxWatches: 3, minPeriodMs: 5 * 60_000, pagesPerHour: 30 };
const NOW = Date.parse("2026-07-04T12:00:00Z"); // July: January's every minute is months away

const candidate = (period: Period, pages = 2) => ({
  id: "new",
  target: { site: "MLB" as const, view: "search" as const, query: "x", pages },
  period,
  enabled: true,
});

test("watch limits: each schedule form through the minimum period and the budget", () => {
  const table: Array<[Period, number, RegExp | null]> = [
    [{ every: "1m" }, 1, /runs every 1m at its shortest; the shortest allowed is 5m/],
    [{ cron: "* * * 1 *" }, 1, /runs every 1m at its shortest/],
    [{ cron: "*/2 * * * *" }, 1, /runs every 2m/],
    [{ cron: "*/30 * * * * *" }, 1, /runs every 30s/],
    [{ cron: "*/5 * * * *" }, 2, null], // 2 pages × 12 runs = 24 of 30
    [{ cron: "*/5 * * * *" }, 3, /may fetch 36 pages an hour/],
    [{ cron: "*/5 9 * * 1-5" }, 3, /may fetch 36 pages an hour/], // weekday mornings: still 12 in that hour
    [{ every: "5m" }, 3, /may fetch 36 pages an hour/],
    [{ cron: "0 9 * * 1-5" }, 5, null],
    [{ cron: "0 0 29 2 *" }, 5, null],
  ];
  for (const [period, pages, expected] of table) {
    const problem = limitProblem(candidate(period, pages), [], LIMITS, NOW);
    if (expected === null) assert.equal(problem, null, JSON.stringify(period));
    else assert.match(problem ?? "", expected, JSON.stringify(period));
  }
  // New York's clocks go back at 02:00: 01:50, then 01:00 again ten minutes later
  const halfHour = { ...LIMITS, minPeriodMs: 30 * 60_000 };
  const newYork = { cron: "0,50 1 * * *", time_zone: "America/New_York" };
  assert.match(limitProblem(candidate(newYork), [], halfHour, NOW)!, /runs every 10m at its shortest/);
  assert.equal(limitProblem(candidate({ cron: "0,50 1 * * *" }), [], halfHour, NOW), null, "in UTC: 50m");
});

test("watch limits: the others on the host count, a watch it replaces does not, and the number of watches", () => {
  const other = (id: string, period: Period): Watch => ({
    id,
    name: id,
    target: { site: "MLB", view: "search", query: id, pages: 1 },
    period,
    enabled: true,
    created_at: "2026-07-01T00:00:00.000Z",
    updated_at: "2026-07-01T00:00:00.000Z",
  });
  const hourly = other("a", { cron: "*/6 * * * *" }); // 10 pages an hour
  assert.match(
    limitProblem(candidate({ every: "5m" }), [hourly], LIMITS, NOW)!,
    /may fetch 24 .* already may fetch 10/,
  );
  assert.equal(limitProblem(candidate({ every: "10m" }), [hourly], LIMITS, NOW), null);
  assert.equal(limitProblem({ ...candidate({ every: "5m" }), id: "a" }, [hourly], LIMITS, NOW), null, "replaces a");
  const deals = { ...other("d", { every: "5m" }), target: { site: "MLB" as const, view: "all" as const, pages: 5 } };
  assert.equal(limitProblem(candidate({ every: "5m" }), [deals], LIMITS, NOW), null, "another host's budget");
  const three = [hourly, deals, other("c", { every: "1d" })];
  assert.match(limitProblem(candidate({ every: "1d" }), three, LIMITS, NOW)!, /already 3 watches/);
});
