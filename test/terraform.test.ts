/**
 * terraform/ agrees with the code: the tables use the schemas the consumer uses, partitioning
 * and clustering match shared/tables.ts, the scheduled queries are the SQL files, and the
 * service accounts get only what they need. (`tofu validate` runs in the terraform step.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { SCHEDULED_QUERIES } from "../reports/scheduled-queries.ts";
import { TOPICS } from "../shared/kafka.ts";
import { TABLES } from "../shared/tables.ts";

const dir = new URL("../terraform/", import.meta.url).pathname;
const tf = Object.fromEntries(
  readdirSync(dir).filter((f) => f.endsWith(".tf")).map((f) => [f, readFileSync(dir + f, "utf8")]),
);
const all = Object.values(tf).join("\n");

/** The body of `resource "<type>" "<name>" { … }` (brace-matched). */
function resource(type: string, name: string): string {
  const start = all.indexOf(`resource "${type}" "${name}" {`);
  assert.ok(start >= 0, `resource ${type}.${name}`);
  let depth = 0;
  for (let i = all.indexOf("{", start); i < all.length; i++) {
    if (all[i] === "{") depth++;
    else if (all[i] === "}" && --depth === 0) return all.slice(start, i + 1);
  }
  throw new Error("unbalanced braces");
}

test("terraform: every table, with the schema file the consumer's code generates, partitioned and clustered like shared/tables.ts", () => {
  const tables = resource("google_bigquery_table", "tables");
  assert.match(tables, /schema\s+= file\("\$\{path\.module\}\/\.\.\/schema\/\$\{each\.key\}\.json"\)/);
  assert.match(tables, /field\s+= each\.value\.partition_field/);
  assert.match(tables, /type\s+= "DAY"/);
  assert.match(tables, /require_partition_filter = var\.require_partition_filter/);
  for (const table of TABLES) {
    const entry = new RegExp(
      `${table.name} = \\{[^}]*partition_field = "${table.partitionField}"\\s+clustering\\s+= \\[${
        table.clusteringFields.map((c) => `"${c}"`).join(", ")
      }\\]`,
    );
    assert.match(tf["bigquery.tf"]!, entry, `${table.name}: clustering ${table.clusteringFields.join(", ")}`);
  }
});

test("terraform: the three scheduled queries are the SQL files, writing their day's partition", () => {
  const transfer = resource("google_bigquery_data_transfer_config", "scheduled");
  assert.match(transfer, /data_source_id\s+= "scheduled_query"/);
  assert.match(transfer, /write_disposition\s+= "WRITE_TRUNCATE"/);
  assert.match(transfer, /destination_table_name_template = "\$\{each\.key\}\$\$\{run_time-24h\|\\"%Y%m%d\\"\}"/);
  assert.match(all, /file\("\$\{path\.module\}\/\.\.\/sql\/bigquery\/\$\{name\}\.sql"\)/);
  for (const name of SCHEDULED_QUERIES) {
    assert.match(
      tf["scheduled_queries.tf"]!,
      new RegExp(`${name}\\s+= \\{ schedule = "every day \\d\\d:\\d\\d" \\}`),
      name,
    );
  }
  for (
    const placeholder of [
      "{{price_history}}",
      "{{first_day}}",
      "{{last_day}}",
      "{{dataset}}",
      "{{tolerance_pct}}",
      "{{min_history_days}}",
      "{{top_n}}",
    ]
  ) {
    assert.ok(tf["scheduled_queries.tf"]!.includes(`"${placeholder}"`), placeholder);
  }
});

