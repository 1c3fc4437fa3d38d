"""The bridge against the real Pub/Sub emulator and a real Prefect server."""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from google.cloud import pubsub_v1
from google.protobuf import duration_pb2

from invoiceflow.bridge import Bridge, run_subscriber
from invoiceflow.bridge_http import create_app
from invoiceflow.devstack import DevStack
from invoiceflow.devstack.processes import free_port
from invoiceflow.events import PrefectEventPoster, event_id
from invoiceflow.models import UploadRef
from invoiceflow.settings import PipelineSettings
from tests.prefect_api import events_about, wait_until


def _finalize(
    name: str, generation: str, bucket: str = "invoices-input"
) -> dict[str, str]:
    return {
        "eventType": "OBJECT_FINALIZE",
        "bucketId": bucket,
        "objectId": name,
        "objectGeneration": generation,
    }


@pytest.fixture
def topic_and_subscription(stack: DevStack) -> tuple[PipelineSettings, str]:
    """A private topic, subscription (1-2 s backoff) and dead-letter topic per test."""
    suffix = uuid.uuid4().hex[:8]
    settings = PipelineSettings(
        uploads_topic=f"uploads-{suffix}",
        uploads_subscription=f"bridge-{suffix}",
        dead_letter_topic=f"dead-{suffix}",
        min_backoff_seconds=1,
        max_backoff_seconds=2,
    )
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()
    project = settings.project_id
    dead = publisher.topic_path(project, settings.dead_letter_topic)
    for topic in (settings.uploads_topic, settings.dead_letter_topic):
        publisher.create_topic(name=publisher.topic_path(project, topic))
    subscriber.create_subscription(
        request={
            "name": subscriber.subscription_path(
                project, settings.uploads_subscription
            ),
            "topic": publisher.topic_path(project, settings.uploads_topic),
            "dead_letter_policy": {
                "dead_letter_topic": dead,
                "max_delivery_attempts": 5,
            },
            "retry_policy": {
                "minimum_backoff": duration_pb2.Duration(seconds=1),
                "maximum_backoff": duration_pb2.Duration(seconds=2),
            },
        }
    )
    dead_subscription = subscriber.subscription_path(project, f"dead-reader-{suffix}")
    subscriber.create_subscription(name=dead_subscription, topic=dead)
    return settings, dead_subscription


def _run_bridge(bridge: Bridge) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_subscriber, args=(bridge,), kwargs={"stop": stop}
    )
    thread.start()
    return stop, thread


def _publish(settings: PipelineSettings, attributes: dict[str, str]) -> None:
    publisher = pubsub_v1.PublisherClient()
    topic = publisher.topic_path(settings.project_id, settings.uploads_topic)
    publisher.publish(topic, b"{}", **attributes).result(timeout=30)


def test_finalize_message_becomes_an_accepted_prefect_event(
    stack: DevStack, topic_and_subscription: tuple[PipelineSettings, str]
) -> None:
    settings, _ = topic_and_subscription
    # The object never exists: the flow run the trigger starts quarantines it.
    ref = UploadRef(
        bucket="invoices-input", name=f"bridge/{uuid.uuid4().hex}.tif", generation="1"
    )
    bridge = Bridge(settings, PrefectEventPoster(stack.prefect_api_url))
    stop, thread = _run_bridge(bridge)

    try:
        _publish(settings, _finalize(ref.name, ref.generation))
        events = wait_until(
            lambda: events_about(
                stack.prefect_api_url,
                "invoiceflow.upload." + ref.uri,
                "invoice.uploaded",
            ),
            60,
            "the invoice.uploaded event",
        )
    finally:
        stop.set()
        thread.join(timeout=20)

    assert events[0]["id"] == event_id("invoice.uploaded", ref)
    assert events[0]["resource"]["invoiceflow.generation"] == "1"


def test_unforwardable_message_ends_in_the_dead_letter_topic(
    stack: DevStack, topic_and_subscription: tuple[PipelineSettings, str]
) -> None:
    settings, dead_subscription = topic_and_subscription
    unreachable = PrefectEventPoster(
        f"http://127.0.0.1:{free_port()}/api", timeout_seconds=1
    )
    stop, thread = _run_bridge(Bridge(settings, unreachable))
    subscriber = pubsub_v1.SubscriberClient()

    try:
        _publish(settings, _finalize("lost/a.tif", "3"))
        received = wait_until(
            lambda: (
                subscriber.pull(
                    subscription=dead_subscription, max_messages=1, timeout=5
                ).received_messages
            ),
            90,
            "the message on the dead-letter topic",
        )
    finally:
        stop.set()
        thread.join(timeout=20)

    assert received[0].message.attributes["objectId"] == "lost/a.tif"


@pytest.fixture
def push_url(stack: DevStack) -> Iterator[str]:
    """The push endpoint served over real HTTP by uvicorn on a free port."""
    bridge = Bridge(PipelineSettings(), PrefectEventPoster(stack.prefect_api_url))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(bridge), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run)
    thread.start()
    wait_until(lambda: server.started, 20, "the push endpoint to listen")
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=20)


def test_push_endpoint_accepts_a_notification(stack: DevStack, push_url: str) -> None:
    ref = UploadRef(
        bucket="invoices-input", name=f"push/{uuid.uuid4().hex}.tif", generation="9"
    )
    envelope = {
        "message": {
            "attributes": _finalize(ref.name, ref.generation),
            "data": base64.b64encode(b"{}").decode(),
            "messageId": "42",
        },
        "subscription": "projects/local-project/subscriptions/push",
    }

    response = httpx.post(push_url, json=envelope, timeout=30)

    assert response.status_code == 204
    wait_until(
        lambda: events_about(
            stack.prefect_api_url, "invoiceflow.upload." + ref.uri, "invoice.uploaded"
        ),
        60,
        "the pushed invoice.uploaded event",
    )


def test_push_endpoint_rejects_an_envelope_without_message(push_url: str) -> None:
    response = httpx.post(push_url, json={"subscription": "x"}, timeout=30)

    assert response.status_code == 400
    assert "message" in response.json()["error"]
