# A private network for Kafka and for Cloud Run's egress to it (Direct VPC egress).
resource "google_compute_network" "ofertas" {
  name                    = "ofertas"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "ofertas" {
  name                     = "ofertas-${var.region}"
  network                  = google_compute_network.ofertas.id
  region                   = var.region
  ip_cidr_range            = "10.42.0.0/20"
  private_ip_google_access = true
}

resource "google_compute_firewall" "kafka_internal" {
  count   = var.kafka_mode == "vms" ? 1 : 0
  name    = "ofertas-kafka-internal"
  network = google_compute_network.ofertas.id

  allow {
    protocol = "tcp"
    ports    = ["9092", "9093"]
  }
  source_ranges = [google_compute_subnetwork.ofertas.ip_cidr_range]
  target_tags   = ["ofertas-kafka"]
}
