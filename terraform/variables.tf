variable "project_id" {
  description = "Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region for Cloud Run, the bucket, Kafka and the scheduler (São Paulo by default, next to Mercado Livre)."
  type        = string
  default     = "southamerica-east1"
}

variable "bigquery_location" {
  description = "Location of the BigQuery dataset (a region or US/EU)."
  type        = string
  default     = "southamerica-east1"
}

variable "dataset_id" {
  description = "BigQuery dataset holding daily_offers and the derived tables."
  type        = string
  default     = "ofertas"
}

variable "bucket_name" {
  description = "GCS bucket for staged batches (globally unique)."
  type        = string
}

variable "staging_retention_days" {
  description = "Staged files left behind (e.g. by a crash) are deleted after this many days."
  type        = number
  default     = 7
}

variable "partition_expiration_days" {
  description = "Partitions of daily_offers older than this are deleted; null keeps them forever."
  type        = number
  default     = null
}

variable "require_partition_filter" {
  description = "Queries on the partitioned tables must filter on offer_date."
  type        = bool
  default     = true
}

variable "image" {
  description = "Container image built from the repository's Dockerfile (route, consumer, topic job)."
  type        = string
}

variable "scrape_token" {
  description = "Bearer token for the scrape route's write routes. Pass it with TF_VAR_scrape_token; it is stored in Secret Manager, never in files."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.scrape_token) >= 16
    error_message = "The scrape token must be at least 16 characters."
  }
}

variable "scrape_schedule" {
  description = "Cron schedule (America/Sao_Paulo) of the seeded watch \"scheduled-scrape\" (before watches: of the job that called POST /scrape)."
  type        = string
  default     = "*/30 * * * *"
}

variable "scrape_request" {
  description = "What the seeded watch \"scheduled-scrape\" scrapes: a POST /scrape body (site, view, pages)."
  type        = object({ site = string, view = string, pages = number })
  default     = { site = "MLB", view = "all", pages = 5 }
}

variable "watches" {
  description = "More watches seeded at the route's start when absent (each an object with id, target, period; docs/watches.md). Manage them through the API afterwards."
  type        = any
  default     = []
}

variable "watch_pages_per_hour" {
  description = "Pages per host per rolling hour that all watches together may fetch (OFERTAS_WATCH_PAGES_PER_HOUR)."
  type        = number
  default     = 300
}

variable "consumer_interval_ms" {
  description = "Batch interval of the consumer; at least 60000 (BigQuery's 1,500 table modifications per day)."
  type        = number
  default     = 300000
  validation {
    condition     = var.consumer_interval_ms >= 60000
    error_message = "The consumer interval must be at least 60000 ms."
  }
}

variable "kafka_mode" {
  description = "\"managed\": Google Cloud Managed Service for Apache Kafka (default). \"vms\": three Compute Engine VMs running a KRaft cluster, as in the seed project."
  type        = string
  default     = "managed"
  validation {
    condition     = contains(["managed", "vms"], var.kafka_mode)
    error_message = "kafka_mode must be \"managed\" or \"vms\"."
  }
}

variable "kafka_vcpus" {
  description = "vCPUs of the managed Kafka cluster (minimum 3)."
  type        = number
  default     = 3
}

variable "kafka_memory_gib" {
  description = "Memory of the managed Kafka cluster in GiB (1 to 8 per vCPU)."
  type        = number
  default     = 3
}

variable "kafka_vm_machine_type" {
  description = "Machine type of the Kafka VMs (kafka_mode = \"vms\")."
  type        = string
  default     = "e2-standard-2"
}

variable "kafka_version" {
  description = "Apache Kafka version the VMs install from Maven Central (kafka_mode = \"vms\")."
  type        = string
  default     = "4.4.0"
}

variable "tolerance_pct" {
  description = "fake_discounts: percentage points a displayed discount may exceed the real one (and percent the original may exceed the 30-day high)."
  type        = number
  default     = 5
}

