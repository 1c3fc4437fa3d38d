"""An upload becomes one completed flow run and one warehouse row, by itself."""

from __future__ import annotations

import json
import time
import uuid
from functools import partial
from pathlib import Path

from google.cloud import pubsub_v1, storage

from invoiceflow.devstack import DevStack
from invoiceflow.events import PrefectEventPoster, upload_event
from invoiceflow.models import UploadRef
from invoiceflow.settings import PipelineSettings
from invoiceflow.warehouse import DuckDbWarehouse
from tests.prefect_api import events_about, flow_runs_named, task_runs_of, wait_until

SETTINGS = PipelineSettings()
STAGES = {"convert", "classify", "extract", "load"}


def _upload(path: Path, name: str) -> UploadRef:
    bucket = storage.Client(project=SETTINGS.project_id).bucket(SETTINGS.input_bucket)
    blob = bucket.blob(name)
    blob.upload_from_filename(str(path), content_type="image/tiff")
    return UploadRef(bucket=bucket.name, name=name, generation=str(blob.generation))


def _processed_upload(stack: DevStack, sample: Path) -> tuple[UploadRef, str]:
    """Upload `sample` under a fresh name and wait for its warehouse row."""
    name = f"e2e/{uuid.uuid4().hex[:8]}/{sample.name}"
    warehouse = DuckDbWarehouse(stack.warehouse_path)
    ref = _upload(sample, name)
    wait_until(lambda: warehouse.row(ref.uri), 240, f"a warehouse row for {ref.uri}")
    return ref, name


def _completed_runs(stack: DevStack, name: str, count: int) -> list[dict]:
    def check() -> list[dict] | None:
        runs = flow_runs_named(stack.prefect_api_url, name)
        done = [r for r in runs if r["state_type"] == "COMPLETED"]
        return done if len(done) >= count else None

    return wait_until(check, 240, f"{count} completed flow run(s) named {name}")


def _load_runs(stack: DevStack, runs: list[dict]) -> list[dict]:
    tasks = [t for run in runs for t in task_runs_of(stack.prefect_api_url, run["id"])]
    return [t for t in tasks if t["name"].startswith("load-")]


def test_upload_becomes_one_row_and_one_completed_flow_run(
    stack: DevStack, samples: list[Path]
) -> None:
    sample = samples[0]
    truth = json.loads(sample.with_suffix(".json").read_text())
    name = f"e2e/{uuid.uuid4().hex[:8]}/{sample.name}"
    warehouse = DuckDbWarehouse(stack.warehouse_path)

    ref = _upload(sample, name)

    row = wait_until(
        lambda: warehouse.row(ref.uri), 240, f"a warehouse row for {ref.uri}"
    )
    runs = _completed_runs(stack, name, 1)
    tasks = task_runs_of(stack.prefect_api_url, runs[0]["id"])
    assert row["status"] in ("ok", "needs_review")
    assert row["pages"] == truth["pages"]
    assert row["invoice_number"] == truth["invoice_number"]
    assert str(row["total"]) == truth["total"]
    assert len(warehouse.rows("WHERE source = ?", [ref.uri])) == 1
    assert {t["name"].split("-")[0] for t in tasks} == STAGES
    assert all(t["state_type"] == "COMPLETED" for t in tasks)
    for stage in ("converted", "classified", "extracted", "loaded"):
        resource = "invoiceflow.upload." + ref.uri
        stage_event = f"invoice.{stage}"
        wait_until(
            partial(events_about, stack.prefect_api_url, resource, stage_event),
            30,
            f"the {stage_event} event",
        )


def test_redelivered_notification_leaves_one_row_and_one_load(
    stack: DevStack, samples: list[Path]
) -> None:
    ref, name = _processed_upload(stack, samples[1])
    warehouse = DuckDbWarehouse(stack.warehouse_path)
    bridge_log = stack.service("bridge").log_file

    publisher = pubsub_v1.PublisherClient()
    topic = publisher.topic_path(SETTINGS.project_id, SETTINGS.uploads_topic)
    attributes = {
        "eventType": "OBJECT_FINALIZE",
        "bucketId": ref.bucket,
        "objectId": ref.name,
        "objectGeneration": ref.generation,
    }
    publisher.publish(topic, b"{}", **attributes).result(timeout=30)

    wait_until(
        lambda: (
            bridge_log.read_text().count(f"Sent invoice.uploaded for {ref.uri}") == 2
        ),
        60,
        "the bridge to forward the redelivered notification",
    )
    # The server drops the repeated event id; give a second flow run, were
    # one started, the time a trigger takes to fire.
    time.sleep(10)
    runs = flow_runs_named(stack.prefect_api_url, name)
    assert len(runs) == 1
    assert len(warehouse.rows("WHERE source = ?", [ref.uri])) == 1
    assert (
        len([t for t in _load_runs(stack, runs) if t["state_type"] == "COMPLETED"]) == 1
    )


def test_late_redelivery_starts_a_run_that_loads_nothing(
    stack: DevStack, samples: list[Path]
) -> None:
    ref, name = _processed_upload(stack, samples[2])
    warehouse = DuckDbWarehouse(stack.warehouse_path)
    first_loaded_at = warehouse.row(ref.uri)["loaded_at"]

    # Past Prefect's in-memory de-duplication window the same upload arrives
    # as an event with an id the server has not seen: simulate that directly.
    late = upload_event(ref)
    late["id"] = str(uuid.uuid4())
    PrefectEventPoster(stack.prefect_api_url).post([late])

    runs = _completed_runs(stack, name, 2)
    assert len(warehouse.rows("WHERE source = ?", [ref.uri])) == 1
    assert warehouse.row(ref.uri)["loaded_at"] == first_loaded_at
    assert len(_load_runs(stack, runs)) == 1
