/** The web view's settings (shared/settings.ts); where the warehouse is comes from shared/warehouse-settings.ts. */
import { listenHost } from "../shared/listen-host.ts";
import { boolSetting, type Env, intSetting, settingsGroup } from "../shared/settings.ts";
import { type WarehouseLocation, warehouseLocationFromEnv } from "../shared/warehouse-settings.ts";

export const WEB_SETTINGS = settingsGroup(
  "Web view",
  "`bun run web/server.ts` (started by `npm start` and `npm run demo`).",
  {
    port: intSetting(
      "OFERTAS_WEB_PORT",
      8088,
      { min: 0, max: 65_535 },
      "port the web view listens on (on OFERTAS_HOST)",
    ),
    cacheSeconds: intSetting(
      "OFERTAS_WEB_CACHE_SECONDS",
      300,
      { min: 1, max: 86_400 },
      "BigQuery: how long a computed page's data is reused (the local warehouse is re-read after each load)",
    ),
    historyDays: intSetting(
      "OFERTAS_WEB_HISTORY_DAYS",
      90,
      { min: 31, max: 730 },
      "days of price history on an item page",
    ),
    demo: boolSetting("OFERTAS_WEB_DEMO", false, "label every page as demo data (`npm run demo` sets it)"),
  },
);

export type WebSettings = ReturnType<typeof WEB_SETTINGS.read> & { warehouse: WarehouseLocation; hostname: string };

export function webSettingsFromEnv(env: Env): WebSettings {
  return {
    ...WEB_SETTINGS.read(env),
    warehouse: warehouseLocationFromEnv(env),
    hostname: listenHost(env),
  };
}
