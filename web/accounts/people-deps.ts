/**
 * What the pages of accounts, watches, channels and mutes share: the stores (accounts on their
 * topic, watches through the watches' own store, so one path validates every watch), the keys,
 * and the settings. Built once by web/server.ts (or a test) and handed to each route family.
 */
import type { Hono } from "hono";
import type { AccountStore } from "../../shared/accounts/account-store.ts";
import type { AccountsSettings } from "../../shared/accounts/accounts-settings.ts";
import type { LinkSigner } from "../../shared/accounts/signed-token.ts";
import type { SecretBox } from "../../shared/accounts/secret-box.ts";
import type { SiteCode } from "../../shared/sites.ts";
import type { ChannelOptions } from "../../alert/channels/channels.ts";
import type { OperatorRelays } from "../../alert/channels/person-channel.ts";
import type { PutResult } from "../../edge/watches/watch-store.ts";
import type { WatchView } from "../watch-source.ts";
import type { PageContext } from "../views/layout.tsx";
import type { WebEnv } from "../app.tsx";

/** The watches' store as the pages use it (edge/watches/watch-store.ts is one). */
export interface WatchWriter {
  readonly ready: boolean;
  list(): WatchView[];
  get(id: string): WatchView | null;
  put(id: string, input: unknown): Promise<PutResult>;
  remove(id: string): Promise<boolean>;
}

export interface PeopleDeps {
  accounts: AccountStore;
  watches: WatchWriter;
  settings: AccountsSettings;
  /** Seals people's channel secrets; null: no OFERTAS_SECRETS_KEY, no people's channels. */
  box: SecretBox | null;
  /** Signs and checks mute links; null: no OFERTAS_LINK_KEY. */
  signer: LinkSigner | null;
  relays: OperatorRelays;
  channelOptions: ChannelOptions;
  sites: readonly SiteCode[];
  ctx: PageContext;
  /** Who the client is, for the sign-in limits (web/client-address.ts). */
  clientOf: (c: import("hono").Context) => string;
  clock?: () => number;
}

export type PeopleEnv = WebEnv;
export type PeopleApp = Hono<PeopleEnv>;

/** The address of this view as people reach it, for links (OFERTAS_PUBLIC_URL, or the request's). */
export function originOf(deps: PeopleDeps, requestUrl: string): string {
  return deps.settings.publicUrl ?? new URL(requestUrl).origin;
}
