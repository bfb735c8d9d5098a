/**
 * Where a channel may send: https to a public address. Plain http only to loopback, and only
 * when the deployment allows loopback (development); private, link-local (the metadata server)
 * and carrier-grade NAT ranges only when it allows private targets. The host is resolved and every
 * address it resolves to is checked, so a public name pointing at 10.0.0.5 is refused too.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export interface TargetPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
  /** Addresses of a host (tests pin them). */
  resolve?: (host: string) => Promise<string[]>;
}

export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetRefused";
  }
}

type Kind = "loopback" | "private" | "public";

function v4Kind(ip: string): Kind {
  const [a, b] = ip.split(".").map(Number) as [number, number];
  if (a === 127) return "loopback";
  if (a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if ((a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) return "private";
  return "public";
}

export function addressKind(ip: string): Kind {
  if (isIP(ip) === 4) return v4Kind(ip);
  const low = ip.toLowerCase().replace(/^\[|\]$/g, "");
  if (low === "::1") return "loopback";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(low);
  if (mapped) return v4Kind(mapped[1]!);
  if (low === "::" || /^f[cd]/.test(low) || /^fe[89ab]/.test(low)) return "private";
  return "public";
}

const defaultResolve = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);

export async function checkTarget(url: URL, policy: TargetPolicy): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : await (policy.resolve ?? defaultResolve)(host).catch((error: Error) => {
    throw new TargetRefused(`cannot resolve ${host}: ${error.message}`);
  });
  if (addresses.length === 0) throw new TargetRefused(`${host} has no address`);
  const kinds = new Set(addresses.map(addressKind));
  if (kinds.has("loopback") && !policy.allowLoopback) {
    throw new TargetRefused(`${host} is a loopback address (allowed only with OFERTAS_ALERT_ALLOW_LOOPBACK=true)`);
  }
  if (kinds.has("private") && !policy.allowPrivate) {
    throw new TargetRefused(`${host} is in a private range (allowed only with OFERTAS_ALERT_ALLOW_PRIVATE=true)`);
  }
  if (url.protocol === "http:" && kinds.has("public")) {
    throw new TargetRefused(`${host} is reached over plain http; use https (jsons://, ntfys://)`);
  }
}
