/**
 * `edge/cli.ts watch …`: the watches' API from a terminal (it calls the route, like curl would):
 *
 *   watch add [id] --search "iphone 15" [--site MLB] [--pages 2] [--price-min 100 --price-max 5000]
 *   watch add [id] --item MLB1234567890|<product URL>   (a product URL, or --product MLB22246671: a product watch)
 *   watch add [id] --deals [all|deal_of_the_day|lightning] | --category MLB1051
 *        … [--every 15m | --cron "0 9 * * *" [--tz America/Sao_Paulo]] [--name "…"] [--disabled]
 *        … [--alert below:4000 --alert real_deal:20 --alert out_of_stock …] [--seller official,green]
 *        … [--first-run alert|silent] [--channel name …]
 *   watch list            every watch, its last run and its next run
 *   watch rm <id>
 *   watch tick            run every due watch now
 *
 * The route is OFERTAS_ROUTE_URL (default http://127.0.0.1:$PORT, 8080) and the token
 * OFERTAS_TOKEN. Without an id, `add` names the watch after what it follows ("iphone-15").
 */
import { recognise } from "./page-url.ts";
import { type Env, optionalTextSetting, settingsGroup } from "../../shared/settings.ts";
import type { WatchStatus } from "../../shared/watch/watch-book.ts";
import { describePeriod, describeTarget, type Watch } from "../../shared/watch/watch.ts";
import { productPageUrl } from "../../shared/watch/watch-product.ts";
import { ROUTE_SETTINGS } from "../route-config.ts";

export const CLI_SETTINGS = settingsGroup(
  "Command line",
  "`edge/cli.ts watch …`, which calls the route's API; it also reads `PORT` and `OFERTAS_TOKEN` as the route does.",
  {
    routeUrl: optionalTextSetting(
      "OFERTAS_ROUTE_URL",
      "the route to call (default `http://127.0.0.1:$PORT`)",
      (u) => (/^https?:\/\/[^/]+/.test(u) ? null : `must be an http(s) URL, got "${u}"`),
    ),
  },
);

export interface WatchCliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Env;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
}

export const WATCH_USAGE = [
  'usage: edge/cli.ts watch add [id] (--search "words" | --item MLB123… | --product MLB222… | --deals [view] | --category MLB1051)',
  "                 [--site MLB] [--pages N] [--price-min N --price-max N]",
  '                 [--every 15m | --cron "0 9 * * *" [--tz America/Sao_Paulo]] [--name "…"] [--disabled]',
  "                 [--alert below:4000|real_deal:20|new_low:30|drop:10|out_of_stock|back_in_stock …]",
  "                 [--seller official,green,gold] [--first-run alert|silent] [--channel name …]",
  "       edge/cli.ts watch list | rm <id> | tick",
].join("\n");

class UsageError extends Error {}

const FLAGS_WITH_VALUE = new Set([
  "--search",
  "--item",
  "--product",
  "--seller",
  "--category",
  "--site",
  "--pages",
  "--price-min",
  "--price-max",
  "--every",
  "--cron",
  "--tz",
  "--name",
  "--first-run",
]);

function parseFlags(
  args: string[],
): { positional: string[]; flags: Map<string, string>; alerts: string[]; channels: string[] } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const alerts: string[] = [];
  const channels: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    if (arg === "--alert" || arg === "--channel") {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      (arg === "--alert" ? alerts : channels).push(value);
      continue;
    }
    if (arg === "--deals") {
      const next = args[i + 1];
      flags.set(arg, next && !next.startsWith("--") && ++i ? next : "all");
    } else if (arg === "--disabled") flags.set(arg, "true");
    else if (FLAGS_WITH_VALUE.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(arg, value);
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return { positional, flags, alerts, channels };
}

