/**
 * Benchmark (not a test): the deals page (`GET /`, answered from the cache) while the sign-in
 * form is flooded with wrong passwords, with the production password hash (scrypt, N = 2^17:
 * about 128 MiB and 0.4 s each) and the default sign-in limits (web/accounts/login-limiter.ts).
 *
 *   GET / alone                         no other traffic
 *   GET / during a flood on one login   8 loops of wrong passwords for one account, from rotating
 *                                       clients: the login's allowance goes, then every attempt
 *                                       is a 429 at once, without a hash
 *   GET / during a flood of logins      8 loops of wrong passwords, a new login and a new client
 *                                       each time (no allowance ever runs out): hashes run at most
 *                                       two at a time, the rest wait in a short queue or get 429
 *
 * Each case prints `/`'s p50 and p95 (server time), what the flood got, the hashes computed, the
 * limiter's entries (bounded) and the process's resident memory. Then the account's owner signs in
 * with the right password once the window has passed (the clock moved on, not waited for).
 *
 *   bun run bench/web/login-flood.ts [seconds per case, default 10] [deals on the page, default 5000]
 */
import process from "node:process";
import { createWebApp } from "../../web/app.tsx";
import type { Deal } from "../../web/deals.ts";
import { MemorySource } from "../../web/memory-source.ts";
import { CachedSource } from "../../web/source.ts";
import { peopleFixture, TestBrowser } from "../../web/accounts/people-fixture.ts";
import { AccountStore } from "../../shared/accounts/account-store.ts";
import { MemoryKeyedLog } from "../../shared/keyed-log.ts";
import { report } from "./bench-warehouse.ts";

const SECONDS = Number(process.argv[2] ?? 10);
const DEALS = Number(process.argv[3] ?? 5_000);
const LOOPS = 8;
const DAY = "2026-12-06";

const deals: Deal[] = Array.from({ length: DEALS }, (_, i) =>
  ({
    site: "MLB",
    item_id: `MLB${1_000_000_000 + i}`,
    title: `Item ${i}`,
    currency: "BRL",
    price: "70.00",
    original_price: "100.00",
    displayed_discount_pct: 30,
    history_days: 20,
    min_price_30d: "100.00",
    max_price_30d: "100.00",
    real_discount_pct: "30.00",
    verdict: "real",
    reason: null,
    url: `https://www.mercadolivre.com.br/x/p/MLB${i + 1}`,
    image_url: null,
    label: null,
    watch_ids: [],
  }) as unknown as Deal);

const fixture = await peopleFixture();
// the production hash: what a flood would make the server compute
const accounts = new AccountStore(new MemoryKeyedLog().reader(), "accounts", { sessionDays: 30 });
await accounts.start();
await accounts.createAccount("ana@example.com", "member", "ana's long password");
let clockOffset = 0;
const deps = { ...fixture.deps, accounts, clock: () => Date.now() + clockOffset };
let hashes = 0;
const check = accounts.checkPassword.bind(accounts);
accounts.checkPassword = (login, password) => (hashes++, check(login, password));
const app = createWebApp({
  source: new CachedSource(new MemorySource({ [DAY]: deals })),
  demo: false,
  today: () => DAY,
  people: deps,
});
const reader = new TestBrowser((r) => app.fetch(r));
await (await reader.request("/")).text();

async function run(label: string, flood: ((i: number) => { login: string; client: string }) | null) {
  hashes = 0;
  let n = 0;
  let flooding = flood !== null;
  const got: Record<number, number> = {};
  const loops = Array.from({ length: flood ? LOOPS : 0 }, async () => {
    while (flooding) {
      const { login, client } = flood!(n++);
      const res = await app.fetch(
        new Request("http://127.0.0.1:8088/login", {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: "http://127.0.0.1:8088",
            "x-test-client": client,
          },
          body: new URLSearchParams({ login, password: "wrong password!" }).toString(),
        }),
      );
      await res.arrayBuffer();
      got[res.status] = (got[res.status] ?? 0) + 1;
      if (res.status === 429) await new Promise((r) => setTimeout(r, 1));
    }
  });
  const times: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await reader.request(`/?page=${1 + (times.length % 20)}`);
    await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`GET /: ${res.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  flooding = false;
  await Promise.all(loops);
  report(label, times, {
    attempts: n,
    answers: got,
    hashes,
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  });
}

await run("GET / alone", null);
await run("GET / during a flood on one login", (i) => ({ login: "ana@example.com", client: `client-${i}` }));
await run("GET / during a flood of logins", (i) => ({ login: `nobody${i}@example.com`, client: `client-x${i}` }));
clockOffset += 15 * 60_000; // the window has passed
const owner = new TestBrowser((r) => app.fetch(r));
const signIn = await owner.signIn("ana@example.com", "ana's long password");
console.log(JSON.stringify({ case: "the right password after the window", status: signIn.status }));
process.exit(0);
