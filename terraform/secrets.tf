# The scrape route's bearer token. Its value comes from TF_VAR_scrape_token (never a file);
# Cloud Run reads it from Secret Manager and Cloud Scheduler sends it.
resource "google_secret_manager_secret" "scrape_token" {
  secret_id = "ofertas-scrape-token"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "scrape_token" {
  secret      = google_secret_manager_secret.scrape_token.id
  secret_data = var.scrape_token
}
