# Staging bucket for the consumer's batches: private, uniform access, and a lifecycle rule that
# removes staged files a crash may have left behind (successful loads delete their own files).
resource "google_storage_bucket" "staging" {
  name                        = var.bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  lifecycle_rule {
    condition {
      age            = var.staging_retention_days
      matches_prefix = ["staging/"]
    }
    action {
      type = "Delete"
    }
  }
}
