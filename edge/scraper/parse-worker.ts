/**
 * Runs parsePage (or parseProductPage) in a Web Worker (Bun and Deno alike), so a big page never
 * blocks the route's event loop (health checks, other requests) and a parse that runs too long
 * can be stopped by terminating the worker (page-parser.ts, through shared/rpc/).
 */
import { answerInWorker } from "../../shared/rpc/worker-port.ts";
import type { ParseReply, ParseRequest } from "./page-parser.ts";
import { parsePage, ScrapeError } from "./parse-page.ts";
import { parseProductPage } from "./product/parse-product-page.ts";

answerInWorker<ParseRequest>((request): ParseReply => {
  try {
    const page = request.kind === "product"
      ? parseProductPage(request.html, request.options)
      : parsePage(request.html, request.options);
    return { page };
  } catch (error) {
    const e = error as Error;
    return {
      error: error instanceof ScrapeError
        ? { kind: error.kind, url: error.url, detail: error.detail }
        : { kind: "parse_error", url: request.options.url, detail: `${e?.name ?? "Error"}: ${e?.message ?? e}` },
    };
  }
});