/** `below:4000`, `real_deal:20`, `new_low:30`, `drop:10`, `out_of_stock`, `back_in_stock`: a rule of the watch. */
export function ruleFromArg(arg: string): Record<string, unknown> {
  const [kind, value] = arg.split(":");
  if ((kind === "out_of_stock" || kind === "back_in_stock") && value === undefined) return { kind };
  const n = Number(value);
  if (value === undefined || value === "" || !Number.isFinite(n)) {
    throw new UsageError(
      `--alert takes kind:number, like below:4000, real_deal:20, new_low:30 or drop:10 (got ${arg})`,
    );
  }
  switch (kind) {
    case "below":
      return { kind, price: n };
    case "real_deal":
      return { kind, min_real_discount_pct: n };
    case "new_low":
      return { kind, days: n };
    case "drop":
      return { kind, min_drop_pct: n };
    default:
      throw new UsageError(`unknown alert ${kind}: below, real_deal, new_low, drop, out_of_stock or back_in_stock`);
  }
}

const COLOURS = ["red", "orange", "yellow", "light_green", "green"];
const LEADERS: Record<string, string> = {
  mercadolider: "silver",
  silver: "silver",
  gold: "gold",
  platinum: "platinum",
};

/** `official,green,gold`: which sellers the rules count (an official store, a reputation, a MercadoLíder level at least). */
export function sellerFromArg(arg: string): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const word of arg.toLowerCase().split(",").map((w) => w.trim()).filter(Boolean)) {
    if (word === "official") filter.official_store = true;
    else if (COLOURS.includes(word)) filter.min_reputation = word;
    else if (word in LEADERS) filter.min_power_seller = LEADERS[word];
    else {
      throw new UsageError(
        `--seller takes official, a reputation (${
          COLOURS.join(", ")
        }) and a MercadoLíder level (mercadolider, gold, platinum), got ${word}`,
      );
    }
  }
  return filter;
}

