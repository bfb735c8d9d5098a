/**
 * Scripted prices for the alert integration tests: observations (item, price, when) produced to
 * the offers topic as the route would produce them, and the alerts the reference model
 * (test/alert-model/reference.ts) says they make under a global `below` rule. Every time is
 * relative to a start a few days back, so the consumer folds the days the script moves past.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../shared/duration.ts";
import type { OfferMessage } from "../shared/offer.ts";
import { offerDate } from "../shared/timestamp.ts";
import { offerKey } from "../shared/contract/offer-key.ts";
import { produceOffers } from "./consumer-helpers.ts";
import { type ModelAlert, modelAlerts, type ModelObservation, type ModelRule } from "./alert-model/reference.ts";

export interface Step {
  item: string;
  price: string;
  /** Minutes after the script's start. */
  at: number;
  title?: string;
}

/** A global `below` rule as OFERTAS_ALERT_RULES spells it, and as the model reads it. */
export const BELOW = { kind: "below", price: 80, id: "target" } as const;
export const BELOW_MODEL: ModelRule = {
  key: "global:target",
  watch_id: null,
  silent_first_run: false,
  condition: { kind: "below", price: 8000 },
  clear_after: "6h",
  rearm_after: null,
  absent_after: "3d",
};

export const minutes = { hour: HOUR_MS / MINUTE_MS, day: DAY_MS / MINUTE_MS };

/** The script's start: six days ago, on a São Paulo midnight, so days fold as it moves. */
export function scriptStart(now = Date.now()): number {
  const day = offerDate(new Date(now - 6 * DAY_MS).toISOString());
  return Date.parse(`${day}T03:00:00.000Z`);
}

/** Produces the steps (one scrape each), returning what was sent. */
export async function produceSteps(topic: string, start: number, steps: readonly Step[]): Promise<OfferMessage[]> {
  const sent: OfferMessage[] = [];
  for (const [i, s] of steps.entries()) {
    sent.push(
      ...await produceOffers(topic, 1, `script-${start}-${s.at}-${i}`, () => ({
        item_id: s.item,
        price: s.price,
        original_price: null,
        discount_pct: null,
        ...(s.title ? { title: s.title } : {}),
      }), () => new Date(start + s.at * MINUTE_MS).toISOString()),
    );
  }
  return sent;
}

/** What the model says the loaded messages make (leave the refused ones out). */
export async function expectedAlerts(sent: readonly OfferMessage[]): Promise<ModelAlert[]> {
  const observations: ModelObservation[] = await Promise.all(sent.map(async (m, position) => ({
    site: m.site,
    item_id: m.item_id,
    offer_key: await offerKey(m),
    position,
    at: Date.parse(m.scraped_at),
    day: offerDate(m.scraped_at),
    price: Math.round(Number(m.price) * 100),
    original: null,
    displayed: null,
    watch_id: null,
    watch_run: null,
  })));
  return modelAlerts(observations, [BELOW_MODEL]);
}
