import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeClock, startLocalServer } from "../../test/local-server.ts";
import { FetchFailure, parseRetryAfter, PoliteFetcher } from "./polite-fetch.ts";

const fast = { backoffBaseMs: 1000, backoffMaxMs: 30_000, random: () => 1 };

test("fetch: browser-like User-Agent and the site's Accept-Language", async () => {
  const server = await startLocalServer((_req, res) => res.end("<html></html>"));
  try {
    const fetcher = new PoliteFetcher({ clock: new FakeClock() });
    const page = await fetcher.get(new URL(`${server.url}/ofertas`), "es-MX");
    assert.equal(page.status, 200);
    assert.equal(page.body, "<html></html>");
    const req = server.requests[0]!;
    assert.match(req.headers["user-agent"] ?? "", /Mozilla\/5\.0 .*Chrome\//);
    assert.equal(req.headers["accept-language"], "es-MX,es;q=0.9");
  } finally {
    await server.close();
  }
});

test("fetch: at most one request per second per host", async () => {
  const server = await startLocalServer((_req, res) => res.end("ok"));
  try {
    const clock = new FakeClock();
    const fetcher = new PoliteFetcher({ clock, minIntervalMs: 1000 });
    const started: number[] = [];
    for (let i = 0; i < 4; i++) {
      await fetcher.get(new URL(`${server.url}/p${i}`), "pt-BR");
      started.push(clock.now());
    }
    // the first goes at once; each next one waits for its slot
    assert.deepEqual(started.map((t) => t - started[0]!), [0, 1000, 2000, 3000]);
  } finally {
    await server.close();
  }
});

test("fetch: retries 5xx and 429 with exponential backoff, then succeeds", async () => {
  let calls = 0;
  const server = await startLocalServer((_req, res) => {
    calls++;
    res.statusCode = calls === 1 ? 503 : calls === 2 ? 429 : 200;
    res.end(calls >= 3 ? "finally" : "busy");
  });
  try {
    const clock = new FakeClock();
    const fetcher = new PoliteFetcher({ clock, minIntervalMs: 0, ...fast });
    const page = await fetcher.get(new URL(server.url), "pt-BR");
    assert.equal(page.body, "finally");
    assert.equal(page.attempts, 3);
    assert.deepEqual(clock.sleeps, [1000, 2000]); // base·2^attempt with jitter at its maximum
  } finally {
    await server.close();
  }
});

test("fetch: jitter spreads the backoff below the exponential cap", () => {
  const values = [0, 0.25, 0.5, 0.999];
  let i = 0;
  const fetcher = new PoliteFetcher({
    backoffBaseMs: 1000,
    backoffMaxMs: 5000,
    random: () => values[i++ % values.length]!,
  });
  assert.deepEqual([0, 1, 2, 3].map((attempt) => fetcher.backoff(attempt)), [0, 500, 2000, 4995]);
  assert.ok(fetcher.backoff(10) <= 5000, "capped");
});

test("fetch: Retry-After is honoured, and refused when too long", async () => {
  let calls = 0;
  const server = await startLocalServer((_req, res) => {
    calls++;
    if (calls === 1) {
      res.writeHead(429, { "retry-after": "7" }).end();
    } else if (calls === 2) {
      res.writeHead(503, { "retry-after": "3600" }).end();
    } else res.end("ok");
  });
  try {
    const clock = new FakeClock();
    const fetcher = new PoliteFetcher({ clock, minIntervalMs: 0, ...fast });
    await assert.rejects(fetcher.get(new URL(server.url), "pt-BR"), (e: unknown) => {
      assert.ok(e instanceof FetchFailure);
      assert.equal(e.status, 503);
      assert.match(e.message, /Retry-After 3600 s is too long/);
      return true;
    });
    assert.deepEqual(clock.sleeps, [7000]);
  } finally {
    await server.close();
  }
});

test("fetch: 4xx other than 429 is not retried", async () => {
  const server = await startLocalServer((_req, res) => res.writeHead(404).end());
  try {
    const fetcher = new PoliteFetcher({ clock: new FakeClock(), minIntervalMs: 0 });
    await assert.rejects(
      fetcher.get(new URL(server.url), "pt-BR"),
      (e: unknown) => e instanceof FetchFailure && e.kind === "http" && e.status === 404 && e.attempts === 1,
    );
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test("fetch: network errors are retried, then reported as network failures", async () => {
  const server = await startLocalServer(() => {});
  const url = new URL(server.url);
  await server.close(); // nothing listens there any more
  const clock = new FakeClock();
  const fetcher = new PoliteFetcher({ clock, minIntervalMs: 0, retries: 2, ...fast });
  await assert.rejects(
    fetcher.get(url, "pt-BR"),
    (e: unknown) => e instanceof FetchFailure && e.kind === "network" && e.attempts === 3,
  );
  assert.deepEqual(clock.sleeps, [1000, 2000]);
});

test("fetch: a hanging server times out per request", async () => {
  const server = await startLocalServer(() => {}); // never answers
  try {
    const fetcher = new PoliteFetcher({
      clock: new FakeClock(),
      minIntervalMs: 0,
      retries: 1,
      timeoutMs: 150,
      ...fast,
    });
    await assert.rejects(
      fetcher.get(new URL(server.url), "pt-BR"),
      (e: unknown) => e instanceof FetchFailure && /timeout after 150 ms/.test(e.message),
    );
    assert.equal(server.requests.length, 2);
  } finally {
    await server.close();
  }
});

test("fetch: concurrency is bounded", async () => {
  let inFlight = 0;
  let peak = 0;
  const server = await startLocalServer((_req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end("ok");
    }, 30);
  });
  try {
    const fetcher = new PoliteFetcher({ minIntervalMs: 0, concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => fetcher.get(new URL(`${server.url}/${i}`), "pt-BR")));
    assert.equal(peak, 2);
    assert.equal(server.requests.length, 6);
  } finally {
    await server.close();
  }
});

test("Retry-After: seconds, HTTP dates, garbage", () => {
  const now = Date.parse("2026-06-16T12:00:00Z");
  assert.equal(parseRetryAfter("120", now), 120_000);
  assert.equal(parseRetryAfter("Tue, 16 Jun 2026 12:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("soon", now), null);
  assert.equal(parseRetryAfter(null, now), null);
});

test("fetch: a redirect to another host is refused (kind redirect) and never fetched", async () => {
  const other = await startLocalServer((_req, res) => res.end("<html>elsewhere</html>"));
  const server = await startLocalServer((_req, res) => res.writeHead(302, { location: `${other.url}/x` }).end());
  try {
    const fetcher = new PoliteFetcher({ clock: new FakeClock(), retries: 2 });
    await assert.rejects(fetcher.get(new URL(`${server.url}/ofertas`), "pt-BR"), (e: unknown) => {
      assert.ok(e instanceof FetchFailure);
      assert.equal(e.kind, "redirect");
      assert.match(e.message, /redirect to .* refused/);
      return true;
    });
    assert.equal(other.requests.length, 0, "the other host was never asked");
    assert.equal(server.requests.length, 1, "a refused redirect is not retried");
  } finally {
    await server.close();
    await other.close();
  }
});

test("fetch: redirects the policy allows are followed by hand, and bounded", async () => {
  const server = await startLocalServer((req, res) => {
    const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "0");
    if (n < 2) res.writeHead(301, { location: `/ofertas?n=${n + 1}` }).end();
    else res.end(`<html>after ${n}</html>`);
  });
  try {
    const fetcher = new PoliteFetcher({ clock: new FakeClock() });
    const page = await fetcher.get(new URL(`${server.url}/ofertas`), "pt-BR");
    assert.equal(page.body, "<html>after 2</html>");
    assert.match(page.url, /n=2$/);
    const bounded = new PoliteFetcher({ clock: new FakeClock(), maxRedirects: 1, retries: 0 });
    await assert.rejects(bounded.get(new URL(`${server.url}/ofertas`), "pt-BR"), /more than 1 redirects/);
  } finally {
    await server.close();
  }
});

test("fetch: a body over the byte cap is refused (kind too_large) without reading it all", async () => {
  let sent = 0;
  const server = await startLocalServer((req, res) => {
    if (req.url === "/declared") {
      res.writeHead(200, { "content-length": String(50 * 1024 * 1024) }).end("x".repeat(10));
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    const chunk = "x".repeat(64 * 1024);
    const pump = () => {
      while (sent < 300 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => (sent = Infinity));
    pump();
  });
  try {
    const fetcher = new PoliteFetcher({ clock: new FakeClock(), maxBytes: 1024 * 1024, retries: 2 });
    await assert.rejects(
      fetcher.get(new URL(`${server.url}/streamed`), "pt-BR"),
      (e: unknown) => e instanceof FetchFailure && e.kind === "too_large",
    );
    await assert.rejects(fetcher.get(new URL(`${server.url}/declared`), "pt-BR"), /body of 52428800 bytes exceeds/);
    assert.equal(server.requests.length, 2, "not retried");
  } finally {
    await server.close();
  }
});
