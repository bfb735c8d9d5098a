# The watches' clock: Cloud Scheduler calls POST /watches/tick every minute with the bearer token
# from Secret Manager; the route runs every due watch (claims on Kafka keep a retried or doubled
# tick from running a watch twice). What to follow lives in the watches, not here.
resource "google_cloud_scheduler_job" "tick" {
  name      = "ofertas-watch-tick"
  region    = var.region
  schedule  = "* * * * *"
  time_zone = "America/Sao_Paulo"
  # the route answers when its runs are done, within OFERTAS_WATCH_TICK_TIMEOUT (4 min)
  attempt_deadline = "300s"

  retry_config {
    retry_count          = 1
    min_backoff_duration = "30s"
  }

  http_target {
    uri         = "${google_cloud_run_v2_service.route.uri}/watches/tick"
    http_method = "POST"
    headers = {
      "Authorization" = "Bearer ${google_secret_manager_secret_version.scrape_token.secret_data}"
    }
  }
}

# Until the watches, one job posted a fixed body to POST /scrape on var.scrape_schedule. That
# schedule is now the seeded watch "scheduled-scrape" (cloud_run.tf), and this job ticks.
moved {
  from = google_cloud_scheduler_job.scrape
  to   = google_cloud_scheduler_job.tick
}
