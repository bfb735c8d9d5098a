/**
 * terraform/ agrees with the code, read through OpenTofu's own plan (test/tofu-plan.ts: `tofu
 * plan` and `tofu show -json`, offline), not through the text of the .tf files: the tables have
 * the schemas the consumer generates and shared/tables.ts's partitioning and clustering, the
 * scheduled queries are the SQL files with every placeholder filled in, the topics are
 * shared/kafka.ts's, and each service account gets only what it needs. Run by the terraform step
 * (`npm test`), which builds OpenTofu and the provider first.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SCHEDULED_QUERIES } from "../reports/scheduled-queries.ts";
import { composeProductDiscounts } from "../reports/product-verdict-sql.ts";
import { TOPICS, type TopicSpec } from "../shared/kafka.ts";
import { TABLES } from "../shared/tables.ts";
import { type Plan, PLAN_PROJECT, type PlannedResource, planTerraform } from "./tofu-plan.ts";

let plan: Plan;
let vms: Plan;

before(async () => {
  [plan, vms] = await Promise.all([planTerraform(), planTerraform({ kafka_mode: "vms" })]);
});

const repoFile = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
// deno-lint-ignore no-explicit-any
const v = (r: PlannedResource) => r.values as Record<string, any>;
const envOf = (address: string) =>
  Object.fromEntries(
    // deno-lint-ignore no-explicit-any
    v(plan.resource(address)).template[0].containers[0].env.map((e: any) => [e.name, e]),
  );

test("terraform plan: every table, with the schema the consumer's code generates, partitioned and clustered like shared/tables.ts", () => {
  for (const table of TABLES) {
    const planned = v(plan.resource(`google_bigquery_table.tables["${table.name}"]`));
    assert.deepEqual(JSON.parse(planned.schema), JSON.parse(repoFile(`schema/${table.name}.json`)), table.name);
    assert.deepEqual(planned.time_partitioning, [
      { ...planned.time_partitioning[0], field: table.partitionField, type: "DAY" },
    ]);
    assert.deepEqual(planned.clustering, table.clusteringFields, `${table.name}: clustering`);
    assert.equal(planned.require_partition_filter, true);
  }
  const tables = plan.resources.filter((r) => r.address.startsWith("google_bigquery_table.tables["));
  assert.equal(tables.length, TABLES.length, "no table Terraform has and the code does not");
});

test("terraform plan: the scheduled queries are the SQL files, every placeholder filled in, writing their day's partition", () => {
  for (const name of SCHEDULED_QUERIES) {
    const planned = v(plan.resource(`google_bigquery_data_transfer_config.scheduled["${name}"]`));
    assert.equal(planned.data_source_id, "scheduled_query");
    assert.match(planned.schedule, /^every day \d\d:\d\d$/);
    assert.equal(planned.params.write_disposition, "WRITE_TRUNCATE");
    assert.equal(planned.params.destination_table_name_template, `${name}\${run_time-24h|"%Y%m%d"}`);
    const query: string = planned.params.query;
    assert.doesNotMatch(query, /\{\{[a-z_]+\}\}/, `${name}: a placeholder left`);
    // the SQL file (a composed query: its files put in as reports/ composes them), only its placeholders replaced
    const file = name === "product_discounts"
      ? composeProductDiscounts("bigquery")
      : repoFile(`sql/bigquery/${name}.sql`);
    const pattern = file.split(/\{\{[a-z_]+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    assert.match(query, new RegExp(`^${pattern.join("[^\\n]*?")}$`), `${name} is its SQL file`);
  }
});

test("terraform plan: the item_details view is its SQL file over the last 30 days, every placeholder filled in", () => {
  const view = v(plan.resource("google_bigquery_table.item_details")).view[0];
  assert.equal(view.use_legacy_sql, false);
  assert.doesNotMatch(view.query, /\{\{[a-z_]+\}\}/);
  assert.match(view.query, /INTERVAL 30 DAY/);
  assert.match(view.query, new RegExp(`\`${PLAN_PROJECT}\\.ofertas\\.product_details\``));
});

test("terraform plan: the staging bucket is private, uniform, and cleans up after itself; nothing public but the two services", () => {
  const bucket = v(plan.resource("google_storage_bucket.staging"));
  assert.equal(bucket.uniform_bucket_level_access, true);
  assert.equal(bucket.public_access_prevention, "enforced");
  assert.deepEqual(bucket.lifecycle_rule.map((r: { action: Array<{ type: string }> }) => r.action[0]!.type), [
    "Delete",
  ]);
  const open = plan.resources.filter((r) => /^all(Authenticated)?Users$/.test(String(r.values.member ?? "")));
  assert.deepEqual(open.map((r) => `${r.address} ${r.values.role}`), [
    "google_cloud_run_v2_service_iam_member.route_public roles/run.invoker",
    "google_cloud_run_v2_service_iam_member.web_public roles/run.invoker",
  ]);
});

test("terraform plan: least privilege per component; the route cannot touch BigQuery or GCS", () => {
  const grants = plan.resources.filter((r) => r.type.endsWith("_iam_member"));
  const of = (account: string) =>
    grants.filter((g) =>
      g.values.member === `serviceAccount:ofertas-${account}@${PLAN_PROJECT}.iam.gserviceaccount.com`
    )
      .map((g) => `${g.type}:${g.values.role}`).sort();
  assert.deepEqual(of("route"), [
    "google_project_iam_member:roles/managedkafka.client",
    "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
  ]);
  assert.deepEqual(of("consumer"), [
    "google_bigquery_dataset_iam_member:roles/bigquery.dataEditor",
    "google_project_iam_member:roles/bigquery.jobUser",
    "google_project_iam_member:roles/managedkafka.client",
    "google_storage_bucket_iam_member:roles/storage.objectAdmin",
  ]);
  assert.deepEqual(of("enricher"), ["google_project_iam_member:roles/managedkafka.client"], "the enricher: Kafka only");
  assert.deepEqual(
    of("web"),
    [
      "google_bigquery_dataset_iam_member:roles/bigquery.dataViewer",
      "google_project_iam_member:roles/bigquery.jobUser",
      "google_project_iam_member:roles/managedkafka.client",
      "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
      "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
    ],
    "the web view reads the dataset, the watches and accounts from Kafka, and the two keys of people's channels and links",
  );
  assert.deepEqual(of("alerter"), [
    "google_bigquery_dataset_iam_member:roles/bigquery.dataViewer",
    "google_project_iam_member:roles/bigquery.jobUser",
    "google_project_iam_member:roles/managedkafka.client",
    "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
    "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
    "google_secret_manager_secret_iam_member:roles/secretmanager.secretAccessor",
  ], "the alerter reads the dataset, its channels' secret and the two keys of people's channels and links");
  // the keys of people's channels and links: readable by the web view and the alerter only
  const keyReaders = grants.filter((g) => g.address.startsWith("google_secret_manager_secret_iam_member.people_keys"))
    .map((g) => String(g.values.member).split("@")[0]).sort();
  assert.deepEqual(keyReaders, [
    "serviceAccount:ofertas-alerter",
    "serviceAccount:ofertas-alerter",
    "serviceAccount:ofertas-web",
    "serviceAccount:ofertas-web",
  ]);
  // data access is granted on the dataset and the bucket, never on the project
  for (const g of grants.filter((g) => g.type === "google_project_iam_member")) {
    assert.ok(["roles/bigquery.jobUser", "roles/managedkafka.client"].includes(String(g.values.role)), g.address);
  }
  assert.deepEqual(grants.filter((g) => /roles\/(owner|editor|.*\.admin)$/.test(String(g.values.role))), []);
});

test("terraform plan: no secret in a file; the scheduler ticks the watches with the token from Secret Manager", () => {
  assert.equal(plan.configuration.variables.scrape_token!.sensitive, true);
  assert.equal(plan.configuration.variables.alert_channels!.sensitive, true);
  const tick = v(plan.resource("google_cloud_scheduler_job.tick"));
  assert.equal(tick.schedule, "* * * * *");
  assert.deepEqual(
    plan.references("google_cloud_scheduler_job.tick", "http_target").filter((r) =>
      !r.includes(".", r.indexOf(".") + 1)
    ),
    ["google_secret_manager_secret_version.scrape_token", "google_cloud_run_v2_service.route"],
    "the bearer comes from the secret's version, the URI from the route",
  );
  assert.ok(
    plan.references("google_cloud_scheduler_job.tick", "http_target").includes("google_cloud_run_v2_service.route.uri"),
  );
  assert.ok(
    plan.references("google_secret_manager_secret_version.scrape_token", "secret_data").includes("var.scrape_token"),
  );
  const route = envOf("google_cloud_run_v2_service.route");
  assert.deepEqual(route.OFERTAS_TOKEN.value_source[0].secret_key_ref[0].secret, "ofertas-scrape-token");
  // the old fixed-body scheduler job lives on as a seeded watch on the old schedule
  const [seed] = JSON.parse(route.OFERTAS_WATCHES_SEED.value);
  assert.deepEqual(seed, {
    id: "scheduled-scrape",
    name: "Scheduled scrape",
    period: { cron: plan.configuration.variables.scrape_schedule!.default, time_zone: "America/Sao_Paulo" },
    target: plan.configuration.variables.scrape_request!.default,
  });
  const alerter = envOf('google_cloud_run_v2_service.daemon["alerter"]');
  assert.equal(alerter.OFERTAS_ALERT_CHANNELS.value_source[0].secret_key_ref[0].secret, "ofertas-alert-channels");
  // people's channel secrets and mute links: keys from Secret Manager, in the web view and the alerter
  assert.equal(plan.configuration.variables.channel_secrets_key!.sensitive, true);
  assert.equal(plan.configuration.variables.link_key!.sensitive, true);
  const web = envOf("google_cloud_run_v2_service.web");
  // behind Cloud Run's front end, each visitor is the address it saw, not one bucket for all
  assert.equal(web.OFERTAS_WEB_TRUSTED_PROXY_HOPS.value, "1");
  for (const env of [web, alerter]) {
    assert.equal(env.OFERTAS_SECRETS_KEY.value_source[0].secret_key_ref[0].secret, "ofertas-channel-secrets-key");
    assert.equal(env.OFERTAS_LINK_KEY.value_source[0].secret_key_ref[0].secret, "ofertas-link-key");
  }
  const others = ["google_cloud_run_v2_service.route", 'google_cloud_run_v2_service.daemon["consumer"]'];
  for (const address of others) assert.equal(envOf(address).OFERTAS_ALERT_CHANNELS, undefined, address);
});

test("terraform plan: Kafka is managed with shared/kafka.ts's topics (RF 3, min ISR 2) by default, three VMs as an option", () => {
  assert.equal(plan.configuration.variables.kafka_mode!.default, "managed");
  const planned = plan.resources.filter((r) => r.type === "google_managed_kafka_topic");
  const topics = Object.values(TOPICS).filter((t: TopicSpec) => t.name !== TOPICS.probe.name);
  assert.deepEqual(planned.map((t) => t.values.topic_id).sort(), topics.map((t) => t.name).sort());
  for (const spec of topics) {
    const topic = v(planned.find((t) => t.values.topic_id === spec.name)!);
    assert.equal(topic.partition_count, spec.partitions, spec.name);
    assert.equal(topic.replication_factor, 3, spec.name);
    assert.deepEqual(topic.configs, spec.configs, `${spec.name}: the configs of shared/kafka.ts`);
  }
  assert.equal(vms.resources.filter((r) => r.type === "google_compute_instance").length, 3);
  assert.equal(vms.resources.filter((r) => r.type === "google_managed_kafka_topic").length, 0);
  assert.equal(plan.resources.filter((r) => r.type === "google_compute_instance").length, 0);
});
