/**
 * Signing in and out, one's account, invitations and the admins' list of people:
 *
 *   GET/POST /login                 sign in (rate limited per login and per client; one answer
 *                                   for a wrong password and an unknown login)
 *   POST     /logout                end this session; /logout-everywhere ends them all
 *   GET      /account                password, sign out everywhere, the private feed
 *   POST     /account/password       change it (every session ends; this one begins again); its
 *                                   hashes are limited as sign-ins are (the same limiter)
 *   POST     /account/feed[/revoke]  a new private feed address (shown once), or none
 *   GET/POST /invite/:token          choose a password for an invitation (the first admin's too)
 *   GET      /people, POST /people/invite   admins: the accounts, and an invitation link
 */
import { HTTPException } from "hono/http-exception";
import { canonicalLogin } from "../../shared/accounts/account-record.ts";
import { log } from "../../shared/log.ts";
import { AccountPage, ChoosePasswordPage, PeoplePage, SignInPage } from "../views/account-pages.tsx";
import { LoginLimiter } from "./login-limiter.ts";
import { originOf, type PeopleApp, type PeopleDeps } from "./people-deps.ts";
import { clearSessionCookie, formOf, requireAdmin, requirePerson, setSessionCookie } from "./session.ts";

/** Only a path of this view may follow a sign-in (no open redirect). */
const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[^\\\s]{0,200}$/.test(next) ? next : "/watches");

