# The dataset and its tables. Schemas come from schema/*.json, which is generated from
# shared/tables.ts: Terraform, the consumer and the DuckDB warehouse use the same definitions.
locals {
  tables = {
    daily_offers = {
      description     = "One row per offer seen on a Mercado Livre deal page (ofertas). Partitioned by offer_date (America/Sao_Paulo)."
      partition_field = "offer_date"
      clustering      = ["site", "item_id"]
      expiration      = var.partition_expiration_days
    }
    product_details = {
      description     = "One row per item per São Paulo day: what the item's own page says (description, specifications, category, sold count, stock). Written by the enricher via Kafka."
      partition_field = "detail_date"
      clustering      = ["site", "item_id"]
      expiration      = var.partition_expiration_days
    }
    stock_observations = {
      description     = "One row per page fetch that said whether an item or a catalog product was for sale (a watch's run, the enricher): what back_in_stock and out_of_stock judge."
      partition_field = "observed_date"
      clustering      = ["site", "subject_id"]
      expiration      = var.partition_expiration_days
    }
    alerts = {
      description     = "Every alert the alerter decided (rule, item, price, verdict, why, channels) and what became of it on each channel. Loaded by the consumer from ofertas.alerts."
      partition_field = "event_date"
      clustering      = ["event", "alert_id"]
      expiration      = null
    }
    item_days = {
      description     = "One row per item per São Paulo day the stream has moved past: lowest, highest and last price, folded by the load that closes the day (sql/*/item_days_fold.sql)."
      partition_field = "offer_date"
      clustering      = ["site", "item_id"]
      expiration      = var.partition_expiration_days
    }
    product_days = {
      description     = "One row per catalog product per São Paulo day: lowest price across its listings and who had it, the best price at the day's end, listings and sellers seen (sql/*/product_days_fold.sql)."
      partition_field = "offer_date"
      clustering      = ["site", "product_id"]
      expiration      = var.partition_expiration_days
    }
    price_history = {
      description     = "One row per item per São Paulo day: what its price did that day. Written by the price_history scheduled query."
      partition_field = "offer_date"
      clustering      = ["site", "item_id"]
      expiration      = null
    }
    fake_discounts = {
      description     = "Per offer of the day claiming a discount: the real discount against the lowest price of the prior 30 days, and a verdict."
      partition_field = "offer_date"
      clustering      = ["site", "verdict"]
      expiration      = null
    }
    product_discounts = {
      description     = "Per catalog product of the day whose best price claims a discount: the real discount against the lowest price of the prior 30 days across every seller, and a verdict."
      partition_field = "offer_date"
      clustering      = ["site", "verdict"]
      expiration      = null
    }
    daily_top_deals = {
      description     = "The day's best real discounts, ranked per site and overall."
      partition_field = "offer_date"
      clustering      = ["site"]
      expiration      = null
    }
  }
}

resource "google_bigquery_dataset" "ofertas" {
  dataset_id  = var.dataset_id
  location    = var.bigquery_location
  description = "ofertas: Mercado Livre deal offers and the questions asked of them."
}

resource "google_bigquery_table" "tables" {
  for_each = local.tables

  dataset_id               = google_bigquery_dataset.ofertas.dataset_id
  table_id                 = each.key
  description              = each.value.description
  schema                   = file("${path.module}/../schema/${each.key}.json")
  clustering               = each.value.clustering
  require_partition_filter = var.require_partition_filter
  deletion_protection      = true

  time_partitioning {
    type          = "DAY"
    field         = each.value.partition_field
    expiration_ms = each.value.expiration == null ? null : each.value.expiration * 86400000
  }
}
