/**
 * Benchmark (not a test): the route under hostile inputs, each in a fresh route process, while
 * /healthz is polled every 10 ms. Prints the longest /healthz answer during the request, the
 * request's status and size, and the route process's peak RSS (VmHWM, threads included).
 *
 *   scripts/kafka-local start && bun run bench/hostile/run.ts [repo-dir]
 * `repo-dir` (default: this checkout) lets the same inputs run against another version.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { cardFlood, lineFlood, worstAcceptedOffers, worstAcceptedPage } from "../../test/hostile-inputs.ts";
import { freePort } from "../../test/route-process.ts";

const repo = process.argv[2] ?? new URL("../..", import.meta.url).pathname;
const deals = readFileSync(new URL("../../edge/scraper/fixtures/deals-br.html", import.meta.url), "utf8");
const realPage = (() => {
  try {
    return readFileSync(new URL("../../../shared/ml-pages/ofertas-br-2026-06-polycard.html", import.meta.url), "utf8");
  } catch {
    return deals;
  }
})();

type Upstream = "worst-accepted" | "300mb" | "100k-cards" | "normal";
let upstream: Upstream = "normal";
const pages = createServer((req, res) => {
  if (!req.url?.startsWith("/ofertas") || new URL(req.url, "http://x").searchParams.get("page")) {
    return void res.end("<html><body><div id=results></div></body></html>");
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  if (upstream === "300mb") {
    let sent = 0;
    const chunk = "<p>x</p>".repeat(8192);
    const pump = () => {
      while (sent < 300 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => (sent = Infinity));
    return pump();
  }
  res.end(
    upstream === "worst-accepted" ? worstAcceptedPage(realPage) : upstream === "100k-cards" ? cardFlood() : realPage,
  );
}).listen(0, "127.0.0.1");
await new Promise((r) => pages.once("listening", r));
const pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

async function withRoute<T>(run: (url: string, pid: number) => Promise<T>): Promise<T & { peak_rss_mb: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["run", "edge/scrape-route.ts"], {
    cwd: repo,
    env: { ...process.env, PORT: String(port), OFERTAS_ML_BASE_URL: pagesUrl, OFERTAS_MIN_INTERVAL_MS: "0" },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    const result = await run(url, child.pid!);
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const peak = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    return { ...result, peak_rss_mb: Math.round(peak) };
  } finally {
    child.kill("SIGKILL");
  }
}

/** Sends the request while /healthz is polled; the longest /healthz answer seen meanwhile. */
async function measured(url: string, request: () => Promise<Response>) {
  let done = false;
  let longest = 0;
  let polls = 0;
  const poller = (async () => {
    while (!done) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.text()).catch(() => {});
      longest = Math.max(longest, performance.now() - t);
      polls++;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const started = performance.now();
  const response = await request();
  const body = await response.text();
  const ms = performance.now() - started;
  done = true;
  await poller;
  return {
    status: response.status,
    answer_bytes: body.length,
    request_ms: Math.round(ms),
    healthz_max_ms: Math.round(longest),
    healthz_polls: polls,
  };
}

const post = (url: string, path: string, body: string, type: string) =>
  fetch(`${url}${path}`, {
    method: "POST",
    body,
    headers: { "content-type": type, "x-scrape-id": `bench-${Date.now()}` },
  });

const cases: Array<[string, (url: string) => Promise<Response>]> = [
  ["offers: 5 MB of '1' lines (NDJSON)", (url) => post(url, "/offers", lineFlood(), "application/x-ndjson")],
  [
    "offers: worst accepted body (1,000 offers, ~5 MB)",
    (url) => post(url, "/offers", worstAcceptedOffers(), "application/json"),
  ],
  [
    "page: worst accepted (4 MB, 24k elements)",
    (url) => ((upstream = "worst-accepted"), post(url, "/scrape", "{}", "application/json")),
  ],
  ["page: 300 MB streamed", (url) => ((upstream = "300mb"), post(url, "/scrape", "{}", "application/json"))],
  ["page: 100,000 cards", (url) => ((upstream = "100k-cards"), post(url, "/scrape", "{}", "application/json"))],
];
for (const [name, request] of cases) {
  const result = await withRoute((url) => measured(url, () => request(url)));
  console.log(JSON.stringify({ case: name, repo, ...result }));
}
pages.close();
