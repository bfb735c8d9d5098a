/**
 * What the view answers when it cannot answer: a wrong parameter (400), too many new questions
 * (429 with Retry-After: web/query-limiter.ts), the watches not read yet (503 with Retry-After),
 * a question over its BigQuery bounds (503 saying so: query/engine.ts), the warehouse
 * unreadable (503). A page for pages and feeds, `{ "error": … }` for /api/.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { log } from "../shared/log.ts";
import { QueryLimitError } from "../query/engine.ts";
import { RateLimited } from "./query-limiter.ts";
import { BadRequest } from "./query-params.ts";
import { Layout, type PageContext } from "./views/layout.tsx";

export { BadRequest, RateLimited };

/** How long a client is told to wait for the watches to be read. */
export const WATCHES_RETRY_SECONDS = 5;

/** Something the view has not read yet (the watches, from Kafka): 503, try again in a moment. */
export class NotReady extends Error {
  override name = "NotReady";
  constructor(message: string, readonly retryAfterSeconds = WATCHES_RETRY_SECONDS) {
    super(message);
  }
}

export const WATCHES_NOT_READ = "The watches are still being read from Kafka; try again in a moment.";

type Status = 400 | 401 | 403 | 404 | 415 | 422 | 429 | 502 | 503;

/** The answer for an error a handler threw. */
export function errorResponse(error: Error, c: Context, ctx: PageContext): Response | Promise<Response> {
  const answer = (status: Status, message: string, retryAfterSeconds?: number) => {
    const headers: Record<string, string> = retryAfterSeconds ? { "retry-after": String(retryAfterSeconds) } : {};
    if (new URL(c.req.url).pathname.startsWith("/api/")) return c.json({ error: message }, status, headers);
    return c.html(<Problem ctx={ctx} message={message} />, status, headers);
  };
  if (error instanceof HTTPException) {
    // a redirect to sign in, or an answer of the accounts' routes (web/accounts/)
    if (error.status === 303 || (error.res && error.status === 403 && !error.message)) return error.getResponse();
    return answer(
      error.status as Status,
      error.message || (error.status === 403 ? "This form came from elsewhere." : "Refused."),
    );
  }
  if (error instanceof BadRequest) return answer(400, error.message);
  if (error instanceof RateLimited) return answer(429, error.message, error.retryAfterSeconds);
  if (error instanceof NotReady) return answer(503, error.message, error.retryAfterSeconds);
  if (error instanceof QueryLimitError) {
    log("warn", "web_query_over_bounds", { limit: error.limit, message: error.message });
    return answer(
      503,
      error.limit === "bytes"
        ? "This question would read more of the warehouse than the view allows; ask a narrower one."
        : "This question took longer than the view allows; try again later or ask a narrower one.",
    );
  }
  log("error", "web_error", { message: error.message });
  return answer(503, "The warehouse could not be read just now; try again in a moment.");
}

export function NotFound(p: { ctx: PageContext; what: string }) {
  return (
    <Layout title="Not found" ctx={p.ctx}>
      <h1>Not found</h1>
      <p>Nothing here: {p.what}</p>
      <p>
        <a href="/">The deals of today</a>
      </p>
    </Layout>
  );
}

export function Problem(p: { ctx: PageContext; message: string }) {
  return (
    <Layout title="Problem" ctx={p.ctx}>
      <h1>Sorry</h1>
      <p>{p.message}</p>
      <p>
        <a href="/">The deals of today</a>
      </p>
    </Layout>
  );
}