test("terraform: the staging bucket is private, uniform, and cleans up after itself", () => {
  const bucket = resource("google_storage_bucket", "staging");
  assert.match(bucket, /uniform_bucket_level_access = true/);
  assert.match(bucket, /public_access_prevention\s+= "enforced"/);
  assert.match(bucket, /lifecycle_rule \{/);
  assert.match(bucket, /type = "Delete"/);
  assert.doesNotMatch(all, /allUsers"[\s\S]{0,80}storage|storage[\s\S]{0,80}allUsers/, "no public access to storage");
});

test("terraform: least privilege per component; the route cannot touch BigQuery or GCS", () => {
  const grants = [...all.matchAll(/resource "(google_[a-z_]+_iam_member)" "([a-z_]+)" \{([\s\S]*?)\n\}/g)].map((
    [, type, name, body],
  ) => ({
    type,
    name,
    role: /role\s+= "([^"]+)"/.exec(body!)?.[1],
    member: /member\s+= "([^"]*)"/.exec(body!)?.[1] ?? /member\s+= (\S+)/.exec(body!)?.[1],
    body: body!,
  }));
  const of = (account: string) =>
    grants.filter((g) =>
      g.body.includes(`google_service_account.${account}.email`) ||
      (g.name === "kafka_client" && account !== "queries")
    );
  assert.deepEqual(of("route").map((g) => g.role).sort(), [
    "roles/managedkafka.client",
    "roles/secretmanager.secretAccessor",
  ]);
  assert.deepEqual(of("consumer").map((g) => `${g.type}:${g.role}`).sort(), [
    "google_bigquery_dataset_iam_member:roles/bigquery.dataEditor",
    "google_project_iam_member:roles/bigquery.jobUser",
    "google_project_iam_member:roles/managedkafka.client",
    "google_storage_bucket_iam_member:roles/storage.objectAdmin",
  ]);
  assert.deepEqual(of("enricher").map((g) => g.role).sort(), ["roles/managedkafka.client"], "the enricher: Kafka only");
  assert.deepEqual(of("web").map((g) => `${g.type}:${g.role}`).sort(), [
    "google_bigquery_dataset_iam_member:roles/bigquery.dataViewer",
    "google_project_iam_member:roles/bigquery.jobUser",
    "google_project_iam_member:roles/managedkafka.client",
  ], "the web view can only read the dataset (and the watches from Kafka)");
  assert.deepEqual(of("alerter").map((g) => `${g.type}:${g.role}`).sort(), [
    "google_bigquery_dataset_iam_member:roles/bigquery.dataViewer",
    "google_project_iam_member:roles/bigquery.jobUser",
    "google_project_iam_member:roles/managedkafka.client",
    "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
  ], "the alerter reads the dataset and its channels' secret");
  // data access is granted on the dataset and the bucket, never on the project
  for (const g of grants) {
    if (g.type === "google_project_iam_member") {
      assert.ok(
        ["roles/bigquery.jobUser", "roles/managedkafka.client"].includes(g.role!),
        `${g.name}: ${g.role} on the project`,
      );
    }
  }
  assert.doesNotMatch(all, /roles\/(owner|editor|bigquery\.admin|storage\.admin)"/);
});

