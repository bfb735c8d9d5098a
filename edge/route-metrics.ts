/** What the scrape route counts; rendered at GET /metrics. */
import { Registry } from "../shared/metrics.ts";

export function createRouteMetrics() {
  const registry = new Registry();
  return {
    registry,
    scrapes: registry.counter("ofertas_scrapes_total", "Scrape requests by site, view and outcome."),
    pages: registry.counter("ofertas_pages_fetched_total", "Deal pages fetched and parsed, by site."),
    offersProduced: registry.counter(
      "ofertas_offers_produced_total",
      "Offers acknowledged by Kafka, by source (scrape, ingest).",
    ),
    offersInvalid: registry.counter(
      "ofertas_offers_invalid_total",
      "Offers rejected by validation, by the first field at fault (a contract field, unknown_field or offer).",
    ),
    errors: registry.counter(
      "ofertas_errors_total",
      "Errors by kind (blocked, challenge, unknown_layout, http, network, redirect, too_large, too_many_cards, parse_timeout, parse_error, produce).",
    ),
    produceSeconds: registry.histogram(
      "ofertas_produce_duration_seconds",
      "Time for Kafka to acknowledge one request's offers.",
      [
        0.005,
        0.01,
        0.025,
        0.05,
        0.1,
        0.25,
        0.5,
        1,
        2.5,
        5,
        10,
      ],
    ),
  };
}

export type RouteMetrics = ReturnType<typeof createRouteMetrics>;
