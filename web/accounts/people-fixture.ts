/**
 * The web view with accounts on in-memory topics, for the unit tests and the browser tests: an
 * account store, the watches' own store, a random secrets key and link key, cheap password
 * hashes, and a cookie jar that signs a test client in (the cookie is read back from Set-Cookie,
 * as a browser would).
 */
import { Buffer } from "node:buffer";
import { MemoryKeyedLog } from "../../shared/keyed-log.ts";
import { AccountStore } from "../../shared/accounts/account-store.ts";
import { accountsSettingsFromEnv } from "../../shared/accounts/accounts-settings.ts";
import { SecretBox } from "../../shared/accounts/secret-box.ts";
import { LinkSigner } from "../../shared/accounts/signed-token.ts";
import { SITE_CODES } from "../../shared/sites.ts";
import { WatchStore } from "../../edge/watches/watch-store.ts";
import type { Env } from "../../shared/settings.ts";
import type { PeopleDeps } from "./people-deps.ts";

export const FAST_HASH = { logN: 10, r: 8, p: 1 };

export async function peopleFixture(env: Env = {}, allowLoopback = true) {
  const accountsLog = new MemoryKeyedLog();
  const accounts = new AccountStore(accountsLog.reader(), "accounts", { sessionDays: 30, hashParameters: FAST_HASH });
  const watches = new WatchStore(new MemoryKeyedLog().reader(), { watches: "w", runs: "r" }, {
    sites: SITE_CODES,
    maxPages: 5,
    maxWatches: 50,
    minPeriodMs: 60_000,
    pagesPerHour: 1_000,
    runTimeoutMs: 60_000,
  });
  await Promise.all([accounts.start(), watches.start()]);
  const box = await SecretBox.fromBase64(Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64"));
  const signer = await LinkSigner.fromSecret("test-link-key-".repeat(3));
  const deps: PeopleDeps = {
    accounts,
    watches,
    settings: accountsSettingsFromEnv(env),
    box,
    signer,
    relays: { telegramBotToken: null, smtpUrl: null, env: {} },
    channelOptions: { allowLoopback, allowPrivate: false },
    sites: SITE_CODES,
    ctx: { demo: false, source: "memory" },
    clientOf: (c) => c.req.header("x-test-client") ?? "client",
  };
  return { deps, accounts, watches, accountsLog, box, signer };
}

/** A browser's cookie jar over app.fetch: keeps the session cookie, sends the Origin of the view. */
export class TestBrowser {
  cookie = "";
  constructor(
    private readonly fetch: (r: Request) => Response | Promise<Response>,
    readonly origin = "http://127.0.0.1:8088",
  ) {}

  async request(path: string, init: RequestInit & { form?: Record<string, string | string[]> } = {}) {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    let body = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
      body = params.toString();
      headers.set("content-type", "application/x-www-form-urlencoded");
      if (!headers.has("origin")) headers.set("origin", this.origin);
    }
    const response = await this.fetch(
      new Request(`${this.origin}${path}`, { method: init.form ? "POST" : init.method ?? "GET", headers, body }),
    );
    const set = response.headers.get("set-cookie");
    if (set) {
      const [pair] = set.split(";");
      this.cookie = /=$/.test(pair!) || /max-age=0/i.test(set) ? "" : pair!;
    }
    return response;
  }

  /** The CSRF token of a page's first form. */
  async csrf(path = "/account"): Promise<string> {
    const html = await (await this.request(path)).text();
    return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  }

  async signIn(login: string, password: string): Promise<Response> {
    return this.request("/login", { form: { login, password, next: "/watches" } });
  }
}
