/**
 * A Web Worker as an rpc.ts port (Bun and Deno alike): `workerPort(url)` on the caller's side,
 * `answerInWorker(handler)` inside the worker's module.
 */
import { answer, type Port } from "./rpc.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/** `options` are the Worker's (Bun reads `smol`: a small heap for the worker). */
export function workerPort(url: string | URL, options: Record<string, unknown> = {}): Port {
  const worker = new Worker(url, { type: "module", ...options } as WorkerOptions);
  let ended = false;
  return {
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    listen(onMessage, onEnd) {
      worker.addEventListener("message", (event: MessageEvent) => onMessage(event.data));
      worker.addEventListener("error", (event: Event) => {
        event.preventDefault?.();
        if (ended) return;
        ended = true;
        worker.terminate();
        onEnd(`the worker stopped: ${(event as ErrorEvent).message ?? "error"}`);
      });
    },
    // a worker has no "finish first": what it was given ends with it
    close() {
      ended = true;
      worker.terminate();
    },
  };
}

/** Inside the worker: answers each request with `handler` (transferOf names buffers to move back). */
export function answerInWorker<Request>(
  handler: (request: Request) => unknown | Promise<unknown>,
  transferOf?: (value: unknown) => Transferable[] | undefined,
): void {
  const scope = globalThis as unknown as WorkerScope;
  answer<Request>(
    (onMessage) => (scope.onmessage = (event) => onMessage(event.data)),
    (message, transfer) => scope.postMessage(message, transfer ?? []),
    handler,
    transferOf,
  );
}