const wholeNumber = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number`);
  return Number(value);
};

/** The watch `add` sends, and its id. */
export function watchFromArgs(args: string[]): { id: string; body: Record<string, unknown> } {
  const { positional, flags, alerts, channels } = parseFlags(args);
  const targets = ["--search", "--item", "--product", "--deals", "--category"].filter((f) => flags.has(f));
  if (targets.length !== 1) {
    throw new UsageError("give exactly one of --search, --item, --product, --deals, --category");
  }
  // a pasted URL says which site it is (edge/watches/page-url.ts): --site is then not needed
  const pasted = flags.get("--item");
  const fromUrl = pasted && /^https?:\/\//.test(pasted) ? recognise(pasted, "MLB") : null;
  if (fromUrl && !fromUrl.ok) throw new UsageError(`--item: ${fromUrl.reason}`);
  const site = flags.get("--site") ?? (fromUrl?.ok ? fromUrl.site : "MLB");
  const target: Record<string, unknown> = { site };
  const pages = wholeNumber("--pages", flags.get("--pages"));
  if (flags.has("--search")) Object.assign(target, { view: "search", query: flags.get("--search") });
  if (flags.has("--item")) Object.assign(target, { view: "item", item: flags.get("--item") });
  if (flags.has("--product")) {
    // a product watch: the product's page, whose rules judge the product across its sellers
    try {
      Object.assign(target, { view: "item", item: productPageUrl(site, flags.get("--product")!) });
    } catch (error) {
      throw new UsageError(`--product: ${(error as Error).message}`);
    }
  }
  if (flags.has("--deals")) Object.assign(target, { view: flags.get("--deals") });
  if (flags.has("--category")) Object.assign(target, { view: "category", category: flags.get("--category") });
  if (pages !== undefined) target.pages = pages;
  const priceMin = wholeNumber("--price-min", flags.get("--price-min"));
  const priceMax = wholeNumber("--price-max", flags.get("--price-max"));
  if (priceMin !== undefined) target.price_min = priceMin;
  if (priceMax !== undefined) target.price_max = priceMax;
  if (flags.has("--every") && flags.has("--cron")) throw new UsageError("give --every or --cron, not both");
  const period = flags.has("--cron")
    ? { cron: flags.get("--cron"), ...(flags.has("--tz") ? { time_zone: flags.get("--tz") } : {}) }
    : { every: flags.get("--every") ?? "1h" };
  const body: Record<string, unknown> = { target, period, enabled: !flags.has("--disabled") };
  if (flags.has("--name")) body.name = flags.get("--name");
  if (alerts.length) {
    body.alerts = {
      rules: alerts.map(ruleFromArg).map((rule) =>
        flags.has("--seller") ? { ...rule, seller: sellerFromArg(flags.get("--seller")!) } : rule
      ),
      ...(flags.has("--first-run") ? { first_run: flags.get("--first-run") } : {}),
      ...(channels.length ? { channels } : {}),
    };
  }
  if (positional.length > 1) throw new UsageError(`one id at most, got ${positional.join(" ")}`);
  const named = String(
    flags.get("--product") ?? target.query ?? target.item ?? target.category ?? `${site}-${target.view}`,
  );
  const id = positional[0] ?? idFrom(named);
  return { id, body };
}

/** "iPhone 15 Pro!" → "iphone-15-pro"; a URL → its item id. */
export function idFrom(text: string): string {
  const itemId = /[A-Z]{3}-?\d{5,15}/.exec(text)?.[0]?.replace("-", "");
  const base = (itemId ?? text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  return base.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64).replace(/-+$/, "") || "watch";
}

type WatchView = Watch & { status: WatchStatus };

/** One line per watch: what, how often, the last run and the next. */
export function describeWatch(w: WatchView): string {
  const last = w.status.last_run;
  const lastText = last ? `last ${last.finished_at} ${last.outcome}, ${last.produced} offers` : "not run yet";
  const next = !w.enabled
    ? "disabled"
    : w.status.running
    ? "running now"
    : w.status.backoff_until
    ? `backing off until ${w.status.backoff_until}`
    : `next ${w.status.next_run ?? "never"}`;
  return `${w.id}\t${describeTarget(w.target)}, ${describePeriod(w.period)}\t${lastText}\t${next}`;
}

export async function runWatchCli(args: string[], io: WatchCliIo): Promise<number> {
  let base: string;
  let token: string | null;
  try {
    const port = ROUTE_SETTINGS.settings.port.read(io.env);
    base = (CLI_SETTINGS.read(io.env).routeUrl ?? `http://127.0.0.1:${port}`).replace(/\/$/, "");
    token = ROUTE_SETTINGS.settings.token.read(io.env);
  } catch (error) {
    io.stderr((error as Error).message);
    return 2;
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await io.fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(`cannot reach the route at ${base} (is \`npm start\` running?): ${(error as Error).message}`);
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { error: text.slice(0, 200) };
    }
    return { status: res.status, json };
  };
  const failed = (r: { status: number; json: Record<string, unknown> }) => {
    io.stderr(`error ${r.status}: ${r.json.error ?? "request failed"}`);
    for (const d of (r.json.details as string[] | undefined) ?? []) io.stderr(`  ${d}`);
    return 1;
  };
  try {
    const [command, ...rest] = args;
    switch (command) {
      case "add": {
        const { id, body } = watchFromArgs(rest);
        const r = await call("PUT", `/watches/${encodeURIComponent(id)}`, body);
        if (r.status !== 200 && r.status !== 201) return failed(r);
        io.stdout(describeWatch(r.json as unknown as WatchView));
        io.stderr(`${r.status === 201 ? "created" : "replaced"} watch ${id}; its runs: npm run watch -- list`);
        return 0;
      }
      case "list": {
        const r = await call("GET", "/watches");
        if (r.status !== 200) return failed(r);
        const watches = r.json.watches as WatchView[];
        for (const w of watches) io.stdout(describeWatch(w));
        if (watches.length === 0) io.stderr('no watches yet; add one with: edge/cli.ts watch add --search "words"');
        return 0;
      }
      case "rm": {
        if (rest.length !== 1) throw new UsageError("rm takes one id");
        const r = await call("DELETE", `/watches/${encodeURIComponent(rest[0]!)}`);
        if (r.status !== 200) return failed(r);
        io.stdout(`deleted ${rest[0]}`);
        return 0;
      }
      case "tick": {
        const r = await call("POST", "/watches/tick");
        io.stdout(JSON.stringify(r.json));
        return r.status === 200 ? 0 : 1;
      }
      default:
        throw new UsageError(command ? `unknown watch command ${command}` : "which watch command?");
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(error.message);
      io.stderr(WATCH_USAGE);
      return 2;
    }
    io.stderr((error as Error).message);
    return 1;
  }
}
