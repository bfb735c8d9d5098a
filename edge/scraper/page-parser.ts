/**
 * Where pages are parsed. The route parses in a worker (WorkerPageParser): the event loop stays
 * free while linkedom builds a DOM, and a parse is stopped after `timeoutMs` (the worker is
 * terminated and a fresh one started). The CLI and tests parse inline.
 */
import { Rpc, RpcTimeout } from "../../shared/rpc/rpc.ts";
import { workerPort } from "../../shared/rpc/worker-port.ts";
import type { ScrapeErrorKind } from "./classify.ts";
import { type ParsedPage, type ParseOptions, parsePage, ScrapeError } from "./parse-page.ts";
import { parseProductPage, type ProductPage, type ProductParseOptions } from "./product/parse-product-page.ts";

export interface PageParser {
  /** A listing page (deals or search). */
  parse(html: string, options: ParseOptions): Promise<ParsedPage>;
  /** An item's own page. */
  parseProduct(html: string, options: ProductParseOptions): Promise<ProductPage>;
  close(): void;
}

export const inlineParser: PageParser = {
  parse: (html, options) => Promise.resolve().then(() => parsePage(html, options)),
  parseProduct: (html, options) => Promise.resolve().then(() => parseProductPage(html, options)),
  close: () => {},
};

export type ParseRequest =
  | { kind: "listing"; html: string; options: ParseOptions }
  | { kind: "product"; html: string; options: ProductParseOptions };

/** The worker's answer: the page, or why it is not one (a ScrapeError, carried across). */
export type ParseReply = { page: ParsedPage | ProductPage } | {
  error: { kind: ScrapeErrorKind; url: string; detail: string };
};

export class WorkerPageParser implements PageParser {
  private readonly rpc = new Rpc<ParseRequest, ParseReply>(() =>
    workerPort(new URL("./parse-worker.ts", import.meta.url).href)
  );
  /** Pages are parsed one at a time: a parse's time limit measures its own work, not a queue. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs: number) {}

  parse(html: string, options: ParseOptions): Promise<ParsedPage> {
    return this.enqueue({ kind: "listing", html, options }) as Promise<ParsedPage>;
  }

  parseProduct(html: string, options: ProductParseOptions): Promise<ProductPage> {
    return this.enqueue({ kind: "product", html, options }) as Promise<ProductPage>;
  }

  close(): void {
    this.rpc.close(true);
  }

  private enqueue(request: ParseRequest): Promise<ParsedPage | ProductPage> {
    const run = this.queue.then(() => this.run(request), () => this.run(request));
    this.queue = run.catch(() => {});
    return run;
  }

  /** A parse past its time limit ends the worker (a fresh one takes the next page). */
  private async run(request: ParseRequest): Promise<ParsedPage | ProductPage> {
    const { url } = request.options;
    let reply: ParseReply;
    try {
      reply = await this.rpc.call(request, { timeoutMs: this.timeoutMs });
    } catch (error) {
      if (error instanceof RpcTimeout) {
        throw new ScrapeError("parse_timeout", url, `parsing took longer than ${this.timeoutMs} ms`);
      }
      throw new ScrapeError("parse_error", url, `the parser stopped: ${(error as Error).message}`);
    }
    if ("page" in reply) return reply.page;
    throw new ScrapeError(reply.error.kind, reply.error.url, reply.error.detail);
  }
}
