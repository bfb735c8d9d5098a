/**
 * What kind of address an IP is, decided on its bytes (never on its spelling): the channel
 * target guard's ranges. `[::ffff:127.0.0.1]` is written `[::ffff:7f00:1]` once a URL parser has
 * normalised it, and `64:ff9b::7f00:1` (NAT64) or `2002:7f00:1::` (6to4) reach 127.0.0.1 too:
 * an IPv6 address that carries an IPv4 one is as dangerous as that IPv4 address.
 *
 * - loopback: 127/8, ::1;
 * - private (a deployment may allow them): 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT),
 *   169.254/16 (link-local, the metadata server), 198.18/15 (benchmarking, used inside networks),
 *   fc00::/7, fe80::/10, fec0::/10 (site-local), 64:ff9b:1::/48 (local-use NAT64);
 * - reserved (never a target): 0/8, 192.0.0/24, the documentation ranges (192.0.2/24,
 *   198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20), 192.88.99/24, multicast (224/4,
 *   ff00::/8), 240/4 with the broadcast address, ::, 100::/64, 2001::/23 (Teredo among them), and
 *   every IPv6 address outside global unicast 2000::/3;
 * - IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96), NAT64 (64:ff9b::/96) and
 *   6to4 (2002::/16) addresses: the kind of the IPv4 address they carry; IPv4-compatible
 *   (::/96, deprecated) the same, but never public;
 * - public: the rest.
 */

export type AddressKind = "loopback" | "private" | "reserved" | "public";

/** `a.b.c.d`, each part 0-255 in decimal without leading zeros (as resolvers write it). */
export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

/** An IPv6 address (brackets allowed, no zone), `::` and a trailing dotted IPv4 included. */
export function parseIPv6(text: string): Uint8Array | null {
  const address = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!/^[0-9A-Fa-f:.]{2,45}$/.test(address)) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === "") return [];
    const groups: number[] = [];
    const parts = half.split(":");
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIPv4(part);
        if (!v4) return null;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
        groups.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  // a dotted IPv4 may only end the address
  if (halves.length === 2 && halves[0]!.includes(".")) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** Whether the first `bits` bits of `bytes` are those of `prefix`. */
function within(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
    if ((bytes[bit / 8]! & mask) !== ((prefix[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

const V4_RANGES: ReadonlyArray<[readonly number[], number, AddressKind]> = [
  [[0], 8, "reserved"],
  [[127], 8, "loopback"],
  [[10], 8, "private"],
  [[172, 16], 12, "private"],
  [[192, 168], 16, "private"],
  [[100, 64], 10, "private"],
  [[169, 254], 16, "private"],
  [[198, 18], 15, "private"],
  [[192, 0, 0], 24, "reserved"],
  [[192, 0, 2], 24, "reserved"],
  [[198, 51, 100], 24, "reserved"],
  [[203, 0, 113], 24, "reserved"],
  [[192, 88, 99], 24, "reserved"],
  [[224], 4, "reserved"],
  [[240], 4, "reserved"],
];

export function ipv4Kind(bytes: Uint8Array): AddressKind {
  return V4_RANGES.find(([prefix, bits]) => within(bytes, prefix, bits))?.[2] ?? "public";
}

const V6_RANGES: ReadonlyArray<[readonly number[], number, AddressKind]> = [
  [[0x01, 0x00], 64, "reserved"],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, "private"],
  [[0x20, 0x01, 0x0d, 0xb8], 32, "reserved"],
  [[0x20, 0x01, 0x00], 23, "reserved"],
  [[0x3f, 0xff], 20, "reserved"],
  [[0xfc], 7, "private"],
  [[0xfe, 0x80], 10, "private"],
  [[0xfe, 0xc0], 10, "private"],
  [[0xff], 8, "reserved"],
  [[0x20], 3, "public"],
];

const MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const TRANSLATED = [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0];
const NAT64 = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

export function ipv6Kind(bytes: Uint8Array): AddressKind {
  if (within(bytes, [], 128)) return "reserved";
  if (within(bytes, [...Array(15).fill(0), 1], 128)) return "loopback";
  if (within(bytes, MAPPED, 96) || within(bytes, TRANSLATED, 96) || within(bytes, NAT64, 96)) {
    return ipv4Kind(bytes.subarray(12));
  }
  if (within(bytes, [], 96)) {
    const kind = ipv4Kind(bytes.subarray(12));
    return kind === "public" ? "reserved" : kind;
  }
  if (within(bytes, [0x20, 0x02], 16)) return ipv4Kind(bytes.subarray(2, 6));
  return V6_RANGES.find(([prefix, bits]) => within(bytes, prefix, bits))?.[2] ?? "reserved";
}

/** The kind of an IP address in text; what is not an IP address is reserved (refused). */
export function addressKind(ip: string): AddressKind {
  const v4 = parseIPv4(ip);
  if (v4) return ipv4Kind(v4);
  const v6 = parseIPv6(ip);
  return v6 ? ipv6Kind(v6) : "reserved";
}

/** 4 or 6 for an IP address in text, 0 for anything else (a host name). */
export function ipVersion(text: string): 0 | 4 | 6 {
  return parseIPv4(text) ? 4 : parseIPv6(text) ? 6 : 0;
}
