/** The alerter's settings (shared/settings.ts): read by `bun run alert/alerter.ts`, documented in docs/configuration.md. */
import * as v from "valibot";
import { type Rule, RuleSchema } from "../shared/alert/rule.ts";
import { CONSUMER_GROUP_SETTING } from "../shared/kafka.ts";
import {
  boolSetting,
  durationSetting,
  type Env,
  intSetting,
  listSetting,
  optionalIntSetting,
  optionalTextSetting,
  SettingError,
  settingsGroup,
  textSetting,
} from "../shared/settings.ts";
import { DAY_MS, SECOND_MS } from "../shared/duration.ts";

export const ALERTER_SETTINGS = settingsGroup(
  "Alerter",
  "`bun run alert/alerter.ts` (started by `npm start`): evaluates each load against the alert rules and delivers the alerts (docs/alerts.md).",
  {
    channels: optionalTextSetting(
      "OFERTAS_ALERT_CHANNELS",
      'channels as a JSON object of name → URL (`{"me": "ntfys://ntfy.sh/my-topic"}`); `${NAME}` in a URL is read from the environment (secrets)',
    ),
    rules: optionalTextSetting(
      "OFERTAS_ALERT_RULES",
      'global rules, for every item: a JSON array (`[{"kind": "real_deal", "min_real_discount_pct": 30}]`)',
    ),
    groupId: textSetting(
      "OFERTAS_ALERTER_GROUP",
      "ofertas-alerter",
      "consumer group of the alerter on the loads topic",
    ),
    allowLoopback: boolSetting(
      "OFERTAS_ALERT_ALLOW_LOOPBACK",
      false,
      "channels may send to loopback addresses, over http too (development; `npm start` sets it)",
    ),
    allowPrivate: boolSetting("OFERTAS_ALERT_ALLOW_PRIVATE", false, "channels may send to private address ranges"),
    retryBase: durationSetting(
      "OFERTAS_ALERT_RETRY_BASE",
      "5s",
      { minMs: 10, maxMs: DAY_MS },
      "first wait after a failed delivery",
    ),
    retryMax: durationSetting(
      "OFERTAS_ALERT_RETRY_MAX",
      "15m",
      { minMs: 10, maxMs: DAY_MS },
      "longest wait between deliveries",
    ),
    port: optionalIntSetting(
      "OFERTAS_ALERTER_PORT",
      { min: 0, max: 65_535 },
      "serve `/healthz`, `/readyz` (what waits per channel) and `/metrics` here (9465 with `npm start`)",
    ),
    discordApi: optionalTextSetting("OFERTAS_ALERT_DISCORD_API", "Discord's API base (tests: a local receiver)"),
    telegramApi: optionalTextSetting("OFERTAS_ALERT_TELEGRAM_API", "Telegram's Bot API base (tests: a local receiver)"),
    maxAgeDays: intSetting(
      "OFERTAS_ALERT_MAX_AGE_DAYS",
      1,
      { min: 0, max: 400 },
      "evaluate only days this recent (São Paulo): a backfill of old days never alerts; 0 = today only",
    ),
    checkEvery: durationSetting(
      "OFERTAS_ALERT_CHECK_EVERY",
      "30s",
      { minMs: SECOND_MS, maxMs: DAY_MS },
      "how often the operator checks run (consumer lag, dead letters, watches backing off, scraper drift)",
    ),
    lagMax: intSetting(
      "OFERTAS_ALERT_LAG_MAX",
      100_000,
      { min: 1, max: 1_000_000_000 },
      "consumer lag (records) past which the operators are alerted",
    ),
    operatorChannels: listSetting(
      "OFERTAS_ALERT_OPERATOR_CHANNELS",
      ["*"],
      "channels of the operator alerts (`*`: every channel)",
    ),
  },
);

export type AlerterSettings = ReturnType<typeof ALERTER_SETTINGS.read> & {
  globalRules: Rule[];
  /** The batch consumer's group (its own setting), whose lag the operator checks watch. */
  consumerGroup: string;
};

export function alerterSettingsFromEnv(env: Env): AlerterSettings {
  const s = ALERTER_SETTINGS.read(env);
  let globalRules: Rule[] = [];
  if (s.rules !== null) {
    let json: unknown;
    try {
      json = JSON.parse(s.rules);
    } catch (error) {
      throw new SettingError("OFERTAS_ALERT_RULES", `is not JSON: ${(error as Error).message}`);
    }
    const parsed = v.safeParse(v.array(RuleSchema), json);
    if (!parsed.success) {
      throw new SettingError(
        "OFERTAS_ALERT_RULES",
        `: ${parsed.issues.slice(0, 3).map((i) => `${v.getDotPath(i) ?? "(rules)"}: ${i.message}`).join("; ")}`,
      );
    }
    globalRules = parsed.output;
  }
  return { ...s, globalRules, consumerGroup: CONSUMER_GROUP_SETTING.read(env) };
}