variable "min_history_days" {
  description = "fake_discounts: days seen in the prior 30 needed for a verdict."
  type        = number
  default     = 7
}

variable "top_n" {
  description = "daily_top_deals: deals kept per site and overall."
  type        = number
  default     = 20
}

variable "kafka_vm_cluster_id" {
  description = "KRaft cluster id of the Kafka VMs: 16 bytes in base64url, as `kafka-storage random-uuid` prints."
  type        = string
  default     = "FmJfaVDOU5qxeT_mIVqddw"
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{22}$", var.kafka_vm_cluster_id))
    error_message = "The cluster id must be 22 base64url characters."
  }
}

variable "web_cache_seconds" {
  description = "How long the web view reuses a computed page's data before asking BigQuery again (each ask costs bytes)."
  type        = number
  default     = 300
  validation {
    condition     = var.web_cache_seconds >= 1
    error_message = "web_cache_seconds must be at least 1."
  }
}

variable "web_trusted_proxy_hops" {
  description = "Proxies in front of the web view that append to X-Forwarded-For: 1 for Cloud Run's own front end, one more per load balancer before it. Each visitor's rate limits (searches, sign-ins) key on the address the farthest of them saw; at 0 every visitor would share one bucket."
  type        = number
  default     = 1
  validation {
    condition     = var.web_trusted_proxy_hops >= 1 && var.web_trusted_proxy_hops <= 5
    error_message = "web_trusted_proxy_hops must be 1-5 on Cloud Run (its front end is always one)."
  }
}

variable "details_fresh_days" {
  description = "The enricher does not fetch an item's product page again within this many days (1-13)."
  type        = number
  default     = 7
  validation {
    condition     = var.details_fresh_days >= 1 && var.details_fresh_days <= 13
    error_message = "details_fresh_days must be 1-13 (the product-details topic keeps 14 days)."
  }
}

variable "details_per_scrape" {
  description = "Most product pages the enricher fetches for one scrape's offers (0 turns enrichment off)."
  type        = number
  default     = 20
}

variable "alert_channels" {
  description = "Alert channels, a JSON object of name → URL (docs/alerts.md), kept in Secret Manager: set TF_VAR_alert_channels, never a file."
  type        = string
  default     = "{}"
  sensitive   = true
}

variable "alert_rules" {
  description = "Global alert rules for every item, a JSON array (watches carry their own rules)."
  type        = string
  default     = "[]"
}

variable "channel_secrets_key" {
  description = "Key sealing people's channel secrets (AES-256-GCM): base64 of 32 random bytes (`openssl rand -base64 32`). Pass it with TF_VAR_channel_secrets_key; kept in Secret Manager, read by the web view and the alerter. Changing it makes every person's channel unreadable (they add them again)."
  type        = string
  sensitive   = true
  validation {
    condition     = can(base64decode(var.channel_secrets_key)) && length(base64decode(var.channel_secrets_key)) == 32
    error_message = "channel_secrets_key must be the base64 of exactly 32 bytes."
  }
}

variable "link_key" {
  description = "Key signing the mute links in alerts (HMAC-SHA256), at least 32 characters. Pass it with TF_VAR_link_key; kept in Secret Manager, read by the web view and the alerter."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.link_key) >= 32
    error_message = "link_key must be at least 32 characters."
  }
}

variable "web_public_url" {
  description = "The web view's address as people reach it (https://ofertas.example.com): links in alerts and the only Origin its forms accept. Empty: the service's own URL as the request names it, and no mute links in alerts."
  type        = string
  default     = ""
}

variable "web_sign_in" {
  description = "Whether reading the deals needs a sign-in: public (the default) or required."
  type        = string
  default     = "public"
  validation {
    condition     = contains(["public", "required"], var.web_sign_in)
    error_message = "web_sign_in must be public or required."
  }
}
