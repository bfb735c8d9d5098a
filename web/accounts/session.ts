/**
 * Who is asking: the session cookie read into `c.var.person` (the account, its session's hash and
 * the session's CSRF token), and the cookie's flags as the field sets them: HttpOnly, Secure
 * (everywhere but loopback, where development runs over http), SameSite=Lax, Path=/, and the
 * `__Host-` prefix when Secure (bound to this host). The server can revoke it: the cookie holds
 * a random token whose hash is a session record (shared/accounts/session-record.ts).
 *
 * Forms: the Origin check (hono/csrf, against OFERTAS_PUBLIC_URL's origin when set) on every
 * POST, and a per-session token in every signed-in form (`_csrf`), derived from the session's
 * token so that nothing else needs keeping: HMAC-free because only the browser holding the
 * cookie can know it.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { Account } from "../../shared/accounts/account-record.ts";
import type { AccountStore } from "../../shared/accounts/account-store.ts";
import { tokenHash } from "../../shared/accounts/account-ids.ts";
import type { WebEnv } from "../app.tsx";

export interface Person {
  account: Account;
  /** The session's record key hash (to end it). */
  sessionHash: string;
  /** The token every form of this session carries. */
  csrf: string;
}

export type PersonEnv = WebEnv;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** Whether the cookie must be Secure: everywhere but a loopback host (development over http). */
export function secureCookie(c: Context): boolean {
  return !LOOPBACK.test(new URL(c.req.url).hostname);
}

/** The cookie's name; hono adds the `__Host-` prefix when Secure. */
export const COOKIE = "ofertas-session";

export function setSessionCookie(c: Context, token: string, days: number): void {
  const secure = secureCookie(c);
  setCookie(c, COOKIE, token, {
    httpOnly: true,
    secure,
    sameSite: "Lax",
    path: "/",
    maxAge: days * 86_400,
    ...(secure ? { prefix: "host" as const } : {}),
  });
}

export function clearSessionCookie(c: Context): void {
  const secure = secureCookie(c);
  deleteCookie(c, COOKIE, { path: "/", secure, ...(secure ? { prefix: "host" as const } : {}) });
}

/** The session's form token: a hash of its own token, unknowable without the cookie. */
async function csrfOf(token: string): Promise<string> {
  return (await tokenHash(`csrf|${token}`)).slice(0, 32);
}

/** Reads the session (if any) into c.var.person. */
export function sessionMiddleware(accounts: AccountStore): MiddlewareHandler<PersonEnv> {
  return async (c, next) => {
    const secure = secureCookie(c);
    const token = getCookie(c, COOKIE, secure ? "host" : undefined);
    const found = token && accounts.ready ? await accounts.sessionAccount(token) : null;
    c.set("person", found ? { account: found.account, sessionHash: found.hash, csrf: await csrfOf(token!) } : null);
    await next();
  };
}

/** Every POST: the Origin (or Sec-Fetch-Site) must be this view's own. */
export function originCheck(publicUrl: string | null): MiddlewareHandler {
  return csrf({ origin: (origin, c) => origin === (publicUrl ?? new URL(c.req.url).origin) });
}

/**
 * A form's fields (url-encoded or multipart only; each field's first value, the repeated ones
 * in `formLists`), with its CSRF token checked when signed in.
 */
export async function formOf(c: Context<PersonEnv>): Promise<Record<string, string>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    throw new HTTPException(415, { message: "a form is sent as application/x-www-form-urlencoded" });
  }
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string").slice(0, 50);
    if (values.length === 0) continue;
    fields[k] = values[0]!.slice(0, 4_000);
    lists[k] = values.map((x) => x.slice(0, 200));
  }
  c.set("formLists", lists);
  const person = c.get("person");
  if (person && fields._csrf !== person.csrf) {
    throw new HTTPException(403, { message: "this form has expired: reload the page and send it again" });
  }
  return fields;
}

/** The signed-in person, or a redirect to sign in (pages) / 401. */
export function requirePerson(c: Context<PersonEnv>): Person {
  const person = c.get("person");
  if (!person) {
    const back = new URL(c.req.url).pathname;
    throw new HTTPException(303, { res: c.redirect(`/login?next=${encodeURIComponent(back)}`, 303) });
  }
  return person;
}

export function requireAdmin(c: Context<PersonEnv>): Person {
  const person = requirePerson(c);
  if (person.account.role !== "admin") throw new HTTPException(404, { message: "not found" });
  return person;
}
