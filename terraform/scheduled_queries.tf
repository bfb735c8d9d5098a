# The four scheduled queries (sql/bigquery/*.sql), run by the BigQuery Data Transfer Service
# just after each São Paulo day ends. Each writes the partition of the day that ended
# (WRITE_TRUNCATE on a partition decorator), so re-runs and backfills are idempotent.
locals {
  dataset_ref = "${var.project_id}.${var.dataset_id}"
  scheduled = {
    price_history   = { schedule = "every day 03:30" }
    fake_discounts  = { schedule = "every day 03:45" }
    daily_top_deals = { schedule = "every day 04:00" }
    # the verdict at product level: reads product_days (kept by the loads) and one day of offers
    product_discounts = { schedule = "every day 03:50" }
  }
  sql_dir = "${path.module}/../sql/bigquery"
  # a query made of other files (product_discounts.sql: fake_discounts.sql judging
  # product_history.sql, whose report day is product_day_summary.sql), composed as
  # reports/product-verdict-sql.ts composes them; the other files have none of these placeholders
  composed_sql = {
    for name, _ in local.scheduled : name => replace(replace(replace(
      file("${local.sql_dir}/${name}.sql"),
      "{{judged}}", replace(file("${local.sql_dir}/fake_discounts.sql"), "{{price_history}}", "product_history")),
      "{{product_history}}", file("${local.sql_dir}/product_history.sql")),
    "{{report_day_products}}", file("${local.sql_dir}/product_day_summary.sql"))
  }
  # the report day: the São Paulo day before @run_date (the same SQL serves a range in the web view)
  report_day = "DATE_SUB(@run_date, INTERVAL 1 DAY)"
  scheduled_sql = {
    for name, _ in local.scheduled : name => replace(replace(replace(replace(replace(replace(replace(
      replace(replace(replace(replace(replace(
        local.composed_sql[name],
        # the report day's product summary: every product, stamped as a fold would stamp it
        "{{days}}", local.report_day),
        "{{day}}", local.report_day),
        "{{products}}", "TRUE"),
        "{{fold}}", "'day'"),
      "{{updated_at}}", "CURRENT_TIMESTAMP()"),
      "{{price_history}}", "`{{dataset}}.price_history`"),
      "{{first_day}}", local.report_day),
      "{{last_day}}", local.report_day),
      "{{dataset}}", local.dataset_ref),
      "{{tolerance_pct}}", tostring(var.tolerance_pct)),
      "{{min_history_days}}", tostring(var.min_history_days)),
    "{{top_n}}", tostring(var.top_n))
  }
}

resource "google_bigquery_data_transfer_config" "scheduled" {
  for_each = local.scheduled

  display_name           = "ofertas ${each.key}"
  location               = var.bigquery_location
  data_source_id         = "scheduled_query"
  schedule               = each.value.schedule
  destination_dataset_id = google_bigquery_dataset.ofertas.dataset_id
  service_account_name   = google_service_account.queries.email

  params = {
    query = local.scheduled_sql[each.key]
    # the partition of the São Paulo day that just ended (the run is at 03:30 UTC the next day)
    destination_table_name_template = "${each.key}$${run_time-24h|\"%Y%m%d\"}"
    write_disposition               = "WRITE_TRUNCATE"
  }

  depends_on = [
    google_bigquery_table.tables,
    google_bigquery_dataset_iam_member.queries_editor,
    google_project_iam_member.queries_job_user,
    google_service_account_iam_member.transfer_agent_acts_as_queries,
  ]
}
