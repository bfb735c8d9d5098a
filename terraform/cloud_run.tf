# The scrape route, the daemons (batch consumer, enricher) and the web view on Cloud Run, from
# the same image, each with its own service account.
resource "google_cloud_run_v2_service" "route" {
  name     = "ofertas-route"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"

  template {
    service_account = google_service_account.route.email
    timeout         = "900s"
    scaling {
      min_instance_count = 0
      max_instance_count = 2
    }
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.ofertas.id
        subnetwork = google_compute_subnetwork.ofertas.id
      }
    }
    containers {
      image   = var.image
      command = ["bun", "run", "edge/scrape-route.ts"]
      ports {
        container_port = 8080
      }
      env {
        name  = "OFERTAS_HOST"
        value = "0.0.0.0"
      }
      dynamic "env" {
        for_each = local.kafka_client_env
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = {
          # the schedule of the job that used to call POST /scrape, kept as a watch; more from var.watches
          OFERTAS_WATCHES_SEED = jsonencode(concat([{
            id     = "scheduled-scrape"
            name   = "Scheduled scrape"
            target = var.scrape_request
            period = { cron = var.scrape_schedule, time_zone = "America/Sao_Paulo" }
          }], var.watches))
          OFERTAS_WATCH_PAGES_PER_HOUR = tostring(var.watch_pages_per_hour)
        }
        content {
          name  = env.key
          value = env.value
        }
      }
      env {
        name = "OFERTAS_TOKEN"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.scrape_token.secret_id
            version = "latest"
          }
        }
      }
      startup_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.route_reads_token, google_secret_manager_secret_version.scrape_token]
}

# The route authenticates callers itself (Authorization: Bearer <token>, compared in constant
# time): Cloud Scheduler sends that token, so Cloud Run lets requests through to it.
resource "google_cloud_run_v2_service_iam_member" "route_public" {
  name     = google_cloud_run_v2_service.route.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# The daemons: one instance each, CPU always on, /healthz on the port Cloud Run expects, Kafka
# over Direct VPC egress. The consumer loads the warehouse; the enricher reads offers, fetches
# product pages from the internet (direct egress, like the route) and produces details: it has
# no access to BigQuery or GCS; the alerter reads the dataset and sends to its channels.
locals {
  daemons = {
    consumer = {
      service_account = google_service_account.consumer.email
      command         = ["bun", "run", "batch/consumer.ts"]
      memory          = "2Gi"
      env = {
        OFERTAS_METRICS_PORT                = "8080"
        OFERTAS_WAREHOUSE                   = "bigquery"
        OFERTAS_BQ_PROJECT                  = var.project_id
        OFERTAS_BQ_DATASET                  = google_bigquery_dataset.ofertas.dataset_id
        OFERTAS_BQ_LOCATION                 = var.bigquery_location
        OFERTAS_GCS_BUCKET                  = google_storage_bucket.staging.name
        OFERTAS_BATCH_INTERVAL_MS           = tostring(var.consumer_interval_ms)
        OFERTAS_BQ_REQUIRE_PARTITION_FILTER = tostring(var.require_partition_filter)
      }
      secrets = {}
    }
    enricher = {
      service_account = google_service_account.enricher.email
      command         = ["bun", "run", "enrich/enricher.ts"]
      memory          = "512Mi"
      env = {
        OFERTAS_ENRICHER_METRICS_PORT = "8080"
        OFERTAS_DETAILS_FRESH_DAYS    = tostring(var.details_fresh_days)
        OFERTAS_DETAILS_PER_SCRAPE    = tostring(var.details_per_scrape)
      }
      secrets = {}
    }
    # evaluates each load in BigQuery (read-only) and tells the channels; their URLs hold secrets
    alerter = {
      service_account = google_service_account.alerter.email
      command         = ["bun", "run", "alert/alerter.ts"]
      memory          = "512Mi"
      env = {
        OFERTAS_ALERTER_PORT         = "8080"
        OFERTAS_WAREHOUSE            = "bigquery"
        OFERTAS_BQ_PROJECT           = var.project_id
        OFERTAS_BQ_DATASET           = google_bigquery_dataset.ofertas.dataset_id
        OFERTAS_BQ_LOCATION          = var.bigquery_location
        OFERTAS_ALERT_RULES          = var.alert_rules
        OFERTAS_PUBLIC_URL           = var.web_public_url
        OFERTAS_WATCH_PAGES_PER_HOUR = tostring(var.watch_pages_per_hour)
      }
      secrets = {
        OFERTAS_ALERT_CHANNELS = google_secret_manager_secret.alert_channels.secret_id
        OFERTAS_SECRETS_KEY    = google_secret_manager_secret.channel_secrets_key.secret_id
        OFERTAS_LINK_KEY       = google_secret_manager_secret.link_key.secret_id
      }
    }
  }
}

resource "google_cloud_run_v2_service" "daemon" {
  for_each = local.daemons

  name     = "ofertas-${each.key}"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_INTERNAL_ONLY"

  template {
    service_account = each.value.service_account
    scaling {
      min_instance_count = 1
      max_instance_count = 1
    }
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.ofertas.id
        subnetwork = google_compute_subnetwork.ofertas.id
      }
    }
    containers {
      image   = var.image
      command = each.value.command
      ports {
        container_port = 8080
      }
      resources {
        cpu_idle = false
        limits = {
          cpu    = "1"
          memory = each.value.memory
        }
      }
      dynamic "env" {
        for_each = merge(local.kafka_client_env, { OFERTAS_HOST = "0.0.0.0" }, each.value.env)
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = each.value.secrets
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }
      startup_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  # the consumer's and the alerter's grants; the enricher needs none, but waiting costs nothing
  depends_on = [
    google_bigquery_table.tables,
    google_bigquery_dataset_iam_member.consumer_editor,
    google_project_iam_member.consumer_job_user,
    google_storage_bucket_iam_member.consumer_objects,
    google_bigquery_dataset_iam_member.alerter_reader,
    google_project_iam_member.alerter_job_user,
    google_secret_manager_secret_iam_member.alerter_reads_channels,
    google_secret_manager_secret_version.alert_channels,
  ]
}

# the consumer's service was a resource of its own before the enricher joined it
moved {
  from = google_cloud_run_v2_service.consumer
  to   = google_cloud_run_v2_service.daemon["consumer"]
}

# Creates the topics on the VMs (kafka_mode = "vms"); the managed cluster gets them from Terraform.
resource "google_cloud_run_v2_job" "kafka_topics" {
  count    = var.kafka_mode == "vms" ? 1 : 0
  name     = "ofertas-kafka-topics"
  location = var.region

  template {
    template {
      service_account = google_service_account.consumer.email
      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.ofertas.id
          subnetwork = google_compute_subnetwork.ofertas.id
        }
      }
      containers {
        image   = var.image
        command = ["bun", "run", "scripts/kafka-topics.ts", "ensure"]
        env {
          name  = "KAFKA_BROKERS"
          value = local.kafka_brokers
        }
      }
    }
  }
}

