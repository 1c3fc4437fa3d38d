"""Stage events mirrored to the Pub/Sub topics of the original design."""

from __future__ import annotations

import json
import uuid

from invoiceflow.devstack import DevStack
from invoiceflow.gcp import pubsub_v1
from invoiceflow.models import UploadRef
from invoiceflow.runtime import runtime_for
from invoiceflow.settings import PipelineSettings


def test_publish_delivers_the_stage_payload_to_subscribers(stack: DevStack) -> None:
    topic = f"invoice-converted-{uuid.uuid4().hex[:8]}"
    settings = PipelineSettings(stage_topics={"converted": topic})
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()
    topic_path = publisher.topic_path(settings.project_id, topic)
    publisher.create_topic(name=topic_path)
    subscription = subscriber.subscription_path(settings.project_id, topic + "-reader")
    subscriber.create_subscription(name=subscription, topic=topic_path)
    ref = UploadRef(bucket="invoices-input", name="a.tif", generation="4")

    runtime_for(settings, ref).publish(topic, {"source": ref.uri, "pages": 2})

    received = subscriber.pull(subscription=subscription, max_messages=1, timeout=30)
    message = received.received_messages[0].message
    assert json.loads(message.data) == {"source": ref.uri, "pages": 2}
