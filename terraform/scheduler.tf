# Cloud Scheduler calls POST /scrape with the bearer token from Secret Manager.
resource "google_cloud_scheduler_job" "scrape" {
  name      = "ofertas-scrape"
  region    = var.region
  schedule  = var.scrape_schedule
  time_zone = "America/Sao_Paulo"

  retry_config {
    retry_count          = 2
    min_backoff_duration = "60s"
  }

  http_target {
    uri         = "${google_cloud_run_v2_service.route.uri}/scrape"
    http_method = "POST"
    body        = base64encode(jsonencode(var.scrape_request))
    headers = {
      "Content-Type"  = "application/json"
      "Authorization" = "Bearer ${google_secret_manager_secret_version.scrape_token.secret_data}"
    }
  }
}
