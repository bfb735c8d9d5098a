/**
 * Where pages are parsed. The route parses in a worker (WorkerPageParser): the event loop stays
 * free while linkedom builds a DOM, and a parse is stopped after `timeoutMs` (the worker is
 * terminated and a fresh one started). The CLI and tests parse inline.
 */
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
  | { id: number; kind: "listing"; html: string; options: ParseOptions }
  | { id: number; kind: "product"; html: string; options: ProductParseOptions };

type Reply = { id: number; page: ParsedPage | ProductPage } | {
  id: number;
  error: { kind: ScrapeErrorKind; url: string; detail: string };
};

export class WorkerPageParser implements PageParser {
  private worker: Worker | null = null;
  private sequence = 0;
  /** Pages are parsed one at a time: a parse's time limit measures its own work, not a queue. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs: number) {}

  parse(html: string, options: ParseOptions): Promise<ParsedPage> {
    return this.enqueue({ kind: "listing", html, options }) as Promise<ParsedPage>;
  }

  parseProduct(html: string, options: ProductParseOptions): Promise<ProductPage> {
    return this.enqueue({ kind: "product", html, options }) as Promise<ProductPage>;
  }

  private enqueue(request: DistributiveOmit<ParseRequest, "id">): Promise<ParsedPage | ProductPage> {
    const run = this.queue.then(() => this.run(request), () => this.run(request));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private run(request: DistributiveOmit<ParseRequest, "id">): Promise<ParsedPage | ProductPage> {
    const { options } = request;
    const worker = this.worker ??= new Worker(new URL("./parse-worker.ts", import.meta.url).href, { type: "module" });
    const id = ++this.sequence;
    return new Promise<ParsedPage | ProductPage>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.removeEventListener("message", onMessage);
        worker.removeEventListener("error", onError);
      };
      const restart = () => {
        worker.terminate();
        if (this.worker === worker) this.worker = null;
      };
      const timer = setTimeout(() => {
        done();
        restart();
        reject(new ScrapeError("parse_timeout", options.url, `parsing took longer than ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const onMessage = (event: MessageEvent) => {
        const reply = event.data as Reply;
        if (reply.id !== id) return;
        done();
        if ("page" in reply) resolve(reply.page);
        else reject(new ScrapeError(reply.error.kind, reply.error.url, reply.error.detail));
      };
      const onError = (event: Event) => {
        done();
        restart();
        reject(
          new ScrapeError(
            "parse_error",
            options.url,
            `the parser stopped: ${(event as ErrorEvent).message ?? "worker error"}`,
          ),
        );
      };
      worker.addEventListener("message", onMessage);
      worker.addEventListener("error", onError);
      worker.postMessage({ id, ...request } as ParseRequest);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