export function accountRoutes(app: PeopleApp, deps: PeopleDeps) {
  const { accounts, settings, ctx } = deps;
  const limiter = new LoginLimiter({
    perLogin: settings.loginAttempts,
    perClient: settings.loginAttemptsPerClient,
    windowMs: settings.loginWindow,
    tracked: settings.loginTracked,
  }, deps.clock);

  app.get("/login", (c) => c.html(<SignInPage ctx={ctx} next={safeNext(c.req.query("next"))} />));

  app.post("/login", async (c) => {
    const form = await formOf(c);
    const next = safeNext(form.next);
    const loginText = (form.login ?? "").slice(0, 200);
    // the limit's key is the login as it would be stored: unknown logins are limited the same way
    const key = canonicalLogin(loginText) ?? "(malformed)";
    const admission = await limiter.admit(key, deps.clientOf(c));
    if (!admission.ok) {
      return c.html(
        <SignInPage
          ctx={ctx}
          next={next}
          login={loginText}
          errors={{ password: `Too many attempts: try again in ${admission.retryAfterSeconds} seconds.` }}
        />,
        429,
        { "retry-after": String(admission.retryAfterSeconds) },
      );
    }
    let account;
    try {
      account = await accounts.checkPassword(loginText, form.password ?? "");
    } finally {
      admission.release(account === null || account === undefined);
    }
    if (!account) {
      log("info", "sign_in_refused", {}); // never the login or the password
      return c.html(
        <SignInPage
          ctx={ctx}
          next={next}
          login={loginText}
          errors={{ password: "That login and password do not match." }}
        />,
        401,
      );
    }
    setSessionCookie(c, await accounts.newSession(account.id), settings.sessionDays);
    log("info", "signed_in", { account_id: account.id });
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    await formOf(c);
    const person = c.get("person");
    if (person) await accounts.endSession(person.sessionHash);
    clearSessionCookie(c);
    return c.redirect("/", 303);
  });

  app.post("/logout-everywhere", async (c) => {
    const person = requirePerson(c);
    await formOf(c);
    await accounts.endAllSessions(person.account.id);
    clearSessionCookie(c);
    return c.html(<SignInPage ctx={ctx} next="/watches" notice="Every session of your account has ended." />);
  });

  app.get("/account", (c) => {
    const person = requirePerson(c);
    return c.html(<AccountPage ctx={ctx} account={person.account} csrf={person.csrf} />);
  });

  app.post("/account/password", async (c) => {
    const person = requirePerson(c);
    const form = await formOf(c);
    // two hashes each: the sign-in's limits (per login, per client, hashes at once) hold here too,
    // so a stolen session cannot guess the password or take the cores through this form
    const admission = await limiter.admit(person.account.login, deps.clientOf(c));
    if (!admission.ok) {
      return c.html(
        <AccountPage
          ctx={ctx}
          account={person.account}
          csrf={person.csrf}
          errors={{ current: `Too many attempts: try again in ${admission.retryAfterSeconds} seconds.` }}
        />,
        429,
        { "retry-after": String(admission.retryAfterSeconds) },
      );
    }
    let changed;
    try {
      changed = await accounts.changePassword(person.account.id, form.current ?? "", form.password ?? "");
    } finally {
      // a wrong current password counts against the login, as a wrong sign-in does
      admission.release(changed === undefined || (!changed.ok && changed.field === "current"));
    }
    if (!changed.ok) {
      return c.html(
        <AccountPage
          ctx={ctx}
          account={person.account}
          csrf={person.csrf}
          errors={{ [changed.field]: changed.error }}
        />,
        400,
      );
    }
    // every session ended with the change: this browser begins a new one
    setSessionCookie(c, await accounts.newSession(person.account.id), settings.sessionDays);
    return c.redirect("/account", 303);
  });

  app.post("/account/feed", async (c) => {
    const person = requirePerson(c);
    await formOf(c);
    const token = await accounts.newFeedToken(person.account.id);
    const account = accounts.book.account(person.account.id)!;
    const feedUrl = `${originOf(deps, c.req.url)}/feeds/${token}.atom`;
    return c.html(<AccountPage ctx={ctx} account={account} csrf={person.csrf} feedUrl={feedUrl} />);
  });

  app.post("/account/feed/revoke", async (c) => {
    const person = requirePerson(c);
    await formOf(c);
    await accounts.revokeFeed(person.account.id);
    return c.redirect("/account", 303);
  });

  app.get("/invite/:token", async (c) => {
    const invite = await accounts.openInvite(c.req.param("token"));
    if (!invite) throw new HTTPException(404, { message: "this invitation has expired or was used" });
    return c.html(
      <ChoosePasswordPage
        ctx={ctx}
        token={c.req.param("token")}
        login={invite.login}
        role={invite.role}
        action={`/invite/${c.req.param("token")}`}
      />,
    );
  });

  app.post("/invite/:token", async (c) => {
    const form = await formOf(c);
    const token = c.req.param("token");
    const invite = await accounts.openInvite(token);
    if (!invite) throw new HTTPException(404, { message: "this invitation has expired or was used" });
    const made = await accounts.acceptInvite(token, form.password ?? "");
    if (!made.ok) {
      return c.html(
        <ChoosePasswordPage
          ctx={ctx}
          token={token}
          login={invite.login}
          role={invite.role}
          action={`/invite/${token}`}
          errors={{ [made.field === "token" ? "password" : made.field]: made.error }}
        />,
        400,
      );
    }
    setSessionCookie(c, await accounts.newSession(made.value.id), settings.sessionDays);
    return c.redirect("/watches", 303);
  });

  app.get("/people", (c) => {
    const person = requireAdmin(c);
    return c.html(<PeoplePage ctx={ctx} csrf={person.csrf} people={accounts.book.allAccounts()} />);
  });

  app.post("/people/invite", async (c) => {
    const person = requireAdmin(c);
    const form = await formOf(c);
    const role = form.role === "admin" ? "admin" : "member";
    const invited = await accounts.invite(form.login ?? "", role, person.account.id);
    const people = accounts.book.allAccounts();
    if (!invited.ok) {
      return c.html(
        <PeoplePage
          ctx={ctx}
          csrf={person.csrf}
          people={people}
          login={form.login}
          errors={{ [invited.field]: invited.error }}
        />,
        400,
      );
    }
    const inviteUrl = `${originOf(deps, c.req.url)}/invite/${invited.value}`;
    return c.html(<PeoplePage ctx={ctx} csrf={person.csrf} people={people} inviteUrl={inviteUrl} />);
  });
}
