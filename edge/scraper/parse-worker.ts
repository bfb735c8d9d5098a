/**
 * Runs parsePage (or parseProductPage) in a Web Worker (Bun and Deno alike), so a big page never blocks the route's
 * event loop (health checks, other requests) and a parse that runs too long can be stopped by
 * terminating the worker. Messages: {id, kind, html, options} in (kind: listing or product); {id, page} or {id, error} out.
 */
import type { ParseRequest } from "./page-parser.ts";
import { parsePage, ScrapeError } from "./parse-page.ts";
import { parseProductPage } from "./product/parse-product-page.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent) => {
  const request = event.data as ParseRequest;
  const { id, options } = request;
  try {
    const page = request.kind === "product"
      ? parseProductPage(request.html, request.options)
      : parsePage(request.html, request.options);
    scope.postMessage({ id, page });
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