# The deals web view: public (it shows what was found; OFERTAS_WEB_SIGN_IN can require a sign-in);
# it reads the dataset, and reads and writes the watches' and the accounts' topics (what people do
# in its forms); it never touches GCS. People's channel secrets are sealed with a key from Secret
# Manager that only it and the alerter can read.
resource "google_cloud_run_v2_service" "web" {
  name     = "ofertas-web"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"

  template {
    service_account = google_service_account.web.email
    scaling {
      min_instance_count = 0
      max_instance_count = 2
    }
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.ofertas.id
        subnetwork = google_compute_subnetwork.ofertas.id
      }
    }
    containers {
      image   = var.image
      command = ["bun", "run", "web/server.ts"]
      ports {
        container_port = 8080
      }
      dynamic "env" {
        for_each = {
          OFERTAS_HOST              = "0.0.0.0"
          OFERTAS_WEB_PORT          = "8080"
          OFERTAS_WAREHOUSE         = "bigquery"
          OFERTAS_BQ_PROJECT        = var.project_id
          OFERTAS_BQ_DATASET        = google_bigquery_dataset.ofertas.dataset_id
          OFERTAS_BQ_LOCATION       = var.bigquery_location
          OFERTAS_WEB_CACHE_SECONDS = tostring(var.web_cache_seconds)
          # every request comes through Google's front end: without this, one bucket for everyone
          OFERTAS_WEB_TRUSTED_PROXY_HOPS = tostring(var.web_trusted_proxy_hops)
        }
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = merge(
          local.kafka_client_env,
          { OFERTAS_WATCH_PAGES_PER_HOUR = tostring(var.watch_pages_per_hour), OFERTAS_WEB_SIGN_IN = var.web_sign_in },
          var.web_public_url == "" ? {} : { OFERTAS_PUBLIC_URL = var.web_public_url },
        )
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = {
          OFERTAS_SECRETS_KEY = google_secret_manager_secret.channel_secrets_key.secret_id
          OFERTAS_LINK_KEY    = google_secret_manager_secret.link_key.secret_id
        }
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }
      startup_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  depends_on = [
    google_bigquery_dataset_iam_member.web_reader,
    google_project_iam_member.web_job_user,
    google_project_iam_member.kafka_client,
    google_secret_manager_secret_iam_member.people_keys,
    google_secret_manager_secret_version.channel_secrets_key,
    google_secret_manager_secret_version.link_key,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "web_public" {
  name     = google_cloud_run_v2_service.web.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}
