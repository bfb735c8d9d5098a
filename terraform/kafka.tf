# Kafka: Google Cloud Managed Service for Apache Kafka with the project's topics (default),
# or three Compute Engine VMs running a KRaft cluster (kafka_mode = "vms"), like the seed project.
locals {
  topics = {
    # the offers and the details keep the producers' compression (as shared/kafka.ts says)
    "deal-of-the-day"     = { partitions = 6, retention_ms = 7 * 86400000, configs = { "compression.type" = "producer" } }
    "deal-of-the-day.dlq" = { partitions = 3, retention_ms = 30 * 86400000, configs = {} }
    "product-details"     = { partitions = 6, retention_ms = 14 * 86400000, configs = { "compression.type" = "producer" } }
    "product-details.dlq" = { partitions = 3, retention_ms = 30 * 86400000, configs = {} }
    "ofertas.stock"       = { partitions = 3, retention_ms = 14 * 86400000, configs = {} }
    "ofertas.stock.dlq"   = { partitions = 1, retention_ms = 30 * 86400000, configs = {} }
    "ofertas.loads"       = { partitions = 1, retention_ms = 7 * 86400000, configs = {} }
    "ofertas.alerts.dlq"  = { partitions = 1, retention_ms = 30 * 86400000, configs = {} }
  }
  # the watches and their runs: compacted tables of one partition (shared/kafka.ts)
  compacted_topics = {
    "ofertas.watches"    = { partitions = 1, configs = { "cleanup.policy" = "compact" } }
    "ofertas.watch-runs" = { partitions = 1, configs = { "cleanup.policy" = "compact", "min.compaction.lag.ms" = "7200000", "segment.ms" = "86400000" } }
    # the alerts (the outbox and its deliveries) and each rule and item's episode; an alert is kept
    # from the cleaner 7 days (ALERTS_MIN_COMPACTION_LAG_MS): a lagging consumer still loads it
    "ofertas.alerts"      = { partitions = 1, configs = { "cleanup.policy" = "compact", "min.compaction.lag.ms" = "604800000", "segment.ms" = "86400000" } }
    "ofertas.alert-state" = { partitions = 1, configs = { "cleanup.policy" = "compact", "segment.ms" = "86400000" } }
    # accounts, sessions, people's channels (secrets sealed) and mutes (shared/accounts/)
    "ofertas.accounts" = { partitions = 1, configs = { "cleanup.policy" = "compact" } }
    # the scraper's coverage baseline and drifts per site and view
    "ofertas.scraper-drift" = { partitions = 1, configs = { "cleanup.policy" = "compact" } }
  }
  kafka_vm_ips = [for i in range(3) : cidrhost(google_compute_subnetwork.ofertas.ip_cidr_range, 10 + i)]
  kafka_brokers = var.kafka_mode == "managed" ? (
    "bootstrap.${google_managed_kafka_cluster.ofertas[0].cluster_id}.${var.region}.managedkafka.${var.project_id}.cloud.goog:9092"
  ) : join(",", [for ip in local.kafka_vm_ips : "${ip}:9092"])
  # how the apps authenticate: SASL/OAUTHBEARER with their service account (managed), plaintext in the VPC (VMs)
  kafka_client_env = var.kafka_mode == "managed" ? {
    KAFKA_BROKERS                 = local.kafka_brokers
    KAFKA_SSL                     = "true"
    KAFKA_SASL_MECHANISM          = "oauthbearer"
    KAFKA_SASL_OAUTH_TOKEN_SOURCE = "gcp-metadata"
    } : {
    KAFKA_BROKERS = local.kafka_brokers
  }
}

resource "google_managed_kafka_cluster" "ofertas" {
  count      = var.kafka_mode == "managed" ? 1 : 0
  cluster_id = "ofertas"
  location   = var.region

  capacity_config {
    vcpu_count   = var.kafka_vcpus
    memory_bytes = var.kafka_memory_gib * 1073741824
  }

  gcp_config {
    access_config {
      network_configs {
        subnet = google_compute_subnetwork.ofertas.id
      }
    }
  }
}

resource "google_managed_kafka_topic" "topics" {
  for_each = var.kafka_mode == "managed" ? local.topics : {}

  topic_id           = each.key
  cluster            = google_managed_kafka_cluster.ofertas[0].cluster_id
  location           = var.region
  partition_count    = each.value.partitions
  replication_factor = 3
  configs = merge({
    "min.insync.replicas" = "2"
    "retention.ms"        = tostring(each.value.retention_ms)
  }, each.value.configs)
}

resource "google_managed_kafka_topic" "compacted" {
  for_each = var.kafka_mode == "managed" ? local.compacted_topics : {}

  topic_id           = each.key
  cluster            = google_managed_kafka_cluster.ofertas[0].cluster_id
  location           = var.region
  partition_count    = each.value.partitions
  replication_factor = 3
  configs            = merge({ "min.insync.replicas" = "2" }, each.value.configs)
}

resource "google_compute_address" "kafka" {
  count        = var.kafka_mode == "vms" ? 3 : 0
  name         = "ofertas-kafka-${count.index + 1}"
  region       = var.region
  subnetwork   = google_compute_subnetwork.ofertas.id
  address_type = "INTERNAL"
  address      = local.kafka_vm_ips[count.index]
}

resource "google_compute_instance" "kafka" {
  count        = var.kafka_mode == "vms" ? 3 : 0
  name         = "ofertas-kafka-${count.index + 1}"
  zone         = "${var.region}-${["a", "b", "c"][count.index]}"
  machine_type = var.kafka_vm_machine_type
  tags         = ["ofertas-kafka"]

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = 50
      type  = "pd-balanced"
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.ofertas.id
    network_ip = google_compute_address.kafka[count.index].address
  }

  metadata = {
    startup-script = templatefile("${path.module}/kafka-vm-startup.sh.tftpl", {
      node_id     = count.index + 1
      node_ip     = local.kafka_vm_ips[count.index]
      voters      = join(",", [for i, ip in local.kafka_vm_ips : "${i + 1}@${ip}:9093"])
      pom_xml     = replace(file("${path.module}/../infra/kafka/pom.xml"), "/<kafka.version>[^<]*</", "<kafka.version>${var.kafka_version}</")
      broker_conf = file("${path.module}/../infra/kafka/broker.properties")
      log4j_conf  = file("${path.module}/../infra/kafka/log4j2.properties")
      cluster_id  = var.kafka_vm_cluster_id
    })
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}
