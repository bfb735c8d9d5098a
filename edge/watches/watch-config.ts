/** The watches' settings now live in shared/watch/watch-settings.ts (the alerter reads them too); kept for old imports. */
export { WATCH_SETTINGS, type WatchSettings, watchSettingsFromEnv } from "../../shared/watch/watch-settings.ts";
