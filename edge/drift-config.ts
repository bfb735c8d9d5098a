/** The drift watch's settings (edge/drift-monitor.ts): read by the route, documented in docs/configuration.md. */
import { type Env, intSetting, SettingError, settingsGroup } from "../shared/settings.ts";
import type { DriftSettings } from "./scraper/drift.ts";

export const DRIFT_SETTINGS = settingsGroup(
  "Scraper drift",
  'Read by the scrape route, which judges every page\'s field coverage against a baseline (edge/SCRAPER.md, "When the site changes").',
  {
    window: intSetting(
      "OFERTAS_DRIFT_WINDOW",
      20,
      { min: 2, max: 500 },
      "healthy pages (or pools of small pages) per site and view kept as the baseline",
    ),
    minPages: intSetting(
      "OFERTAS_DRIFT_MIN_PAGES",
      5,
      { min: 1, max: 500 },
      "pages the baseline needs before a page is judged",
    ),
    minCards: intSetting(
      "OFERTAS_DRIFT_MIN_CARDS",
      10,
      { min: 1, max: 10_000 },
      "cards a judged unit holds: pages with fewer (narrow searches, items) are pooled with the next",
    ),
    usualPct: intSetting(
      "OFERTAS_DRIFT_USUAL_PCT",
      80,
      { min: 1, max: 100 },
      "a field is watched when the baseline has it on at least this % of cards",
    ),
    fallPct: intSetting(
      "OFERTAS_DRIFT_FALL_PCT",
      50,
      { min: 1, max: 99 },
      "a drift starts when a page's share of a watched field falls under this % of the baseline's",
    ),
  },
);

export function driftSettingsFromEnv(env: Env): DriftSettings {
  const s = DRIFT_SETTINGS.read(env);
  if (s.minPages > s.window) {
    throw new SettingError(
      "OFERTAS_DRIFT_MIN_PAGES",
      `must not exceed OFERTAS_DRIFT_WINDOW (${s.window}), got ${s.minPages}`,
    );
  }
  return {
    window: s.window,
    minUnits: s.minPages,
    minCards: s.minCards,
    usualShare: s.usualPct / 100,
    fallRatio: s.fallPct / 100,
  };
}
