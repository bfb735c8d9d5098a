/**
 * The route's watches, started: the store reading its topics (in the background: the route
 * serves scrapes while it loads, and keeps trying through a Kafka outage), the seed watches once
 * it has loaded, the ticker, and the route's own timer when OFERTAS_WATCH_TICK_EVERY is set.
 */
import { readFileSync } from "node:fs";
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { KafkaKeyedLog } from "../../shared/keyed-log.ts";
import { log } from "../../shared/log.ts";
import { type Env, SettingError } from "../../shared/settings.ts";
import type { WatchInput } from "../../shared/watch/watch.ts";
import type { RouteSettings } from "../route-config.ts";
import type { ScrapeService } from "../scrape-service.ts";
import { Ticker } from "./ticker.ts";
import { watchSettingsFromEnv } from "../../shared/watch/watch-settings.ts";
import { WatchStore } from "./watch-store.ts";

export function startWatches(env: Env, route: RouteSettings, service: ScrapeService) {
  const settings = watchSettingsFromEnv(env);
  const seed = settings.seed === null ? [] : readSeed(settings.seed);
  const kafka = KAFKA_SETTINGS.read(env);
  const topics = { watches: kafka.watchesTopic, runs: kafka.watchRunsTopic };
  const logs = new KafkaKeyedLog(
    { ...kafkaConfigFromEnv(env, "ofertas-watches"), retry: { retries: 3 } },
    [topics.watches, topics.runs],
    "watches",
  );
  const store = new WatchStore(logs, topics, {
    sites: route.sites,
    maxPages: route.maxPages,
    maxWatches: settings.maxWatches,
    minPeriodMs: settings.minPeriod,
    pagesPerHour: settings.pagesPerHour,
    runTimeoutMs: settings.runTimeout,
  });
  const ticker = new Ticker(store, service, {
    timeoutMs: settings.tickTimeout,
    backoff: { baseMs: settings.backoffBase, maxMs: settings.backoffMax },
    pagesPerHour: settings.pagesPerHour,
  });
  store.start()
    .then(() => store.seed(seed))
    .catch((error) => log("error", "watches_not_loaded", { message: (error as Error).message }));

  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  if (settings.tickEvery !== null) {
    const every = settings.tickEvery;
    // one tick at a time: the next starts `every` after the previous one began, or when it ends
    const loop = async () => {
      const began = Date.now();
      if (store.ready) {
        await ticker.tick({ waitForRuns: false }).catch((error) =>
          log("error", "watch_tick_failed", { message: (error as Error).message })
        );
      }
      if (!stopped) timer = setTimeout(loop, Math.max(0, began + every - Date.now()));
    };
    timer = setTimeout(loop, Math.min(every, 1_000));
  }
  return {
    store,
    ticker,
    stopTicking() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The seed watches: JSON text, or `@path` of a file; a bad seed stops the route at start with its reason. */
function readSeed(value: string): Array<{ id: string } & WatchInput> {
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = readFileSync(value.slice(1), "utf8");
    } catch (error) {
      throw new SettingError("OFERTAS_WATCHES_SEED", `: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  let seed: unknown;
  try {
    seed = JSON.parse(text);
  } catch (error) {
    throw new SettingError("OFERTAS_WATCHES_SEED", `is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(seed) || seed.some((w) => typeof w !== "object" || w === null || typeof w.id !== "string")) {
    throw new SettingError("OFERTAS_WATCHES_SEED", "must be a JSON array of watches, each with its id");
  }
  return seed as Array<{ id: string } & WatchInput>;
}
