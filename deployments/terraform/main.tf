# Google Cloud resources of invoiceflow: buckets, topics, the bridge
# subscription with its dead-letter policy, and the bucket notification.

terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 5.0" }
  }
}

variable "project_id" { type = string }
variable "region" {
  type    = string
  default = "us-central1"
}
variable "bridge_push_url" {
  type        = string
  description = "HTTPS address of the bridge on Cloud Run (invoiceflow bridge --push)"
}

provider "google" {
  project = var.project_id
  region  = var.region
}

data "google_project" "this" {}
data "google_storage_project_service_account" "gcs" {}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_storage_bucket" "buckets" {
  for_each                    = toset(["invoices-input", "invoices-processed", "invoices-failed"])
  name                        = "${var.project_id}-${each.key}"
  location                    = var.region
  uniform_bucket_level_access = true
}

resource "google_pubsub_topic" "topics" {
  for_each = toset([
    "invoice-uploads", "invoice-uploads-dead-letter",
    "invoice-converted", "invoice-classified", "invoice-extracted",
  ])
  name = each.key
}

resource "google_pubsub_topic_iam_member" "gcs_publishes_uploads" {
  topic  = google_pubsub_topic.topics["invoice-uploads"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "uploads" {
  bucket         = google_storage_bucket.buckets["invoices-input"].name
  payload_format = "JSON_API_V1"
  topic          = google_pubsub_topic.topics["invoice-uploads"].id
  event_types    = ["OBJECT_FINALIZE"]
  depends_on     = [google_pubsub_topic_iam_member.gcs_publishes_uploads]
}

resource "google_pubsub_subscription" "bridge" {
  name                 = "invoice-uploads-bridge"
  topic                = google_pubsub_topic.topics["invoice-uploads"].id
  ack_deadline_seconds = 60

  push_config {
    push_endpoint = var.bridge_push_url
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.topics["invoice-uploads-dead-letter"].id
    max_delivery_attempts = 5
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}

resource "google_pubsub_subscription" "dead_letter_reader" {
  name  = "invoice-uploads-dead-letter"
  topic = google_pubsub_topic.topics["invoice-uploads-dead-letter"].id
}

# Pub/Sub's own agent must publish to the dead-letter topic and ack on the
# source subscription, or dead-lettering silently does nothing.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.topics["invoice-uploads-dead-letter"].id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  subscription = google_pubsub_subscription.bridge.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
