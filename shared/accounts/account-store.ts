/**
 * Reads and writes of accounts, sessions, invitations and feed tokens on the accounts topic
 * (account-book.ts says what the topic holds). A write returns once it has been read back, so
 * the next request sees it, and a decision made in log order (who holds a login) is known to the
 * writer. Passwords are hashed here (password-hash.ts) and never leave the hash; tokens are
 * random, handed to the caller once, and kept on the topic as their SHA-256 only.
 * Every change of an account goes through `update`: made on the latest record, as its next
 * version, and made again on the winner when another change of that version came first.
 * The web view, the command line (`users add`) and the tests share it.
 */
import type { KeyedLog } from "../keyed-log.ts";
import { log } from "../log.ts";
import { DAY_MS } from "../duration.ts";
import { AccountBook, accountKey, inviteKey, sessionKey } from "./account-book.ts";
import { type Account, canonicalLogin, type Role } from "./account-record.ts";
import { newId, newToken, TOKEN_PATTERN, tokenHash } from "./account-ids.ts";
import type { Invite } from "./invite-record.ts";
import { hashPassword, needsRehash, passwordProblem, type ScryptParameters, verifyPassword } from "./password-hash.ts";
import type { Session } from "./session-record.ts";

/** Sessions one account keeps at once; a sign-in past it ends the oldest. */
export const MAX_SESSIONS_PER_ACCOUNT = 20;
export const INVITE_DAYS = 7;
/** Tries of one account change against other changes of the same account before it gives up. */
export const MAX_UPDATE_ATTEMPTS = 8;

export type Outcome<T> = { ok: true; value: T } | { ok: false; field: string; error: string };

export interface AccountStoreOptions {
  sessionDays: number;
  /** Tests lower the hash's cost; production uses OWASP's. */
  hashParameters?: ScryptParameters;
  clock?: () => number;
}

export class AccountStore {
  readonly book = new AccountBook();
  private started: Promise<void> | null = null;
  private isReady = false;
  private readonly clock: () => number;
  /** A hash of no password: a sign-in with an unknown login costs what a known one costs. */
  private readonly decoy: Promise<string>;
  /** Account records this store wrote and awaits, by their text: whether the book took them. */
  private readonly awaited = new Map<string, boolean>();

