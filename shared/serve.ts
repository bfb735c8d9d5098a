/**
 * The only runtime-specific part of serving HTTP: Bun.serve or Deno.serve around a web
 * `fetch` handler. Everything else is web-standard.
 */
export interface RunningServer {
  port: number;
  /** Stops accepting connections and lets requests under way finish. */
  stop(): Promise<void>;
}

type FetchHandler = (request: Request) => Response | Promise<Response>;

interface BunLike {
  serve(
    options: { fetch: FetchHandler; port: number; hostname: string; maxRequestBodySize?: number; idleTimeout?: number },
  ): {
    port: number;
    stop(closeActiveConnections?: boolean): Promise<void> | void;
  };
}
interface DenoLike {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
}

export function serve(
  fetch: FetchHandler,
  options: { port: number; hostname: string; maxRequestBodySize: number },
): RunningServer {
  const g = globalThis as { Bun?: BunLike; Deno?: DenoLike };
  if (g.Bun) {
    // a scrape of 20 pages at 1 request/s outlives Bun's default 10 s idle timeout
    const server = g.Bun.serve({
      fetch,
      port: options.port,
      hostname: options.hostname,
      maxRequestBodySize: options.maxRequestBodySize + 1024,
      idleTimeout: 255,
    });
    return { port: server.port, stop: async () => void (await server.stop(false)) };
  }
  if (g.Deno) {
    const server = g.Deno.serve({ port: options.port, hostname: options.hostname, onListen: () => {} }, fetch);
    return { port: server.addr.port, stop: () => server.shutdown() };
  }
  throw new Error("no supported runtime: run with Bun or Deno");
}
