"""Prefect event payloads for an upload, and posting them to the Prefect API."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from invoiceflow.errors import TransientError
from invoiceflow.models import UploadRef

logger = logging.getLogger(__name__)

UPLOADED = "invoice.uploaded"
RESOURCE_PREFIX = "invoiceflow.upload."


def event_id(event: str, ref: UploadRef) -> str:
    """A stable id per event name and upload, so a redelivery repeats it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event}:{ref.uri}"))


def upload_resource(ref: UploadRef) -> dict[str, str]:
    """The event resource naming one upload; the deployment trigger reads it."""
    return {
        "prefect.resource.id": RESOURCE_PREFIX + ref.uri,
        "prefect.resource.name": ref.name,
        "invoiceflow.scheme": ref.scheme,
        "invoiceflow.bucket": ref.bucket,
        "invoiceflow.name": ref.name,
        "invoiceflow.generation": ref.generation,
    }


def upload_event(
    ref: UploadRef, payload: dict[str, Any] | None = None, *, event: str = UPLOADED
) -> dict[str, Any]:
    """The JSON body of one Prefect event about `ref`."""
    return {
        "id": event_id(event, ref),
        "occurred": datetime.now(UTC).isoformat(),
        "event": event,
        "resource": upload_resource(ref),
        "related": [],
        "payload": payload or {},
    }


class PrefectEventPoster:
    """Posts events to `<api>/events`, which answers only once it accepted them.

    The websocket emitter of the Prefect client is fire-and-forget; the bridge
    must not ack a Pub/Sub message before the event is safe, so it uses HTTP.
    """

    def __init__(self, api_url: str, timeout_seconds: float = 10.0) -> None:
        self._client = httpx.Client(
            base_url=api_url.rstrip("/"), timeout=timeout_seconds
        )

    def post(self, events: list[dict[str, Any]]) -> None:
        try:
            response = self._client.post("/events", json=events)
        except httpx.HTTPError as exc:
            raise TransientError(
                f"could not reach the Prefect API at {self._client.base_url}: {exc}"
            ) from exc
        if response.status_code >= 300:
            raise TransientError(
                f"Prefect API refused {len(events)} event(s) with "
                f"{response.status_code}: {response.text[:200]}"
            )

    def close(self) -> None:
        self._client.close()
