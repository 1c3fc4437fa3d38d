"""Buckets, topics and subscriptions of the local stack; each call is idempotent."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from google.api_core.exceptions import AlreadyExists, Conflict
from google.protobuf import duration_pb2

from invoiceflow.settings import PipelineSettings

logger = logging.getLogger(__name__)


@contextmanager
def _emulator_env(env: Mapping[str, str]) -> Iterator[None]:
    """Point Google clients at the emulators for the duration of a block."""
    keys = ("PUBSUB_EMULATOR_HOST", "STORAGE_EMULATOR_HOST")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.update({key: env[key] for key in keys})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def provision_messaging(env: Mapping[str, str], settings: PipelineSettings) -> None:
    """Topics, the bridge subscription with its dead-letter policy, and a DLQ reader."""
    from invoiceflow.gcp import pubsub_v1

    with _emulator_env(env):
        publisher = pubsub_v1.PublisherClient()
        subscriber = pubsub_v1.SubscriberClient()
        project = settings.project_id
        topics = [settings.uploads_topic, settings.dead_letter_topic]
        topics += list(settings.stage_topics.values())
        for topic in topics:
            _ignore_exists(
                publisher.create_topic, name=publisher.topic_path(project, topic)
            )

        dead_letter = publisher.topic_path(project, settings.dead_letter_topic)
        request = {
            "name": subscriber.subscription_path(
                project, settings.uploads_subscription
            ),
            "topic": publisher.topic_path(project, settings.uploads_topic),
            "ack_deadline_seconds": 60,
            "dead_letter_policy": {
                "dead_letter_topic": dead_letter,
                "max_delivery_attempts": settings.max_delivery_attempts,
            },
            "retry_policy": {
                "minimum_backoff": duration_pb2.Duration(
                    seconds=settings.min_backoff_seconds
                ),
                "maximum_backoff": duration_pb2.Duration(
                    seconds=settings.max_backoff_seconds
                ),
            },
        }
        _ignore_exists(subscriber.create_subscription, request=request)
        # Without a subscription the dead-letter topic would drop what it receives.
        _ignore_exists(
            subscriber.create_subscription,
            request={
                "name": subscriber.subscription_path(
                    project, settings.dead_letter_topic
                ),
                "topic": dead_letter,
            },
        )
        logger.info("Pub/Sub topics and subscriptions ready in project %s", project)


def provision_storage(env: Mapping[str, str], settings: PipelineSettings) -> None:
    """The input, processed and failed buckets.

    fake-gcs-server sends OBJECT_FINALIZE for the input bucket from its
    command-line flags, since it has no notification API; in Google Cloud the
    notification is created by Terraform (deployments/terraform).
    """
    from invoiceflow.gcp import storage

    with _emulator_env(env):
        client = storage.Client(project=settings.project_id)
        for bucket in (
            settings.input_bucket,
            settings.processed_bucket,
            settings.failed_bucket,
        ):
            _ignore_exists(client.create_bucket, bucket)
        logger.info("Buckets ready in %s", env["STORAGE_EMULATOR_HOST"])


def _ignore_exists(create: object, *args: object, **kwargs: object) -> None:
    try:
        create(*args, **kwargs)  # type: ignore[operator]
    except (AlreadyExists, Conflict):
        return
