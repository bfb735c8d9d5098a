# Views over the tables: item_details is each item's latest product page of the last 30 days
# (sql/bigquery/item_details.sql), joinable with price_history, daily_offers and fake_discounts
# USING (site, item_id). A view scans only the product_details partitions its range names.
locals {
  item_details_sql = replace(replace(replace(
    file("${path.module}/../sql/bigquery/item_details.sql"),
    "{{first_day}}", "DATE_SUB(CURRENT_DATE('America/Sao_Paulo'), INTERVAL 30 DAY)"),
    "{{last_day}}", "CURRENT_DATE('America/Sao_Paulo')"),
  "{{dataset}}", local.dataset_ref)
}

resource "google_bigquery_table" "item_details" {
  dataset_id          = google_bigquery_dataset.ofertas.dataset_id
  table_id            = "item_details"
  description         = "Each item's latest product details of the last 30 São Paulo days: category, specifications, seller, sold count. Join USING (site, item_id)."
  deletion_protection = false

  view {
    query          = local.item_details_sql
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.tables]
}
