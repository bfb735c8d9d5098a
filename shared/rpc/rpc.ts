/**
 * Running a module elsewhere and talking to it: requests with ids, one answer each, over a port
 * (a Web Worker, worker-port.ts; or a child process speaking JSON lines, child-port.ts). The
 * route's page parser, the consumer's staging worker and its DuckDB loader children all use it.
 *
 * The caller's side (Rpc) opens the port when first asked, matches answers to requests, stops a
 * request that runs past its time limit by ending the other side (the next request starts a fresh
 * one), and fails every request under way when the other side ends. The other side (answer())
 * runs one request at a time, in order, and answers errors as errors.
 */

/** A channel to the other side. */
export interface Port {
  post(message: unknown, transfer?: Transferable[]): void;
  /** Starts delivering its messages, and once, why the other side ended. */
  listen(onMessage: (message: unknown) => void, onEnd: (why: string) => void): void;
  /** Ends the other side: when it has done what it was given, or at once. */
  close(now: boolean): void;
}

/** The other side ended (crashed, exited, was stopped) before it answered. */
export class RpcEnded extends Error {
  override name = "RpcEnded";
}

/** The request ran past its time limit; the other side was stopped. */
export class RpcTimeout extends Error {
  override name = "RpcTimeout";
}

/** An error the other side answered with: its name and message, as thrown there. */
export class RpcError extends Error {
  constructor(readonly remoteName: string, message: string) {
    super(message);
    this.name = remoteName;
  }
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };

interface Waiting {
  port: Port;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface CallOptions {
  /** Longest the request may take; past it the other side is stopped. */
  timeoutMs?: number;
  /** Buffers moved, not copied (workers only). */
  transfer?: Transferable[];
}

export class Rpc<Request, Reply> {
  private port: Port | null = null;
  private sequence = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly open: () => Port) {}

  /** Whether the other side is up (false before the first request and after it ended). */
  get alive(): boolean {
    return this.port !== null;
  }

  /** Requests without an answer yet. */
  get pending(): number {
    return this.waiting.size;
  }

  call(request: Request, options: CallOptions = {}): Promise<Reply> {
    const port = this.port ?? this.start();
    const id = ++this.sequence;
    return new Promise<Reply>((resolve, reject) => {
      const timer = options.timeoutMs === undefined ? null : setTimeout(() => {
        this.waiting.delete(id);
        reject(new RpcTimeout(`no answer within ${options.timeoutMs} ms`));
        this.stop(port, true, "stopped after a request ran past its time limit");
      }, options.timeoutMs);
      this.waiting.set(id, { port, resolve: resolve as (value: unknown) => void, reject, timer });
      port.post({ id, request }, options.transfer);
    });
  }

  /** Ends the other side: once it has answered what it was given, or at once (what is under way fails). */
  close(now = false): void {
    if (this.port) this.stop(this.port, now, "closed");
  }

  private start(): Port {
    const port = this.open();
    this.port = port;
    port.listen((message) => this.settle(message as Answer), (why) => this.ended(port, why));
    return port;
  }

  private stop(port: Port, now: boolean, why: string): void {
    if (this.port === port) this.port = null;
    port.close(now);
    if (now) this.ended(port, why);
  }

  private settle(answer: Answer): void {
    const waiting = this.waiting.get(answer.id);
    if (!waiting) return;
    this.waiting.delete(answer.id);
    if (waiting.timer) clearTimeout(waiting.timer);
    if (answer.ok) waiting.resolve(answer.value);
    else waiting.reject(new RpcError(answer.name, answer.message));
  }

  /** The port's other side is gone: what it had not answered fails; the next request opens a new one. */
  private ended(port: Port, why: string): void {
    if (this.port === port) this.port = null;
    for (const [id, waiting] of this.waiting) {
      if (waiting.port !== port) continue;
      if (waiting.timer) clearTimeout(waiting.timer);
      this.waiting.delete(id);
      waiting.reject(new RpcEnded(`the other side ended (${why}) without an answer`));
    }
  }
}

/**
 * The side that runs the module: `handler` answers each request, one at a time in order (a
 * request's awaits never interleave with the next one's). Used by worker-port.ts and child-port.ts;
 * `drained()` resolves once every request received so far is answered.
 */
export function answer<Request>(
  receive: (onMessage: (message: unknown) => void) => void,
  reply: (message: Answer, transfer?: Transferable[]) => void,
  handler: (request: Request) => unknown | Promise<unknown>,
  transferOf: (value: unknown) => Transferable[] | undefined = () => undefined,
): { drained(): Promise<unknown> } {
  let queue: Promise<unknown> = Promise.resolve();
  receive((message) => {
    const { id, request } = message as { id: number; request: Request };
    queue = queue.then(async () => {
      try {
        const value = await handler(request);
        reply({ id, ok: true, value }, transferOf(value));
      } catch (error) {
        const e = error as Error;
        reply({ id, ok: false, name: e?.name ?? "Error", message: e?.message ?? String(error) });
      }
    });
  });
  return { drained: () => queue };
}
