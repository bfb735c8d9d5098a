/**
 * What the accounts topic (`ofertas.accounts`, compacted, one partition) says, in log order, as
 * every reader keeps it (the web view, the alerter, the command line): accounts, sessions,
 * invitations, channels and mutes, each record kind under a key prefix of its own (as the
 * watches topic keeps watches and requests apart), so compaction keeps the last of each.
 *
 *   account/<id>           the account (account-record.ts)
 *   session/<token hash>   a session (session-record.ts)
 *   invite/<token hash>    an invitation or the first admin's setup (invite-record.ts)
 *   channel/<id>           a person's channel, its secret sealed (channel-record.ts)
 *   mute/<id>              a mute (mute-record.ts)
 *
 * A login belongs to the first account record that claims it in log order: a later record of
 * another id with the same login is ignored by every reader, so two admins inviting the same
 * person at once make one account. Likewise a change of an account is taken only when its
 * `version` is the previous one + 1: of two writers changing the same version, the first in log
 * order wins and the other's record is ignored (its writer applies its change again on the winner).
 * An account seen for the first time is taken whatever its version (compaction removes the older
 * ones). A new channel of a person who holds MAX_CHANNELS_PER_PERSON already is ignored (the
 * first ones in log order are kept; its writer removes it). Records that do not parse are
 * skipped with a warning.
 */
import * as v from "valibot";
import { log } from "../log.ts";
import { parseJsonText } from "../json-text.ts";
import { type Account, AccountSchema } from "./account-record.ts";
import { type ChannelRecord, ChannelRecordSchema, MAX_CHANNELS_PER_PERSON } from "./channel-record.ts";
import { type Invite, InviteSchema } from "./invite-record.ts";
import { covers, type MutableAlert, type Mute, MuteSchema } from "./mute-record.ts";
import { type Session, SessionSchema } from "./session-record.ts";

export const accountKey = (id: string) => `account/${id}`;
export const sessionKey = (hash: string) => `session/${hash}`;
export const inviteKey = (hash: string) => `invite/${hash}`;
export const channelKey = (id: string) => `channel/${id}`;
export const muteKey = (id: string) => `mute/${id}`;

// deno-lint-ignore no-explicit-any
const SCHEMAS: Record<string, v.GenericSchema<any, any>> = {
  account: AccountSchema,
  session: SessionSchema,
  invite: InviteSchema,
  channel: ChannelRecordSchema,
  mute: MuteSchema,
};

export class AccountBook {
  private readonly accounts = new Map<string, Account>();
  private readonly byLogin = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();
  private readonly invites = new Map<string, Invite>();
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly mutes = new Map<string, Mute>();
  /** Called after each change a reader may react to (the alerter rebuilds a channel). */
  onChannel: (id: string, channel: ChannelRecord | null) => void = () => {};

  /** A record of the accounts topic, in log order; false when it was refused (stale or unreadable). */
  apply(key: string, value: string | null): boolean {
    const slash = key.indexOf("/");
    const kind = key.slice(0, slash);
    const id = key.slice(slash + 1);
    const schema = SCHEMAS[kind];
    if (!schema || !id) return false;
    if (value === null) {
      this.remove(kind, id);
      return true;
    }
    const parsed = v.safeParse(schema, parseJsonText(value));
    if (!parsed.success || parsed.output.type !== kind || ("id" in parsed.output && parsed.output.id !== id)) {
      log("warn", "account_record_ignored", { key: key.slice(0, 90), reason: "not a valid record" });
      return false;
    }
    switch (kind) {
      case "account": {
        const account = parsed.output as Account;
        const holder = this.byLogin.get(account.login);
        if (holder && holder !== id) return false; // the login is another account's (first in log order)
        const previous = this.accounts.get(id);
        // made from a stale copy: another change of that version came first in log order
        if (previous && account.version !== previous.version + 1) return false;
        if (previous && previous.login !== account.login) this.byLogin.delete(previous.login);
        this.accounts.set(id, account);
        this.byLogin.set(account.login, id);
        return true;
      }
      case "session":
        this.sessions.set(id, parsed.output as Session);
        return true;
      case "invite":
        this.invites.set(id, parsed.output as Invite);
        return true;
      case "channel": {
        const channel = parsed.output as ChannelRecord;
        // past the cap in log order: not taken by any reader (the first ones hold)
        if (!this.channels.has(id) && this.channelsOf(channel.owner).length >= MAX_CHANNELS_PER_PERSON) return false;
        this.channels.set(id, channel);
        this.onChannel(id, channel);
        return true;
      }
      case "mute":
        this.mutes.set(id, parsed.output as Mute);
        return true;
    }
    return false;
  }

  private remove(kind: string, id: string): void {
    if (kind === "account") {
      const account = this.accounts.get(id);
      if (account && this.byLogin.get(account.login) === id) this.byLogin.delete(account.login);
      this.accounts.delete(id);
    } else if (kind === "session") this.sessions.delete(id);
    else if (kind === "invite") this.invites.delete(id);
    else if (kind === "channel") {
      this.channels.delete(id);
      this.onChannel(id, null);
    } else if (kind === "mute") this.mutes.delete(id);
  }

  account(id: string): Account | null {
    return this.accounts.get(id) ?? null;
  }

  accountByLogin(login: string): Account | null {
    const id = this.byLogin.get(login);
    return id ? this.accounts.get(id) ?? null : null;
  }

  allAccounts(): Account[] {
    return [...this.accounts.values()].sort((a, b) => (a.login < b.login ? -1 : 1));
  }

  get hasAdmin(): boolean {
    return [...this.accounts.values()].some((a) => a.role === "admin");
  }

  /** The account a session token's hash signs in, at `now`; null when ended, expired or void. */
  sessionAccount(hash: string, now: number): Account | null {
    const session = this.sessions.get(hash);
    if (!session || Date.parse(session.expires_at) <= now) return null;
    const account = this.accounts.get(session.account_id);
    if (!account || session.epoch !== account.session_epoch) return null;
    return account;
  }

  /** The hashes of an account's sessions (to end them all). */
  sessionsOf(accountId: string): string[] {
    return [...this.sessions].filter(([, s]) => s.account_id === accountId).map(([hash]) => hash);
  }

  invite(hash: string, now: number): Invite | null {
    const invite = this.invites.get(hash);
    return invite && Date.parse(invite.expires_at) > now ? invite : null;
  }

  accountByFeedHash(hash: string): Account | null {
    for (const a of this.accounts.values()) if (a.feed_token_hash === hash) return a;
    return null;
  }

  channel(id: string): ChannelRecord | null {
    return this.channels.get(id) ?? null;
  }

  channelsOf(owner: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.owner === owner).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  allChannels(): ChannelRecord[] {
    return [...this.channels.values()];
  }

  mute(id: string): Mute | null {
    return this.mutes.get(id) ?? null;
  }

  /** An owner's mutes still in force at `now`. */
  mutesOf(owner: string, now: number): Mute[] {
    return [...this.mutes.values()].filter((m) => m.owner === owner && Date.parse(m.until) > now);
  }

  /** An owner's mutes whose time is over (to be removed from the topic). */
  expiredMutesOf(owner: string, now: number): Mute[] {
    return [...this.mutes.values()].filter((m) => m.owner === owner && Date.parse(m.until) <= now);
  }

  /** Whether a mute of `owner` covers the alert at `now`. */
  isMuted(owner: string, alert: MutableAlert, now: number): boolean {
    for (const m of this.mutes.values()) if (m.owner === owner && covers(m, alert, now)) return true;
    return false;
  }
}
