/**
 * `npm start`: the whole local pipeline on the embedded defaults.
 *   1. the 3-broker Kafka cluster (scripts/kafka-local; data in .ofertas/kafka)
 *   2. optionally a replay server of saved pages (OFERTAS_REPLAY_DIR) instead of Mercado Livre
 *   3. the scrape route on http://127.0.0.1:8080, ticking the watches every 15 s
 *   4. the batch consumer, loading offers and product details into the local warehouse (.ofertas/warehouse)
 *   5. the enricher, fetching each new item's product page (details in `product_details`)
 *   5b. the alerter, telling OFERTAS_ALERT_CHANNELS about what the watches' alert rules match
 *   6. the deals web view on http://127.0.0.1:8088 (accounts: the keys of .ofertas/keys.json, made once)
 * Ctrl-C stops everything (Kafka too, unless OFERTAS_KEEP_KAFKA=1); data stays in .ofertas/.
 */
import { localAlerterEnv } from "./lib/local-alerter.ts";
import { say, Supervisor } from "./lib/supervisor.ts";
import { localKeys } from "./lib/local-keys.ts";

const s = new Supervisor();
const env = s.env;
try {
  // people's channel secrets and mute links: the same keys for the web view and the alerter
  const keys = localKeys(`${env.OFERTAS_HOME ?? ".ofertas"}/keys.json`);
  env.OFERTAS_SECRETS_KEY ??= keys.OFERTAS_SECRETS_KEY;
  env.OFERTAS_LINK_KEY ??= keys.OFERTAS_LINK_KEY;
  env.OFERTAS_PUBLIC_URL ??= `http://127.0.0.1:${env.OFERTAS_WEB_PORT ?? "8088"}`;
  await s.startKafka();

  if (env.OFERTAS_REPLAY_DIR) {
    s.daemon("replay server", ["bun", "run", "scripts/replay-server.ts", env.OFERTAS_REPLAY_DIR, "--port", "8090"]);
    env.OFERTAS_ML_BASE_URL = "http://127.0.0.1:8090";
    await s.waitHttp("http://127.0.0.1:8090/ofertas", 20_000);
    say(`replaying saved pages from ${env.OFERTAS_REPLAY_DIR} instead of Mercado Livre`);
  }

  const port = env.PORT ?? "8080";
  // the route ticks the watches itself (in the cloud, Cloud Scheduler calls POST /watches/tick)
  s.daemon("scrape route", ["bun", "run", "edge/scrape-route.ts"], {
    PORT: port,
    OFERTAS_WATCH_TICK_EVERY: env.OFERTAS_WATCH_TICK_EVERY ?? "15s",
  });
  await s.waitHttp(`http://127.0.0.1:${port}/healthz`, 30_000);

  // the local warehouse has no load quota: a short interval makes offers show up quickly
  const interval = env.OFERTAS_BATCH_INTERVAL_MS ??
    ((env.OFERTAS_WAREHOUSE ?? "local") === "local" ? "30000" : "300000");
  s.daemon("batch consumer", ["bun", "run", "batch/consumer.ts"], {
    OFERTAS_METRICS_PORT: env.OFERTAS_METRICS_PORT ?? "9464",
    OFERTAS_BATCH_INTERVAL_MS: interval,
  });

  s.daemon("enricher", ["bun", "run", "enrich/enricher.ts"]);

  // alerts: the rules of the watches (and OFERTAS_ALERT_RULES) on every load, to OFERTAS_ALERT_CHANNELS
  // (`npm run alerts -- test <channel>` judges channels with the same settings)
  s.daemon("alerter", ["bun", "run", "alert/alerter.ts"], localAlerterEnv(env));

  const webPort = env.OFERTAS_WEB_PORT ?? "8088";
  s.daemon("web view", ["bun", "run", "web/server.ts"], { OFERTAS_WEB_PORT: webPort });
  await s.waitHttp(`http://127.0.0.1:${webPort}/healthz`, 30_000);

  const auth = env.OFERTAS_TOKEN ? ` -H 'authorization: Bearer $OFERTAS_TOKEN'` : "";
  say("pipeline up. Try:");
  console.log(
    `    curl -s -X POST localhost:${port}/scrape${auth} -H 'content-type: application/json' -d '{"pages":2}'`,
  );
  console.log(`    npm run watch -- add --search "playstation 5 slim" --every 30m   # followed on its own from now on`);
  console.log(`    curl -s localhost:${port}/readyz; curl -s localhost:${port}/metrics | grep ofertas_`);
  console.log(
    `    bun run reports/queries.ts daily_offers   # what the consumer loaded, after one interval (${
      Number(interval) / 1000
    } s)`,
  );
  say(`the deals: http://127.0.0.1:${webPort}/  the watches: http://127.0.0.1:${webPort}/watches`);
  say(
    "first time? open the admin_setup_link the web view logged above (or: bun run edge/cli.ts users add you@example.com)",
  );
  say("Ctrl-C stops everything.");
} catch (error) {
  say(`could not start: ${(error as Error).message}`);
  await s.shutdown(1);
}
