/**
 * Accounts in the web view, started: the accounts topic read into an AccountStore, the watches'
 * own store (the web view now writes watches, through the same admission in log order as the
 * route: edge/watches/watch-store.ts, with the route's limits read from the same settings), the
 * keys (OFERTAS_SECRETS_KEY, OFERTAS_LINK_KEY) and, once read, the first admin's setup link
 * logged (`admin_setup_link`) when there is no admin yet (one invitation record, for the login `admin`).
 */
import { AccountStore } from "../../shared/accounts/account-store.ts";
import { accountsSettingsFromEnv } from "../../shared/accounts/accounts-settings.ts";
import { SecretBox } from "../../shared/accounts/secret-box.ts";
import { LinkSigner } from "../../shared/accounts/signed-token.ts";
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { KafkaKeyedLog } from "../../shared/keyed-log.ts";
import { log } from "../../shared/log.ts";
import type { Env } from "../../shared/settings.ts";
import { watchSettingsFromEnv } from "../../shared/watch/watch-settings.ts";
import { ALERTER_SETTINGS } from "../../alert/alerter-config.ts";
import { routeSettingsFromEnv } from "../../edge/route-config.ts";
import { WatchStore } from "../../edge/watches/watch-store.ts";
import type { WatchSource } from "../watch-source.ts";
import type { PageContext } from "../views/layout.tsx";
import type { PeopleDeps } from "./people-deps.ts";

export async function startPeople(
  env: Env,
  ctx: PageContext,
  clientOf: PeopleDeps["clientOf"],
  listen: string,
): Promise<{ deps: PeopleDeps; watchSource: WatchSource; close: () => Promise<void> }> {
  const settings = accountsSettingsFromEnv(env);
  const kafka = KAFKA_SETTINGS.read(env);
  const route = routeSettingsFromEnv(env);
  const watchSettings = watchSettingsFromEnv(env);
  const alerter = ALERTER_SETTINGS.read(env);
  const config = { ...kafkaConfigFromEnv(env, "ofertas-web"), retry: { retries: 3 } };
  const accounts = new AccountStore(
    new KafkaKeyedLog(config, [kafka.accountsTopic], "web-accounts"),
    kafka.accountsTopic,
    {
      sessionDays: settings.sessionDays,
    },
  );
  const topics = { watches: kafka.watchesTopic, runs: kafka.watchRunsTopic };
  const watches = new WatchStore(new KafkaKeyedLog(config, [topics.watches, topics.runs], "web-watches"), topics, {
    sites: route.sites,
    maxPages: route.maxPages,
    maxWatches: watchSettings.maxWatches,
    minPeriodMs: watchSettings.minPeriod,
    pagesPerHour: watchSettings.pagesPerHour,
    runTimeoutMs: watchSettings.runTimeout,
  });
  // both read in the background: until then the pages say the watches are being read
  const loading = (what: string) => (error: Error) =>
    log("error", "web_log_not_loaded", { what, message: error.message });
  watches.start().catch(loading("watches"));
  accounts.start().then(() => offerSetup(accounts, settings.publicUrl ?? listen)).catch(loading("accounts"));
  const deps: PeopleDeps = {
    accounts,
    watches,
    settings,
    box: settings.secretsKey ? await SecretBox.fromBase64(settings.secretsKey) : null,
    signer: settings.linkKey ? await LinkSigner.fromSecret(settings.linkKey) : null,
    relays: { telegramBotToken: settings.telegramBotToken, smtpUrl: settings.smtpUrl, env },
    channelOptions: {
      allowLoopback: alerter.allowLoopback,
      allowPrivate: alerter.allowPrivate,
      discordApi: alerter.discordApi ?? undefined,
      telegramApi: alerter.telegramApi ?? undefined,
    },
    sites: route.sites,
    ctx,
    clientOf,
  };
  return {
    deps,
    watchSource: { list: () => (watches.ready ? watches.list() : null), close: () => Promise.resolve() },
    close: async () => {
      await Promise.allSettled([accounts.close(), watches.close()]);
    },
  };
}

/** No admin yet: an invitation for `admin`, its link logged once (the operator opens it). */
async function offerSetup(accounts: AccountStore, base: string): Promise<void> {
  if (accounts.book.hasAdmin) return;
  const invited = await accounts.invite("admin", "admin", "setup");
  if (!invited.ok) return; // an account named admin exists (a member): `users add` makes the admin
  // the operator's to open: in the daemon's log (an info line, like every line of a healthy start)
  log("info", "admin_setup_link", {
    url: `${base.replace(/\/$/, "")}/invite/${invited.value}`,
    note: "no admin yet: open it to choose the password of the login admin (once, within 7 days)",
  });
}
