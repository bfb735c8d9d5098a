/**
 * A batch's step is retried until it succeeds or is abandoned; a stop ends a backoff at once
 * (SIGTERM must not wait out OFERTAS_RETRY_MAX_MS before the consumer can exit).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Abandoned, untilDoneOrAbandoned } from "./abandoned.ts";

const LONG = { baseMs: 60_000, maxMs: 60_000, jitter: "none" as const };

test("abandoned: a stop during a long backoff abandons the step at once", async () => {
  const stop = new AbortController();
  let tries = 0;
  const started = Date.now();
  const step = untilDoneOrAbandoned(() => {
    tries++;
    // the first try fails; the stop comes while the 60 s backoff runs
    setTimeout(() => stop.abort(), 20);
    return Promise.reject(new Error("outage"));
  }, { abandoned: () => null, backoff: LONG, event: "unit_step_failed", signal: stop.signal });
  await assert.rejects(step, (e: unknown) => e instanceof Abandoned && /shutdown/.test(e.message));
  assert.ok(Date.now() - started < 1_000, `ended in ${Date.now() - started} ms`);
  assert.equal(tries, 1, "no try after the stop");
});

test("abandoned: outages are retried with the backoff until the step succeeds", async () => {
  let tries = 0;
  const result = await untilDoneOrAbandoned(
    () => (++tries < 3 ? Promise.reject(new Error("outage")) : Promise.resolve("ok")),
    {
      abandoned: () => null,
      backoff: { baseMs: 1, maxMs: 2, jitter: "none" },
      event: "unit_step_failed",
      signal: new AbortController().signal,
    },
  );
  assert.equal(result, "ok");
  assert.equal(tries, 3);
});

test("abandoned: an already stopped consumer does not try at all", async () => {
  const stop = new AbortController();
  stop.abort();
  let tries = 0;
  await assert.rejects(
    untilDoneOrAbandoned(() => Promise.resolve(++tries), {
      abandoned: () => null,
      backoff: LONG,
      event: "unit",
      signal: stop.signal,
    }),
    Abandoned,
  );
  assert.equal(tries, 0);
});
