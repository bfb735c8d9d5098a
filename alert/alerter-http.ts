/**
 * The alerter's own HTTP side (OFERTAS_ALERTER_PORT): `/healthz`, `/readyz` (loaded, and what
 * waits per channel) and `/metrics`. Nothing here sends or changes anything.
 */
import { listenHost } from "../shared/listen-host.ts";
import { PROMETHEUS_CONTENT_TYPE, type Registry } from "../shared/metrics.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import type { ChannelState } from "./deliverer.ts";

export interface AlerterHttpDeps {
  port: number;
  env: Record<string, string | undefined>;
  registry: Registry;
  loaded(): boolean;
  channels(): Record<string, ChannelState>;
  /** Called before /metrics renders (gauges read at scrape time). */
  beforeMetrics?(): void;
}

export function serveAlerterHttp(deps: AlerterHttpDeps): RunningServer {
  return serve((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/healthz") return Response.json({ status: "ok" });
    if (path === "/readyz") {
      const ready = deps.loaded();
      return Response.json({ status: ready ? "ready" : "loading", channels: deps.channels() }, {
        status: ready ? 200 : 503,
      });
    }
    if (path === "/metrics") {
      deps.beforeMetrics?.();
      return new Response(deps.registry.render(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
    }
    return new Response("not found", { status: 404 });
  }, { port: deps.port, hostname: listenHost(deps.env), maxRequestBodySize: 1024 });
}
