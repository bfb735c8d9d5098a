/**
 * Who is asking, for the rate limit: the connecting address, or, behind proxies the operator
 * says are there (OFERTAS_WEB_TRUSTED_PROXY_HOPS), the address the farthest trusted proxy saw.
 * Each proxy appends the address it was connected from to X-Forwarded-For, so with N trusted
 * proxies the client is the N-th entry from the right; entries further left are whatever the
 * client wrote and are never believed. With no trusted proxy the header is ignored. An IPv6
 * client is counted by its /64, which one host usually holds whole.
 */
import { isIP } from "node:net";

/** What Bun's server (`requestIP`) and Deno's handler info (`remoteAddr`) say about the connection. */
interface ConnectionInfo {
  requestIP?: (request: Request) => { address: string } | null;
  remoteAddr?: { hostname?: string };
}

/** The peer's address as the runtime gives it (Hono's `c.env` is the runtime's second argument), or null. */
export function connectingAddress(env: unknown, request: Request): string | null {
  const info = env as ConnectionInfo | undefined;
  try {
    if (typeof info?.requestIP === "function") return info.requestIP(request)?.address ?? null;
  } catch {
    return null; // a request that did not come through this server (a test's app.fetch)
  }
  return info?.remoteAddr?.hostname ?? null;
}

/** The client's address: the connecting one, or the one `trustedHops` proxies vouch for. */
export function clientAddress(connecting: string | null, forwardedFor: string | null, trustedHops: number): string {
  if (trustedHops > 0 && forwardedFor) {
    const hops = forwardedFor.slice(0, 2_000).split(",").map((s) => s.trim());
    const vouched = hops.length >= trustedHops ? hops[hops.length - trustedHops] : undefined;
    if (vouched && isIP(vouched)) return vouched;
  }
  return connecting ?? "unknown";
}

/** The rate limit's key for an address: an IPv4 address itself, an IPv6 address's /64. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => g.padStart(4, "0")).join(":")}::/64`;
}
