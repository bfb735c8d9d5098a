/**
 * One POST of an HTTP channel (webhook, ntfy, Discord, Telegram), connected to the very address
 * the guard checked: the host is resolved once (guard.ts), and node:http(s) connects to that
 * address while the Host header and the TLS server name (SNI, and the certificate's check) stay
 * the URL's name. fetch would resolve the name again, and a DNS answer that changed in between
 * (rebinding) could send the request to 127.0.0.1 or the metadata server.
 *
 * Redirects are never followed (a 3xx is the channel's answer, not a delivery); the whole
 * exchange, resolution included, is bounded by 15 s; at most 64 KiB of the reply is read.
 */
import http from "node:http";
import https from "node:https";
import { withTimeout } from "../../shared/timeout.ts";
import { checkTarget, type TargetPolicy } from "./guard.ts";
import { ipVersion } from "./ip-address.ts";

export const REQUEST_TIMEOUT_MS = 15_000;
export const MAX_REPLY_BYTES = 64 * 1024;

/** What came back: the status line, the headers, and the start of the body. */
export interface HttpReply {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
}

/** POSTs to `url` (http: or https:) after the guard, on the address it checked. */
export async function postPinned(url: URL, options: PostOptions, policy: TargetPolicy): Promise<HttpReply> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const where = `${url.protocol}//${url.host}`;
  const target = await withTimeout(checkTarget(url, policy), timeoutMs, `resolving ${url.hostname}`);
  const secure = url.protocol === "https:";
  const body = Buffer.from(options.body, "utf8");
  return await new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    // the message names the host and the address, never the path (it may hold a token)
    const fail = (error: Error) => settle(() => reject(new Error(`${where}: ${error.message}`)));
    const request = (secure ? https : http).request({
      host: target.address,
      family: target.family,
      port: Number(url.port || (secure ? 443 : 80)),
      path: `${url.pathname}${url.search}`,
      method: "POST",
      headers: { ...options.headers, host: url.host, "content-length": String(body.length) },
      agent: false,
      // the certificate is checked against the name, as fetch would; no SNI for an IP literal
      ...(secure ? { servername: ipVersion(target.host) ? "" : target.host, ca: policy.ca } : {}),
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        settle(() => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              // a header the Fetch rules refuse is dropped: a reply must not crash the alerter
              try {
                headers.append(name, v);
              } catch {
                // ignored
              }
            }
          }
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            headers,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk.subarray(0, MAX_REPLY_BYTES - size));
        size += chunk.length;
        // enough to judge the answer: the rest is not read
        if (size >= MAX_REPLY_BYTES) {
          done();
          response.destroy();
        }
      });
      response.on("end", done);
      response.on("error", fail);
      response.on("close", () => fail(new Error("the connection closed before the answer ended")));
    });
    const timer = setTimeout(
      () => {
        fail(new Error(`no answer within ${timeoutMs} ms`));
        request.destroy();
      },
      Math.max(0, deadline - Date.now()),
    );
    request.on("error", fail);
    request.end(body);
  });
}
