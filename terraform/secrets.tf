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

# The alert channels (a JSON object of name → URL, secrets inside): from TF_VAR_alert_channels,
# read by the alerter only, never logged (docs/alerts.md).
resource "google_secret_manager_secret" "alert_channels" {
  secret_id = "ofertas-alert-channels"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "alert_channels" {
  secret      = google_secret_manager_secret.alert_channels.id
  secret_data = var.alert_channels
}

# People's channel secrets are sealed (AES-256-GCM) with this key, and mute links signed with the
# other; both from TF_VAR_… (never a file), read by the web view and the alerter only.
resource "google_secret_manager_secret" "channel_secrets_key" {
  secret_id = "ofertas-channel-secrets-key"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "channel_secrets_key" {
  secret      = google_secret_manager_secret.channel_secrets_key.id
  secret_data = var.channel_secrets_key
}

resource "google_secret_manager_secret" "link_key" {
  secret_id = "ofertas-link-key"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "link_key" {
  secret      = google_secret_manager_secret.link_key.id
  secret_data = var.link_key
}
