/**
 * Settings of accounts and people's channels, read by the web view and the alerter (the same
 * keys on both: what one seals or signs, the other opens or checks). The keys come from the
 * environment, in the cloud from Secret Manager (terraform/secrets.tf); without them, people's
 * channels and mute links are off and the pages say so.
 */
import {
  choiceSetting,
  durationSetting,
  type Env,
  intSetting,
  optionalTextSetting,
  SettingError,
  settingsGroup,
} from "../settings.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../duration.ts";

export const ACCOUNTS_SETTINGS = settingsGroup(
  "Accounts and people's channels",
  "Read by the web view (`web/server.ts`) and the alerter; `edge/cli.ts users add` reads the topic's name.",
  {
    signIn: choiceSetting(
      "OFERTAS_WEB_SIGN_IN",
      ["public", "required"],
      "public",
      "`public`: anyone may read the deals (watches, channels and mutes still need a sign-in); `required`: every page but the sign-in needs one",
    ),
    publicUrl: optionalTextSetting(
      "OFERTAS_PUBLIC_URL",
      "the web view's address as people reach it (`https://ofertas.example.com`): links in alerts, and the only Origin a form is accepted from; absent: the request's own",
    ),
    secretsKey: optionalTextSetting(
      "OFERTAS_SECRETS_KEY",
      "base64 of 32 random bytes (`openssl rand -base64 32`): seals people's channel secrets (AES-256-GCM); absent: people cannot add channels",
    ),
    linkKey: optionalTextSetting(
      "OFERTAS_LINK_KEY",
      "at least 32 characters: signs the mute links in alerts (HMAC-SHA256); absent: alerts carry no mute link",
    ),
    muteLinkDays: intSetting(
      "OFERTAS_MUTE_LINK_DAYS",
      14,
      { min: 1, max: 90 },
      "days a mute link in an alert works",
    ),
    sessionDays: intSetting("OFERTAS_SESSION_DAYS", 30, { min: 1, max: 365 }, "days a sign-in lasts"),
    loginAttempts: intSetting(
      "OFERTAS_LOGIN_ATTEMPTS",
      10,
      { min: 1, max: 1_000 },
      "failed sign-ins (and password changes with a wrong current password) one login may take per window (whether the account exists or not)",
    ),
    loginAttemptsPerClient: intSetting(
      "OFERTAS_LOGIN_ATTEMPTS_PER_CLIENT",
      30,
      { min: 1, max: 10_000 },
      "sign-ins and password changes one client may try per window",
    ),
    loginWindow: durationSetting(
      "OFERTAS_LOGIN_WINDOW",
      "15m",
      { minMs: MINUTE_MS, maxMs: DAY_MS },
      "the window of the sign-in limits: a full allowance comes back over it",
    ),
    loginTracked: intSetting(
      "OFERTAS_LOGIN_TRACKED",
      10_000,
      { min: 100, max: 1_000_000 },
      "logins and clients whose attempts are counted (about 150 bytes each); the least recently seen is forgotten first",
    ),
    telegramBotToken: optionalTextSetting(
      "OFERTAS_TELEGRAM_BOT_TOKEN",
      "the deployment's Telegram bot, for people's Telegram channels (they give a chat id); absent: no Telegram for people",
    ),
    smtpUrl: optionalTextSetting(
      "OFERTAS_SMTP_URL",
      "the deployment's mail relay for people's e-mail channels (`mailtos://user:${SMTP_PASSWORD}@smtp.example.com?from=ofertas@example.com`); absent: no e-mail for people",
    ),
  },
);

export type AccountsSettings = ReturnType<typeof ACCOUNTS_SETTINGS.read>;

export function accountsSettingsFromEnv(env: Env): AccountsSettings {
  const s = ACCOUNTS_SETTINGS.read(env);
  if (s.publicUrl !== null && !/^https?:\/\/[^/?#]+\/?$/.test(s.publicUrl)) {
    throw new SettingError("OFERTAS_PUBLIC_URL", "must be an origin like https://ofertas.example.com");
  }
  if (s.linkKey !== null && s.linkKey.length < 32) {
    throw new SettingError("OFERTAS_LINK_KEY", "must be at least 32 characters");
  }
  if (s.loginWindow < HOUR_MS / 60) throw new SettingError("OFERTAS_LOGIN_WINDOW", "must be at least a minute");
  return { ...s, publicUrl: s.publicUrl?.replace(/\/$/, "") ?? null };
}