  constructor(
    private readonly logs: KeyedLog,
    private readonly topic: string,
    private readonly options: AccountStoreOptions,
    /** Other topics read by the same log (their records go to `other`). */
    private readonly other: (topic: string, key: string, value: string | null) => void = () => {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.decoy = hashPassword(newToken(), options.hashParameters);
  }

  start(): Promise<void> {
    return this.started ??= this.logs.start((r) => {
      if (r.topic === this.topic) {
        const taken = this.book.apply(r.key, r.value);
        if (taken && r.value !== null && this.awaited.has(r.value)) this.awaited.set(r.value, true);
      } else this.other(r.topic, r.key, r.value);
    }).then(() => {
      this.isReady = true;
      log("info", "accounts_loaded", { accounts: this.book.allAccounts().length });
    });
  }

  get ready(): boolean {
    return this.isReady;
  }

  private iso(ms = this.clock()): string {
    return new Date(ms).toISOString();
  }

  /** Resolves once every record written before the call (by any instance) is read. */
  catchUp(): Promise<void> {
    return this.logs.catchUp();
  }

  async write(key: string, value: unknown | null): Promise<void> {
    const position = await this.logs.append(this.topic, key, value === null ? null : JSON.stringify(value));
    await this.logs.reached(position);
  }

  /** A new account; refused when the login is taken (decided in log order) or the password too weak. */
  async createAccount(loginText: string, role: Role, password: string): Promise<Outcome<Account>> {
    const login = canonicalLogin(loginText);
    if (!login) {
      return { ok: false, field: "login", error: "a login is 3-80 of a-z 0-9 . _ + @ -, like an e-mail address" };
    }
    const weak = passwordProblem(password);
    if (weak) return { ok: false, field: "password", error: weak };
    await this.logs.catchUp();
    if (this.book.accountByLogin(login)) return { ok: false, field: "login", error: "that login is taken" };
    const now = this.iso();
    const account: Account = {
      type: "account",
      id: newId("u"),
      login,
      role,
      password_hash: await hashPassword(password, this.options.hashParameters),
      session_epoch: 0,
      version: 0,
      feed_token_hash: null,
      created_at: now,
      updated_at: now,
    };
    await this.write(accountKey(account.id), account);
    // two writers at once: the first record in log order holds the login
    if (this.book.accountByLogin(login)?.id !== account.id) {
      return { ok: false, field: "login", error: "that login is taken" };
    }
    log("info", "account_created", { account_id: account.id, role });
    return { ok: true, value: account };
  }

  /**
   * The account whose login and password these are, or null. An unknown login costs a hash too
   * (the same time, the same answer: no account enumeration). A hash of weaker parameters is
   * replaced at a successful sign-in.
   */
  async checkPassword(loginText: string, password: string): Promise<Account | null> {
    const login = canonicalLogin(loginText);
    const account = login ? this.book.accountByLogin(login) : null;
    const verified = account?.password_hash;
    const ok = await verifyPassword(password, verified ?? await this.decoy);
    if (!account || !ok) return null;
    if (needsRehash(account.password_hash, this.options.hashParameters)) {
      const rehashed = await hashPassword(password, this.options.hashParameters);
      // only while the hash is still the one verified: never over a password changed meanwhile
      await this.update(account.id, (a) => (a.password_hash === verified ? { ...a, password_hash: rehashed } : null));
    }
    return this.book.account(account.id);
  }

  /**
   * Changes an account: `change` is given the latest record (null: nothing to change) and its
   * result written as the next version. When another change of that version came first in log
   * order, ours was refused by every reader: `change` is applied again on the winner. Resolves
   * with the account as it now is (null: no such account); throws after MAX_UPDATE_ATTEMPTS.
   */
  async update(accountId: string, change: (latest: Account) => Account | null): Promise<Account | null> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      await this.logs.catchUp();
      const latest = this.book.account(accountId);
      if (!latest) return null;
      const changed = change(latest);
      if (!changed) return latest;
      const text = JSON.stringify({ ...changed, id: latest.id, version: latest.version + 1, updated_at: this.iso() });
      this.awaited.set(text, false);
      try {
        const position = await this.logs.append(this.topic, accountKey(accountId), text);
        await this.logs.reached(position);
        if (this.awaited.get(text)) return this.book.account(accountId);
      } finally {
        this.awaited.delete(text);
      }
      log("info", "account_change_retried", { account_id: accountId, attempt: attempt + 1 });
      // a random pause, longer each time, so writers that keep colliding drift apart
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
    }
    throw new Error(`account ${accountId} kept changing under ${MAX_UPDATE_ATTEMPTS} tries: try again`);
  }

  /** A new session: its token (for the cookie). The oldest sessions past the bound end. */
  async newSession(accountId: string): Promise<string> {
    const token = newToken();
    const now = this.clock();
    const account = this.book.account(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    const session: Session = {
      type: "session",
      account_id: accountId,
      epoch: account.session_epoch,
      created_at: this.iso(now),
      expires_at: this.iso(now + this.options.sessionDays * DAY_MS),
    };
    await this.write(sessionKey(await tokenHash(token)), session);
    const mine = this.book.sessionsOf(accountId);
    for (const hash of mine.slice(0, Math.max(0, mine.length - MAX_SESSIONS_PER_ACCOUNT))) {
      await this.write(sessionKey(hash), null);
    }
    return token;
  }

  /** The account a session token signs in now, or null. */
  async sessionAccount(token: string): Promise<{ account: Account; hash: string } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const hash = await tokenHash(token);
    const account = this.book.sessionAccount(hash, this.clock());
    return account ? { account, hash } : null;
  }

  endSession(hash: string): Promise<void> {
    return this.write(sessionKey(hash), null);
  }

  /** Sign out everywhere: every session begun before now is void, and its record removed. */
  async endAllSessions(accountId: string): Promise<void> {
    const account = await this.update(accountId, (a) => ({ ...a, session_epoch: a.session_epoch + 1 }));
    if (!account) return;
    await this.removeSessions(accountId);
    log("info", "account_signed_out_everywhere", { account_id: accountId });
  }

  /** The session records of an account removed (already void once its epoch was raised). */
  private async removeSessions(accountId: string): Promise<void> {
    for (const hash of this.book.sessionsOf(accountId)) await this.write(sessionKey(hash), null);
  }

  /** A new password, given the current one; every session ends (the caller signs this one in again). */
  async changePassword(accountId: string, current: string, next: string): Promise<Outcome<null>> {
    const weak = passwordProblem(next);
    let nextHash: string | null = null;
    // the current password checked against the latest hash; when the hash moved before our write
    // (a rehash of the same password at a sign-in elsewhere, or a real change), checked again
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      await this.logs.catchUp();
      const verified = this.book.account(accountId)?.password_hash;
      if (!verified || !await verifyPassword(current, verified)) {
        return { ok: false, field: "current", error: "that is not your current password" };
      }
      if (weak) return { ok: false, field: "password", error: weak };
      nextHash ??= await hashPassword(next, this.options.hashParameters);
      const hash = nextHash;
      // one record: the new hash and the end of every session; only over the password verified
      let changed = false;
      await this.update(accountId, (a) => {
        changed = a.password_hash === verified;
        return changed ? { ...a, password_hash: hash, session_epoch: a.session_epoch + 1 } : null;
      });
      if (!changed) continue;
      await this.removeSessions(accountId);
      log("info", "account_password_changed", { account_id: accountId });
      return { ok: true, value: null };
    }
    return { ok: false, field: "current", error: "the password kept changing meanwhile: try again" };
  }

  /** An invitation link's token for a new account of `role` (the first admin's setup too). */
  async invite(loginText: string, role: Role, createdBy: string): Promise<Outcome<string>> {
    const login = canonicalLogin(loginText);
    if (!login) {
      return { ok: false, field: "login", error: "a login is 3-80 of a-z 0-9 . _ + @ -, like an e-mail address" };
    }
    if (this.book.accountByLogin(login)) return { ok: false, field: "login", error: "that login is taken" };
    const token = newToken();
    const invite: Invite = {
      type: "invite",
      login,
      role,
      created_by: createdBy,
      expires_at: this.iso(this.clock() + INVITE_DAYS * DAY_MS),
    };
    await this.write(inviteKey(await tokenHash(token)), invite);
    return { ok: true, value: token };
  }

  async openInvite(token: string): Promise<Invite | null> {
    return TOKEN_PATTERN.test(token) ? this.book.invite(await tokenHash(token), this.clock()) : null;
  }

  /** The invitation taken: the account made with the chosen password, the invitation gone. */
  async acceptInvite(token: string, password: string): Promise<Outcome<Account>> {
    const invite = await this.openInvite(token);
    if (!invite) return { ok: false, field: "token", error: "this invitation has expired or was used" };
    const made = await this.createAccount(invite.login, invite.role, password);
    if (made.ok) await this.write(inviteKey(await tokenHash(token)), null);
    return made;
  }

  /** A new private feed token (the previous one stops working); its URL is shown once. */
  async newFeedToken(accountId: string): Promise<string | null> {
    const token = newToken();
    const hash = await tokenHash(token);
    const account = await this.update(accountId, (a) => ({ ...a, feed_token_hash: hash }));
    return account ? token : null;
  }

  async revokeFeed(accountId: string): Promise<void> {
    await this.update(accountId, (a) => ({ ...a, feed_token_hash: null }));
  }

  async feedAccount(token: string): Promise<Account | null> {
    return TOKEN_PATTERN.test(token) ? this.book.accountByFeedHash(await tokenHash(token)) : null;
  }

  close(): Promise<void> {
    return this.logs.close();
  }
}
