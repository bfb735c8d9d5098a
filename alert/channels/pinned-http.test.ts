/**
 * postPinned on Bun against real local servers: the connection goes to the address the guard
 * checked (the test's resolver is asked once and the system's never), while the Host header, the
 * TLS server name and the certificate check stay the URL's name; no redirect is followed; the
 * reply and the wait are bounded.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { MAX_REPLY_BYTES, postPinned } from "./pinned-http.ts";

const cert = readFileSync(new URL("./fixtures/tls-test-cert.pem", import.meta.url), "utf8");
const key = readFileSync(new URL("./fixtures/tls-test-key.pem", import.meta.url), "utf8");

interface Seen {
  host: string | undefined;
  sni: string | undefined;
  path: string | undefined;
  body: string;
}
const seen: Seen[] = [];
let reply: (res: http.ServerResponse) => void = (res) => res.end("ok");

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    seen.push({ host: req.headers.host, sni: (req.socket as { servername?: string }).servername, path: req.url, body });
    reply(res);
  });
}
const tlsServer = https.createServer({ key, cert }, handler);
const plainServer = http.createServer(handler);
const v6Server = http.createServer(handler);
let tlsPort = 0;
let plainPort = 0;
let v6Port = 0;

before(async () => {
  const listen = (s: http.Server, host: string) =>
    new Promise<number>((resolve) => s.listen(0, host, () => resolve((s.address() as AddressInfo).port)));
  tlsPort = await listen(tlsServer, "127.0.0.1");
  plainPort = await listen(plainServer, "127.0.0.1");
  v6Port = await listen(v6Server, "::1");
});
after(() => {
  for (const s of [tlsServer, plainServer, v6Server]) s.closeAllConnections?.(), s.close();
});

/** A resolver the test controls: what it was asked, and one answer per call. */
function pinnedResolver(...answers: string[][]) {
  const asked: string[] = [];
  return {
    asked,
    resolve: (host: string) => {
      asked.push(host);
      return Promise.resolve(answers[Math.min(asked.length - 1, answers.length - 1)]!);
    },
  };
}
const dev = { allowLoopback: true, allowPrivate: false, ca: cert };

test("https to a name: connects to the checked address, with the name as Host, SNI and certificate subject", async () => {
  seen.length = 0;
  reply = (res) => res.writeHead(202, "Accepted", { "retry-after": "3" }).end("taken");
  // a rebinding resolver: checked as loopback, then it would answer a public address
  const resolver = pinnedResolver(["127.0.0.1"], ["93.184.216.34"]);
  const answer = await postPinned(
    new URL(`https://hooks.test:${tlsPort}/hooks/x?y=1`),
    { headers: { "content-type": "application/json" }, body: '{"a":"ç"}' },
    { ...dev, resolve: resolver.resolve },
  );
  assert.deepEqual(
    [answer.status, answer.statusText, answer.body, answer.headers.get("retry-after")],
    [202, "Accepted", "taken", "3"],
  );
  assert.deepEqual(resolver.asked, ["hooks.test"], "resolved once, by the guard");
  assert.deepEqual(seen, [{
    host: `hooks.test:${tlsPort}`,
    sni: "hooks.test",
    path: "/hooks/x?y=1",
    body: '{"a":"ç"}',
  }]);
});

test("the certificate must name the host: another name on the same address is refused", async () => {
  const resolver = pinnedResolver(["127.0.0.1"]);
  await assert.rejects(
    postPinned(new URL(`https://evil.test:${tlsPort}/`), { headers: {}, body: "" }, { ...dev, ...resolver }),
    (error: Error) => /evil\.test/.test(error.message) && /altnames|certificate|Hostname/i.test(error.message),
  );
  // and without the test's CA, the self-signed certificate is not trusted
  await assert.rejects(
    postPinned(new URL(`https://hooks.test:${tlsPort}/`), { headers: {}, body: "" }, {
      allowLoopback: true,
      allowPrivate: false,
      ...pinnedResolver(["127.0.0.1"]),
    }),
    /certificate|self.signed/i,
  );
});

test("the guard runs first: a name resolving to a refused address is never connected to", async () => {
  seen.length = 0;
  await assert.rejects(
    postPinned(new URL(`http://hooks.test:${plainPort}/`), { headers: {}, body: "" }, {
      allowLoopback: false,
      allowPrivate: false,
      ...pinnedResolver(["127.0.0.1"]),
    }),
    /loopback/,
  );
  await assert.rejects(
    postPinned(new URL(`http://[::ffff:127.0.0.1]:${plainPort}/`), { headers: {}, body: "" }, {
      allowLoopback: false,
      allowPrivate: false,
    }),
    /loopback/,
  );
  assert.equal(seen.length, 0);
});

test("plain http on loopback, IPv4 and IPv6; a redirect is an answer, not followed", async () => {
  seen.length = 0;
  reply = (res) => res.writeHead(302, { location: "http://169.254.169.254/" }).end();
  const answer = await postPinned(new URL(`http://127.0.0.1:${plainPort}/a`), { headers: {}, body: "x" }, dev);
  assert.equal(answer.status, 302);
  reply = (res) => res.end("v6");
  const v6 = await postPinned(new URL(`http://[::1]:${v6Port}/b`), { headers: {}, body: "y" }, dev);
  assert.equal(v6.body, "v6");
  assert.deepEqual(seen.map((s) => [s.path, s.host]), [["/a", `127.0.0.1:${plainPort}`], ["/b", `[::1]:${v6Port}`]]);
});

test("bounded: a huge reply is cut at 64 KiB, a silent server is given up on, errors never show the path", async () => {
  reply = (res) => {
    res.writeHead(500);
    const chunk = "z".repeat(16 * 1024);
    let sent = 0;
    const more = () => {
      while (sent < 10 * 1024 * 1024 / chunk.length && res.write(chunk)) sent++;
      if (sent < 10 * 1024 * 1024 / chunk.length) res.once("drain", more);
      else res.end();
    };
    more();
  };
  const big = await postPinned(new URL(`http://127.0.0.1:${plainPort}/big`), { headers: {}, body: "" }, dev);
  assert.equal(big.status, 500);
  assert.equal(big.body.length, MAX_REPLY_BYTES);
  reply = () => {};
  const started = Date.now();
  await assert.rejects(
    postPinned(
      new URL(`http://127.0.0.1:${plainPort}/secret-token-path`),
      { headers: {}, body: "", timeoutMs: 300 },
      dev,
    ),
    (error: Error) => /no answer within 300 ms/.test(error.message) && !error.message.includes("secret-token"),
  );
  assert.ok(Date.now() - started < 5_000);
  await assert.rejects(
    postPinned(new URL("http://127.0.0.1:9/secret-token-path"), { headers: {}, body: "" }, dev),
    (error: Error) => error.message.startsWith("http://127.0.0.1:9: ") && !error.message.includes("secret-token"),
  );
});
