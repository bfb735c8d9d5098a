import { test } from "node:test";
import assert from "node:assert/strict";
import { type AddressKind, addressKind, ipVersion, parseIPv4, parseIPv6 } from "./ip-address.ts";

/** How URL parsers and resolvers write addresses, and what each one really is. */
const KINDS: Array<[string, AddressKind]> = [
  // loopback, however it is spelled
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"], // what new URL("http://[::ffff:127.0.0.1]/") leaves
  ["[::ffff:7f00:1]", "loopback"],
  ["::ffff:0:7f00:1", "loopback"], // IPv4-translated
  ["::127.0.0.1", "loopback"], // IPv4-compatible
  ["64:ff9b::7f00:1", "loopback"], // NAT64
  ["64:ff9b::127.0.0.1", "loopback"],
  ["2002:7f00:1::", "loopback"], // 6to4
  // private: allowed only by OFERTAS_ALERT_ALLOW_PRIVATE
  ["10.1.2.3", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.2", "private"],
  ["100.64.0.1", "private"],
  ["100.127.255.255", "private"],
  ["169.254.169.254", "private"],
  ["::ffff:a9fe:a9fe", "private"], // the metadata server, mapped
  ["::ffff:10.1.2.3", "private"],
  ["2002:a9fe:a9fe::1", "private"],
  ["198.18.0.1", "private"],
  ["198.19.255.255", "private"],
  ["fd00::1", "private"],
  ["fc00::1", "private"],
  ["fe80::1", "private"],
  ["febf::1", "private"],
  ["fec0::1", "private"],
  ["64:ff9b:1::a00:1", "private"],
  // reserved: never a target
  ["0.0.0.0", "reserved"],
  ["0.1.2.3", "reserved"],
  ["224.0.0.1", "reserved"],
  ["239.255.255.250", "reserved"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "reserved"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "reserved"],
  ["198.51.100.7", "reserved"],
  ["203.0.113.9", "reserved"],
  ["::", "reserved"],
  ["::ffff:224.0.0.1", "reserved"],
  ["::8.8.8.8", "reserved"], // IPv4-compatible: deprecated, not routed
  ["ff02::1", "reserved"],
  ["ff05::1:3", "reserved"],
  ["2001:db8::1", "reserved"],
  ["3fff::1", "reserved"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"], // Teredo
  ["2001:2::1", "reserved"],
  ["100::1", "reserved"],
  ["4000::1", "reserved"],
  ["not an address", "reserved"],
  ["127.1", "reserved"], // not how a resolver writes it: refused rather than guessed
  // public
  ["93.184.216.34", "public"],
  ["8.8.8.8", "public"],
  ["172.32.0.1", "public"],
  ["100.128.0.1", "public"],
  ["198.20.0.1", "public"],
  ["223.255.255.255", "public"],
  ["::ffff:8.8.8.8", "public"],
  ["64:ff9b::808:808", "public"],
  ["2002:808:808::1", "public"],
  ["2606:4700:4700::1111", "public"],
  ["2a00:1450:4001:80b::200e", "public"],
];

test("addressKind: every address by its bytes, whatever the spelling", () => {
  for (const [ip, kind] of KINDS) assert.equal(addressKind(ip), kind, ip);
});

test("a URL parser's spelling of a bracketed address is classified as the address", () => {
  for (const host of ["[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::]"]) {
    const hostname = new URL(`https://${host}/`).hostname;
    assert.notEqual(addressKind(hostname), "public", `${host} → ${hostname}`);
  }
});

test("parsing: the same bytes from every spelling; what is not an address is null", () => {
  assert.deepEqual(parseIPv6("::ffff:127.0.0.1"), parseIPv6("::ffff:7f00:1"));
  assert.deepEqual(parseIPv6("1:2:3:4:5:6:7:8"), Uint8Array.from([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]));
  assert.deepEqual(parseIPv4("1.2.3.4"), Uint8Array.from([1, 2, 3, 4]));
  for (
    const bad of [
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      ":1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8::",
      "::1%eth0",
      "1.2.3.4::",
      "12345::",
      "::1.2.3",
      "g::1",
    ]
  ) {
    assert.equal(parseIPv6(bad), null, bad);
  }
  for (const bad of ["1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4.5", "0x7f.0.0.1", ""]) {
    assert.equal(parseIPv4(bad), null, bad);
  }
  assert.deepEqual([ipVersion("1.2.3.4"), ipVersion("::1"), ipVersion("hooks.example.com")], [4, 6, 0]);
});