test("terraform: no secret in a file; the scheduler ticks the watches with the token from Secret Manager", () => {
  assert.match(tf["variables.tf"]!, /variable "scrape_token" \{[\s\S]*?sensitive\s+= true/);
  const tick = resource("google_cloud_scheduler_job", "tick");
  assert.match(tick, /schedule\s+= "\* \* \* \* \*"/);
  assert.match(tick, /uri\s+= "\$\{google_cloud_run_v2_service\.route\.uri\}\/watches\/tick"/);
  // the old fixed-body job's schedule lives on as a seeded watch
  assert.match(
    tf["scheduler.tf"]!,
    /moved \{\s+from = google_cloud_scheduler_job\.scrape\s+to\s+= google_cloud_scheduler_job\.tick/,
  );
  assert.match(
    resource("google_cloud_run_v2_service", "route"),
    /OFERTAS_WATCHES_SEED = jsonencode\(concat\(\[\{[\s\S]*?target = var\.scrape_request\s+period = \{ cron = var\.scrape_schedule, time_zone = "America\/Sao_Paulo" \}/,
  );
  assert.match(
    tick,
    /"Authorization" = "Bearer \$\{google_secret_manager_secret_version\.scrape_token\.secret_data\}"/,
  );
  assert.match(resource("google_cloud_run_v2_service", "route"), /secret_key_ref \{/);
  // the alert channels' URLs hold secrets: Secret Manager, read by the alerter's service only
  assert.match(tf["variables.tf"]!, /variable "alert_channels" \{[\s\S]*?sensitive\s+= true/);
  assert.match(
    tf["cloud_run.tf"]!,
    /secrets = \{ OFERTAS_ALERT_CHANNELS = google_secret_manager_secret\.alert_channels\.secret_id \}/,
  );
  assert.doesNotMatch(all, /(password|token|secret)\s*=\s*"[^"$]{8,}"/i);
});

test("terraform: Kafka is managed (the project's topics, RF 3, min ISR 2) by default, three VMs as an option", () => {
  assert.match(tf["variables.tf"]!, /variable "kafka_mode" \{[\s\S]*?default\s+= "managed"/);
  const topics = resource("google_managed_kafka_topic", "topics");
  assert.match(topics, /replication_factor = 3/);
  assert.match(topics, /"min\.insync\.replicas" = "2"/);
  for (const spec of [TOPICS.offers, TOPICS.deadLetters, TOPICS.details, TOPICS.detailsDeadLetters]) {
    const entry = new RegExp(
      `"${
        spec.name.replace(/\./g, "\\.")
      }"\\s+= \\{ partitions = ${spec.partitions}, retention_ms = (\\d+) \\* 86400000 \\}`,
    ).exec(tf["kafka.tf"]!);
    assert.ok(entry, `${spec.name} with ${spec.partitions} partitions, as in shared/kafka.ts`);
    assert.equal(String(Number(entry[1]) * 86_400_000), spec.configs["retention.ms"], `${spec.name} retention`);
  }
  for (const spec of [TOPICS.loads, TOPICS.alertsDeadLetters]) {
    const entry = new RegExp(
      `"${
        spec.name.replace(/\./g, "\\.")
      }"\\s+= \\{ partitions = ${spec.partitions}, retention_ms = (\\d+) \\* 86400000 \\}`,
    )
      .exec(tf["kafka.tf"]!);
    assert.ok(entry, `${spec.name} with ${spec.partitions} partitions`);
    assert.equal(String(Number(entry[1]) * 86_400_000), spec.configs["retention.ms"], `${spec.name} retention`);
  }
  for (const spec of [TOPICS.watches, TOPICS.watchRuns, TOPICS.alerts, TOPICS.alertState, TOPICS.scraperDrift]) {
    const entry = new RegExp(
      `"${spec.name.replace(/\./g, "\\.")}"\\s+= \\{ partitions = ${spec.partitions}, configs = \\{([^}]*)\\} \\}`,
    )
      .exec(tf["kafka.tf"]!);
    assert.ok(entry, `${spec.name} with ${spec.partitions} partition, as in shared/kafka.ts`);
    for (const [name, value] of Object.entries(spec.configs)) {
      if (name === "min.insync.replicas") continue; // set for every topic by the resource
      assert.ok(entry[1]!.includes(`"${name}" = "${value}"`), `${spec.name}: ${name} = ${value}`);
    }
  }
  assert.match(resource("google_compute_instance", "kafka"), /count\s+= var\.kafka_mode == "vms" \? 3 : 0/);
});

test("terraform: every placeholder of the scheduled SQL is filled in", () => {
  for (const name of SCHEDULED_QUERIES) {
    const sql = readFileSync(new URL(`../sql/bigquery/${name}.sql`, import.meta.url), "utf8").replace(/^--.*$/gm, "");
    for (const [placeholder] of sql.matchAll(/\{\{[a-z_]+\}\}/g)) {
      assert.ok(tf["scheduled_queries.tf"]!.includes(`"${placeholder}"`), `${name}: ${placeholder}`);
    }
  }
});

test("terraform: the item_details view is the SQL file over the last 30 days, every placeholder filled in", () => {
  const view = resource("google_bigquery_table", "item_details");
  assert.match(view, /use_legacy_sql = false/);
  assert.match(tf["views.tf"]!, /file\("\$\{path\.module\}\/\.\.\/sql\/bigquery\/item_details\.sql"\)/);
  const sql = readFileSync(new URL("../sql/bigquery/item_details.sql", import.meta.url), "utf8").replace(
    /^--.*$/gm,
    "",
  );
  const placeholders = [...sql.matchAll(/\{\{[a-z_]+\}\}/g)].map(([p]) => p);
  assert.ok(placeholders.length >= 3);
  for (const placeholder of placeholders) {
    assert.ok(tf["views.tf"]!.includes(`"${placeholder}"`), `item_details: ${placeholder}`);
  }
});
