/**
 * Runs parsePage in a Web Worker (Bun and Deno alike), so a big page never blocks the route's
 * event loop (health checks, other requests) and a parse that runs too long can be stopped by
 * terminating the worker. Messages: {id, html, options} in; {id, page} or {id, error} out.
 */
import { parsePage, ScrapeError } from "./parse-page.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent) => {
  const { id, html, options } = event.data as { id: number; html: string; options: Parameters<typeof parsePage>[1] };
  try {
    scope.postMessage({ id, page: parsePage(html, options) });
  } catch (error) {
    const e = error as Error;
    scope.postMessage({
      id,
      error: error instanceof ScrapeError
        ? { kind: error.kind, url: error.url, detail: error.detail }
        : { kind: "parse_error", url: options.url, detail: `${e?.name ?? "Error"}: ${e?.message ?? e}` },
    });
  }
};
