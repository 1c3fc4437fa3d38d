"""The Pub/Sub to Prefect bridge: OBJECT_FINALIZE messages become `invoice.uploaded`."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any, Literal

from invoiceflow.errors import PermanentError
from invoiceflow.events import PrefectEventPoster, upload_event
from invoiceflow.models import UploadRef
from invoiceflow.settings import PipelineSettings

logger = logging.getLogger(__name__)

Outcome = Literal["accepted", "ignored"]


class MalformedNotificationError(PermanentError):
    """A message claims to be a storage notification but lacks what one carries."""

    kind = "malformed_notification"


def parse_notification(
    attributes: Mapping[str, str], data: bytes, settings: PipelineSettings
) -> tuple[UploadRef | None, str]:
    """The upload a notification announces, or None with the reason to skip it.

    Attributes are what GCS sets on every notification; the JSON body is used
    only as a fallback for the generation, which older senders leave out.
    """
    event_type = attributes.get("eventType")
    if event_type != "OBJECT_FINALIZE":
        return None, f"event type {event_type!r} is not OBJECT_FINALIZE"

    bucket = attributes.get("bucketId")
    name = attributes.get("objectId")
    generation = attributes.get("objectGeneration") or _generation_from_body(data)
    if not bucket or not name or not generation:
        raise MalformedNotificationError(
            "OBJECT_FINALIZE message lacks bucketId, objectId or objectGeneration; "
            f"attributes were {dict(attributes)!r}."
        )

    if bucket != settings.input_bucket:
        return (
            None,
            f"bucket {bucket!r} is not the input bucket {settings.input_bucket!r}",
        )
    if not name.startswith(settings.input_prefix):
        return None, f"object is outside the prefix {settings.input_prefix!r}"
    if name.endswith("/"):
        return None, "object is a folder placeholder"
    return UploadRef(bucket=bucket, name=name, generation=generation), ""


def _generation_from_body(data: bytes) -> str | None:
    try:
        body = json.loads(data or b"{}")
    except ValueError:
        return None
    generation = body.get("generation") if isinstance(body, dict) else None
    return str(generation) if generation else None


class Bridge:
    """One notification to one accepted Prefect event; used by pull and push."""

    def __init__(self, settings: PipelineSettings, poster: PrefectEventPoster) -> None:
        self.settings = settings
        self.poster = poster

    def handle(
        self, attributes: Mapping[str, str], data: bytes, message_id: str = ""
    ) -> Outcome:
        """Post the event for a notification; raises when it could not be posted."""
        ref, reason = parse_notification(attributes, data, self.settings)
        if ref is None:
            logger.info("Ignoring message %s: %s", message_id, reason)
            return "ignored"

        self.poster.post([upload_event(ref, {"pubsub_message_id": message_id})])
        logger.info("Sent invoice.uploaded for %s (message %s)", ref.uri, message_id)
        return "accepted"


def run_subscriber(
    bridge: Bridge, *, stop: threading.Event | None = None, max_messages: int = 20
) -> None:
    """Streaming-pull the uploads subscription until `stop` is set or it fails."""
    from invoiceflow.gcp import pubsub_v1

    settings = bridge.settings
    subscriber = pubsub_v1.SubscriberClient()
    path = subscriber.subscription_path(
        settings.project_id, settings.uploads_subscription
    )

    def callback(message: Any) -> None:
        try:
            bridge.handle(message.attributes, message.data, message.message_id)
        except Exception:
            # Nack: Pub/Sub redelivers with backoff and, after the configured
            # attempts, moves the message to the dead-letter topic.
            logger.exception(
                "Could not forward message %s; nacking", message.message_id
            )
            message.nack()
            return
        message.ack()

    flow_control = pubsub_v1.types.FlowControl(max_messages=max_messages)
    future = subscriber.subscribe(path, callback=callback, flow_control=flow_control)
    logger.info("Bridge listening on %s", path)
    with subscriber:
        try:
            if stop is None:
                future.result()
            else:
                stop.wait()
        finally:
            future.cancel()
            # Let callbacks in flight finish their ack or nack before exiting.
            if not future.done():
                future.result(timeout=10)


def push_handler(bridge: Bridge, envelope: Mapping[str, Any]) -> Outcome:
    """Handle a Pub/Sub push envelope (Cloud Run); raises to make Pub/Sub retry."""
    message = envelope.get("message")
    if not isinstance(message, dict):
        raise MalformedNotificationError("push request has no 'message' object.")
    try:
        data = base64.b64decode(message.get("data") or "")
    except binascii.Error as exc:
        raise MalformedNotificationError("push message data is not base64.") from exc
    return bridge.handle(
        message.get("attributes") or {}, data, message.get("messageId", "")
    )
