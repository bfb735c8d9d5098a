/**
 * The route under the worst inputs it accepts, as the real entry point runs (Bun, real Kafka):
 * a `POST /offers` body at every limit and an upstream page just under the byte and element
 * caps. The process's peak RSS stays under 300 MB, and /healthz keeps answering while they are
 * handled. (Speeds are in bench/hostile, not here.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic } from "../test/kafka-helpers.ts";
import { startLocalServer } from "../test/local-server.ts";
import { worstAcceptedOffers, worstAcceptedPage } from "../test/hostile-inputs.ts";
import { startRouteProcess, waitReady } from "../test/route-process.ts";

const RSS_CEILING_MB = 300;

function peakRssMb(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** Polls /healthz while `request` runs; how many answers came back before it finished. */
async function healthzDuring(
  url: string,
  request: Promise<Response>,
): Promise<{ response: Response; answered: number }> {
  let finished = false;
  let answered = 0;
  const poller = (async () => {
    while (!finished) {
      const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      if (ok && !finished) answered++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const response = await request;
  await response.arrayBuffer();
  finished = true;
  await poller;
  return { response, answered };
}

test("limits: the worst accepted /offers body and upstream page keep the route under 300 MB and /healthz answering", async () => {
  const real = readFileSync(new URL("./scraper/fixtures/deals-br.html", import.meta.url), "utf8");
  const pages = await startLocalServer((req, res) => {
    const page = new URL(req.url ?? "/", "http://x").searchParams.get("page");
    res.writeHead(200, { "content-type": "text/html" }).end(
      page ? "<html><body><div id=results></div></body></html>" : worstAcceptedPage(real),
    );
  });
  const topic = await createTestTopic("limits");
  const route = await startRouteProcess("bun", {
    KAFKA_BROKERS: integrationEnv.kafkaBrokers,
    OFERTAS_TOPIC: topic,
    OFERTAS_ML_BASE_URL: pages.url,
    OFERTAS_MIN_INTERVAL_MS: "0",
  });
  try {
    assert.equal((await waitReady(route.url)).status, 200);
    const offers = await healthzDuring(
      route.url,
      fetch(`${route.url}/offers`, {
        method: "POST",
        body: worstAcceptedOffers(),
        headers: { "content-type": "application/json" },
      }),
    );
    assert.equal(offers.response.status, 200);
    assert.ok(offers.answered > 0, "/healthz answered while the body was validated");

    const scrape = await healthzDuring(
      route.url,
      fetch(`${route.url}/scrape`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
    );
    assert.equal(scrape.response.status, 200);
    assert.ok(scrape.answered > 0, "/healthz answered while the page was fetched and parsed");

    const peak = peakRssMb(route.child.pid!);
    console.log(`  route peak RSS ${peak.toFixed(0)} MB after the worst accepted inputs`);
    assert.ok(peak < RSS_CEILING_MB, `peak RSS ${peak.toFixed(0)} MB`);
  } finally {
    await route.stop();
    await pages.close();
  }
});
