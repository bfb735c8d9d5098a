# One service account per component, each with the least it needs:
#   route     produce to Kafka, read the scrape token; nothing in BigQuery or GCS
#   consumer  read/produce Kafka, write objects in the staging bucket, edit the ofertas dataset, run jobs
#   queries   the scheduled queries: edit the ofertas dataset, run jobs
#   enricher  read offers from Kafka, produce product details; nothing in BigQuery or GCS
#   web       the web view: read the ofertas dataset, run (read-only) query jobs, read the watches from Kafka
#   alerter   read/produce Kafka, read the ofertas dataset, run (read-only) query jobs, read the channels secret
#   topics    the job creating Kafka topics on the VMs (kafka_mode = "vms"): Kafka only
resource "google_service_account" "route" {
  account_id   = "ofertas-route"
  display_name = "ofertas scrape route"
}

resource "google_service_account" "consumer" {
  account_id   = "ofertas-consumer"
  display_name = "ofertas batch consumer"
}

resource "google_service_account" "enricher" {
  account_id   = "ofertas-enricher"
  display_name = "ofertas product-details enricher"
}

resource "google_service_account" "web" {
  account_id   = "ofertas-web"
  display_name = "ofertas web view (read-only)"
}

resource "google_service_account" "alerter" {
  account_id   = "ofertas-alerter"
  display_name = "ofertas alerter"
}

resource "google_service_account" "queries" {
  account_id   = "ofertas-queries"
  display_name = "ofertas scheduled queries"
}

# Managed Kafka grants connections per project (roles/managedkafka.client has no narrower scope)
resource "google_project_iam_member" "kafka_client" {
  for_each = var.kafka_mode == "managed" ? {
    route    = google_service_account.route.email
    consumer = google_service_account.consumer.email
    enricher = google_service_account.enricher.email
    web      = google_service_account.web.email
    alerter  = google_service_account.alerter.email
  } : {}

  project = var.project_id
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${each.value}"
}

resource "google_secret_manager_secret_iam_member" "route_reads_token" {
  secret_id = google_secret_manager_secret.scrape_token.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.route.email}"
}

resource "google_storage_bucket_iam_member" "consumer_objects" {
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.consumer.email}"
}

resource "google_bigquery_dataset_iam_member" "consumer_editor" {
  dataset_id = google_bigquery_dataset.ofertas.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.consumer.email}"
}

resource "google_bigquery_dataset_iam_member" "queries_editor" {
  dataset_id = google_bigquery_dataset.ofertas.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.queries.email}"
}

# running load and query jobs is granted per project; the data they may touch is the dataset above
resource "google_project_iam_member" "consumer_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.consumer.email}"
}

resource "google_project_iam_member" "queries_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.queries.email}"
}

# the Data Transfer Service runs the scheduled queries as the queries service account
resource "google_service_account_iam_member" "transfer_agent_acts_as_queries" {
  service_account_id = google_service_account.queries.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-bigquerydatatransfer.iam.gserviceaccount.com"
}

# the web view reads the dataset and nothing else; running its queries is granted per project
resource "google_bigquery_dataset_iam_member" "web_reader" {
  dataset_id = google_bigquery_dataset.ofertas.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.web.email}"
}

resource "google_project_iam_member" "web_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.web.email}"
}

# the alerter reads item_days and the scheduled queries' SQL runs as its queries: read-only
resource "google_bigquery_dataset_iam_member" "alerter_reader" {
  dataset_id = google_bigquery_dataset.ofertas.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.alerter.email}"
}

resource "google_project_iam_member" "alerter_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.alerter.email}"
}

resource "google_secret_manager_secret_iam_member" "alerter_reads_channels" {
  secret_id = google_secret_manager_secret.alert_channels.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.alerter.email}"
}

# the keys of people's channels and mute links: the web view seals and checks, the alerter opens and signs
resource "google_secret_manager_secret_iam_member" "people_keys" {
  for_each = {
    web_channels     = { secret = google_secret_manager_secret.channel_secrets_key.id, member = google_service_account.web.email }
    web_links        = { secret = google_secret_manager_secret.link_key.id, member = google_service_account.web.email }
    alerter_channels = { secret = google_secret_manager_secret.channel_secrets_key.id, member = google_service_account.alerter.email }
    alerter_links    = { secret = google_secret_manager_secret.link_key.id, member = google_service_account.alerter.email }
  }
  secret_id = each.value.secret
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value.member}"
}
