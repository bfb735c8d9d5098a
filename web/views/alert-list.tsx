/** A list of alerts (an item's history, a watch's latest): when, what, why, and each channel's state. */
import type { AlertView } from "../alerts.ts";
import { deliveryOutcome } from "./delivery-outcome.ts";
import { money } from "./text.ts";
import { localTime } from "./watches-page.tsx";

export const ALERT_NAME: Record<string, string> = {
  real_deal: "Real deal",
  below: "Below the target",
  new_low: "New low",
  drop: "Price drop",
  consumer_lag: "Consumer behind",
  dead_letters: "Dead letters",
  watch_backoff: "Watch backing off",
  scraper_drift: "Scraper drift",
};

export function AlertList(p: { alerts: AlertView[]; showItem?: boolean }) {
  return (
    <ol class="alerts">
      {p.alerts.map((a) => (
        <li class="alert" data-alert={a.alert_id} data-kind={a.kind}>
          <p>
            <strong>{ALERT_NAME[a.kind] ?? a.kind}</strong> {localTime(a.decided_at)}
            {a.price && <span class="price">{money(a.price, a.currency)}</span>}
            {p.showItem && a.site && a.item_id && <a href={`/items/${a.site}/${a.item_id}`}>{a.title ?? a.item_id}</a>}
          </p>
          {a.why && <p class="why">{a.why}</p>}
          {a.deliveries.length > 0 && (
            <ul class="deliveries">
              {a.deliveries.map((d) => (
                <li class={`delivery ${d.state}`} data-channel={d.channel} data-state={d.state}>
                  {d.channel}: {deliveryOutcome(d)}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
