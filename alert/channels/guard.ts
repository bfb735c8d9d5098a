/**
 * Where a channel may send: https to a public address. Plain http only to loopback or private
 * addresses, and only when the deployment allows those (loopback: development); private,
 * link-local (the metadata server) and carrier-grade NAT ranges only when it allows private
 * targets; reserved ranges (multicast, documentation, …) never. Addresses are classified by
 * their bytes (ip-address.ts). The host is resolved once, every address it resolves to is
 * checked, and the caller connects to the address returned (pinned-http.ts, email.ts): there is
 * no second resolution a DNS answer could change in between (rebinding).
 */
import { lookup } from "node:dns/promises";
import { type AddressKind, addressKind, ipVersion } from "./ip-address.ts";

export interface TargetPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
  /** Addresses of a host (tests pin them). */
  resolve?: (host: string) => Promise<string[]>;
  /** CA certificates (PEM) trusted besides the system's: the tests' local TLS servers. */
  ca?: string;
}

export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetRefused";
  }
}

/** A host that passed the guard, and the address to connect to. */
export interface CheckedTarget {
  /** The name as written (no brackets): the TLS server name and the certificate's subject. */
  host: string;
  address: string;
  family: 4 | 6;
  /** Every address of the host is loopback (a development relay on this machine). */
  loopbackOnly: boolean;
  kinds: ReadonlySet<AddressKind>;
}

/** At most this many addresses of one host are looked at. */
const MAX_ADDRESSES = 16;

const defaultResolve = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);

/** Resolves a host and refuses it unless every address is allowed by the policy. */
export async function resolveTarget(hostname: string, policy: TargetPolicy): Promise<CheckedTarget> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new TargetRefused("no host");
  const addresses = ipVersion(host) ? [host] : await (policy.resolve ?? defaultResolve)(host).catch((error: Error) => {
    throw new TargetRefused(`cannot resolve ${host}: ${error.message}`);
  });
  if (addresses.length === 0) throw new TargetRefused(`${host} has no address`);
  const kinds = new Set(addresses.slice(0, MAX_ADDRESSES).map(addressKind));
  if (kinds.has("reserved")) {
    throw new TargetRefused(`${host} is a reserved address (multicast, broadcast, documentation or unrouted)`);
  }
  if (kinds.has("loopback") && !policy.allowLoopback) {
    throw new TargetRefused(
      `${host} is a loopback address (allowed only with OFERTAS_ALERT_ALLOW_LOOPBACK=true, as npm start's alerter has it: \`npm run alerts -- test <channel>\` judges with its settings)`,
    );
  }
  if (kinds.has("private") && !policy.allowPrivate) {
    throw new TargetRefused(`${host} is in a private range (allowed only with OFERTAS_ALERT_ALLOW_PRIVATE=true)`);
  }
  const address = addresses[0]!.replace(/^\[|\]$/g, "");
  return {
    host,
    address,
    family: ipVersion(address) === 6 ? 6 : 4,
    loopbackOnly: kinds.size === 1 && kinds.has("loopback"),
    kinds,
  };
}

/** An http(s) URL's host through the guard; plain http never to a public address. */
export async function checkTarget(url: URL, policy: TargetPolicy): Promise<CheckedTarget> {
  const target = await resolveTarget(url.hostname, policy);
  if (url.protocol === "http:" && target.kinds.has("public")) {
    throw new TargetRefused(`${target.host} is reached over plain http; use https (jsons://, ntfys://)`);
  }
  return target;
}
