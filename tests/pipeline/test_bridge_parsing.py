from __future__ import annotations

import json

import pytest

from invoiceflow.bridge import MalformedNotificationError, parse_notification
from invoiceflow.events import event_id, upload_event
from invoiceflow.models import UploadRef
from invoiceflow.settings import PipelineSettings

SETTINGS = PipelineSettings(input_bucket="invoices-input", input_prefix="inbox/")
FINALIZE = {
    "eventType": "OBJECT_FINALIZE",
    "bucketId": "invoices-input",
    "objectId": "inbox/a b#1.TIF",
    "objectGeneration": "1712",
    "payloadFormat": "JSON_API_V1",
}


def test_finalize_notification_names_the_upload() -> None:
    ref, _ = parse_notification(FINALIZE, b"{}", SETTINGS)

    assert ref == UploadRef(
        bucket="invoices-input", name="inbox/a b#1.TIF", generation="1712"
    )


def test_generation_falls_back_to_the_json_body() -> None:
    attributes = {k: v for k, v in FINALIZE.items() if k != "objectGeneration"}

    ref, _ = parse_notification(
        attributes, json.dumps({"generation": "99"}).encode(), SETTINGS
    )

    assert ref is not None and ref.generation == "99"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"eventType": "OBJECT_DELETE"}, "not OBJECT_FINALIZE"),
        ({"bucketId": "elsewhere"}, "not the input bucket"),
        ({"objectId": "archive/a.tif"}, "outside the prefix"),
        ({"objectId": "inbox/folder/"}, "folder placeholder"),
    ],
)
def test_other_messages_are_ignored_with_a_reason(
    change: dict[str, str], reason: str
) -> None:
    ref, why = parse_notification({**FINALIZE, **change}, b"{}", SETTINGS)

    assert ref is None
    assert reason in why


def test_finalize_without_object_is_malformed() -> None:
    attributes = {k: v for k, v in FINALIZE.items() if k != "objectId"}

    with pytest.raises(MalformedNotificationError, match="objectId"):
        parse_notification(attributes, b"not json", SETTINGS)


def test_redelivery_repeats_the_event_id() -> None:
    ref = UploadRef(bucket="b", name="n.tif", generation="1")

    first, second = upload_event(ref), upload_event(ref)

    assert first["id"] == second["id"] == event_id("invoice.uploaded", ref)
    assert (
        event_id("invoice.uploaded", ref.model_copy(update={"generation": "2"}))
        != first["id"]
    )


def test_event_resource_carries_bucket_name_and_generation() -> None:
    ref = UploadRef(bucket="b", name="dir/n.tif", generation="7")

    resource = upload_event(ref)["resource"]

    assert resource["invoiceflow.bucket"] == "b"
    assert resource["invoiceflow.name"] == "dir/n.tif"
    assert resource["invoiceflow.generation"] == "7"
    assert resource["prefect.resource.id"] == "invoiceflow.upload.gs://b/dir/n.tif#7"
