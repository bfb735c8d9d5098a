output "web_url" {
  description = "The deals web view."
  value       = google_cloud_run_v2_service.web.uri
}

output "route_url" {
  description = "URL of the scrape route (POST /scrape, POST /offers, GET /healthz, /readyz, /metrics)."
  value       = google_cloud_run_v2_service.route.uri
}

output "kafka_brokers" {
  description = "Bootstrap brokers the route and the consumer use."
  value       = local.kafka_brokers
}

output "dataset" {
  description = "BigQuery dataset with daily_offers, price_history, fake_discounts and daily_top_deals."
  value       = "${var.project_id}.${google_bigquery_dataset.ofertas.dataset_id}"
}

output "staging_bucket" {
  description = "GCS bucket for staged batches."
  value       = google_storage_bucket.staging.url
}

output "service_accounts" {
  description = "One service account per component."
  value = {
    route    = google_service_account.route.email
    consumer = google_service_account.consumer.email
    queries  = google_service_account.queries.email
    web      = google_service_account.web.email
    alerter  = google_service_account.alerter.email
  }
}
