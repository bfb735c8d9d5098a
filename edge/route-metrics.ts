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
    coverageCards: registry.counter(
      "ofertas_scraper_cards_total",
      "Cards (or product pages) whose fields were counted, by site and view: the denominator of the next.",
    ),
    coverageFields: registry.counter(
      "ofertas_scraper_field_cards_total",
      "Cards (or product pages) that carried a field, by site, view and field (edge/SCRAPER.md, Coverage).",
    ),
    coverageStatePages: registry.counter(
      "ofertas_scraper_state_pages_total",
      "Pages that had an embedded state, by site and view (of ofertas_scraper_pages_total).",
    ),
    coveragePages: registry.counter(
      "ofertas_scraper_pages_total",
      "Pages whose coverage was counted, by site and view.",
    ),
    drifts: registry.counter(
      "ofertas_scraper_drifts_total",
      "Drifts started, by site, view and field (embedded_state when the state went).",
    ),
    drifting: registry.gauge("ofertas_scraper_drifting", "1 while a site, view and field drift, else 0."),
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
