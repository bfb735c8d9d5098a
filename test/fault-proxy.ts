/**
 * An HTTP proxy in front of a real service (the GCS or BigQuery emulator) that can fail on
 * purpose: answer 503, or never answer (a timeout), for a while. What the official clients
 * send goes through unchanged otherwise.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyMode = "pass" | "fail" | "hang";

export interface FaultProxy {
  url: string;
  mode: ProxyMode;
  /** Requests answered by mode, and the paths seen. */
  counts: Record<ProxyMode, number>;
  paths: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const hanging: Array<() => void> = [];
  const proxy: FaultProxy = {
    url: "",
    mode: "pass",
    counts: { pass: 0, fail: 0, hang: 0 },
    paths: [],
    close: async () => {},
  };
  const server = createServer(async (req, res) => {
    const mode = proxy.mode;
    proxy.counts[mode]++;
    proxy.paths.push(`${req.method} ${req.url}`);
    const payload = await body(req);
    if (mode === "fail") {
      res.writeHead(503, { "content-type": "application/json" }).end(
        JSON.stringify({
          error: { code: 503, message: "injected by the fault proxy", errors: [{ reason: "backendError" }] },
        }),
      );
      return;
    }
    if (mode === "hang") {
      hanging.push(() => res.destroy());
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(k)) continue;
      headers.set(k, Array.isArray(v) ? v.join(",") : v);
    }
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: payload.length ? new Uint8Array(payload) : undefined,
        redirect: "manual",
      });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(k)) out[k] = v;
      });
      res.writeHead(upstream.status, out).end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const drop of hanging) drop();
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return proxy;
}
