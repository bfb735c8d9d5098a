/**
 * The watches' settings (shared/settings.ts): read by the route, and by the web view and the
 * alerter (the budget and the run timeout, which every reader of the runs log needs to decide as
 * the route does); documented in docs/configuration.md. In shared/ so no reader imports edge/.
 */
import {
  durationSetting,
  type Env,
  intSetting,
  optionalDurationSetting,
  optionalTextSetting,
  settingsGroup,
} from "../settings.ts";
import { DAY_MS, SECOND_MS } from "../duration.ts";

export const WATCH_SETTINGS = settingsGroup(
  "Watches",
  "Read by the scrape route, which keeps the watches and runs them when ticked (docs/watches.md).",
  {
    tickEvery: optionalDurationSetting(
      "OFERTAS_WATCH_TICK_EVERY",
      { minMs: SECOND_MS, maxMs: DAY_MS },
      "tick the watches from inside the route this often (`npm start`: 15s); unset: only `POST /watches/tick` ticks (Cloud Scheduler)",
    ),
    tickTimeout: durationSetting(
      "OFERTAS_WATCH_TICK_TIMEOUT",
      "4m",
      { minMs: SECOND_MS, maxMs: 30 * 60 * SECOND_MS },
      "longest a tick waits for its runs before answering (runs still under way go on)",
    ),
    maxWatches: intSetting(
      "OFERTAS_MAX_WATCHES",
      200,
      { min: 1, max: 10_000 },
      "most watches the route keeps; the same value on every route instance",
    ),
    minPeriod: durationSetting(
      "OFERTAS_WATCH_MIN_PERIOD",
      "5m",
      { minMs: SECOND_MS, maxMs: DAY_MS },
      "shortest period a watch may have (cron schedules included)",
    ),
    pagesPerHour: intSetting(
      "OFERTAS_WATCH_PAGES_PER_HOUR",
      300,
      { min: 1, max: 3_600 },
      "pages per host per rolling hour that the watches' schedule may fetch, all watches together; the same value on every route instance",
    ),
    backoffBase: durationSetting(
      "OFERTAS_WATCH_BACKOFF_BASE",
      "15m",
      { minMs: SECOND_MS, maxMs: DAY_MS },
      "wait after a host's first failing run (blocked, challenge or failed); doubles with each one in a row",
    ),
    backoffMax: durationSetting(
      "OFERTAS_WATCH_BACKOFF_MAX",
      "24h",
      { minMs: SECOND_MS, maxMs: 30 * DAY_MS },
      "longest back-off of a host",
    ),
    runTimeout: durationSetting(
      "OFERTAS_WATCH_RUN_TIMEOUT",
      "30m",
      { minMs: SECOND_MS, maxMs: DAY_MS },
      "a claimed run with no result after this long counts as interrupted (its route instance ended)",
    ),
    seed: optionalTextSetting(
      "OFERTAS_WATCHES_SEED",
      "watches created at start when absent: a JSON array of watches with their `id`, or `@path` of a file holding one",
    ),
  },
);

export type WatchSettings = ReturnType<typeof WATCH_SETTINGS.read>;

export const watchSettingsFromEnv = (env: Env): WatchSettings => WATCH_SETTINGS.read(env);
