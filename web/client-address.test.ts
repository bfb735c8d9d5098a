/**
 * Who is asking: the connecting address unless the operator trusts proxies, then the address
 * the farthest trusted proxy saw (never what the client wrote further left); IPv6 by its /64.
 */
import { expect, test } from "bun:test";
import { clientAddress, clientKey, connectingAddress } from "./client-address.ts";

test("client: the connecting address from Bun's server or Deno's handler info; none from a plain call", () => {
  const request = new Request("http://web/");
  expect(connectingAddress({ requestIP: () => ({ address: "198.51.100.4" }) }, request)).toBe("198.51.100.4");
  expect(connectingAddress({ remoteAddr: { hostname: "198.51.100.5" } }, request)).toBe("198.51.100.5");
  expect(connectingAddress(undefined, request)).toBe(null);
  expect(connectingAddress({ requestIP: () => null }, request)).toBe(null);
  expect(connectingAddress({
    requestIP: () => {
      throw new Error("not this server's");
    },
  }, request)).toBe(null);
});

test("client: X-Forwarded-For is ignored unless proxies are trusted, then read from the right", () => {
  const xff = "1.1.1.1, 203.0.113.9, 10.0.0.2";
  expect(clientAddress("10.0.0.1", xff, 0)).toBe("10.0.0.1"); // not trusted: a client cannot pick its bucket
  expect(clientAddress("10.0.0.1", xff, 1)).toBe("10.0.0.2");
  expect(clientAddress("10.0.0.1", xff, 2)).toBe("203.0.113.9");
  expect(clientAddress("10.0.0.1", "203.0.113.9", 2)).toBe("10.0.0.1"); // fewer hops than trusted
  expect(clientAddress("10.0.0.1", "spoofed, not-an-ip", 1)).toBe("10.0.0.1");
  expect(clientAddress(null, null, 1)).toBe("unknown");
});

test("client: IPv4 is its own key; IPv6 is keyed by its /64, whatever its spelling", () => {
  expect(clientKey("203.0.113.9")).toBe("203.0.113.9");
  expect(clientKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
  expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:0db8:0001:0002::/64");
  expect(clientKey("2001:DB8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:0db8:0001:0002::/64");
  expect(clientKey("2001:db8::1")).toBe("2001:0db8:0000:0000::/64");
  expect(clientKey("::1")).toBe("0000:0000:0000:0000::/64");
  expect(clientKey("fe80::1%eth0")).toBe("fe80:0000:0000:0000::/64");
  expect(clientKey("unknown")).toBe("unknown");
});
