"""A bad upload ends quarantined with a reason; reconcile accounts for each upload."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from google.cloud import storage

from invoiceflow.devstack import DevStack
from invoiceflow.models import UploadRef
from invoiceflow.quarantine import report_name
from invoiceflow.reconcile import reconcile
from invoiceflow.settings import PipelineSettings
from invoiceflow.warehouse import DuckDbWarehouse
from tests.prefect_api import flow_runs_named, wait_until

SETTINGS = PipelineSettings()


def test_pdf_upload_is_quarantined_with_a_report_and_a_failed_row(
    stack: DevStack, tmp_path: Path
) -> None:
    client = storage.Client(project=SETTINGS.project_id)
    name = f"bad/{uuid.uuid4().hex[:8]}/scan.tif"
    blob = client.bucket(SETTINGS.input_bucket).blob(name)
    blob.upload_from_string(b"%PDF-1.4\n%%EOF\n", content_type="image/tiff")
    ref = UploadRef(
        bucket=SETTINGS.input_bucket, name=name, generation=str(blob.generation)
    )
    warehouse = DuckDbWarehouse(stack.warehouse_path)

    row = wait_until(lambda: warehouse.row(ref.uri), 240, f"a failed row for {ref.uri}")

    failed = client.bucket(SETTINGS.failed_bucket)
    report = json.loads(failed.blob(report_name(ref)).download_as_bytes())
    copy = failed.blob(report_name(ref).removesuffix(".error.json")).download_as_bytes()
    runs = wait_until(
        lambda: [
            r
            for r in flow_runs_named(stack.prefect_api_url, name)
            if r["state_type"] == "FAILED"
        ],
        60,
        "the failed flow run",
    )
    assert row["status"] == "failed"
    assert "PDF" in row["error"]
    assert report["error_kind"] == "not_tiff"
    assert report["source"] == ref.uri
    assert copy.startswith(b"%PDF")
    assert len(runs) == 1

    outcomes = dict(reconcile(client, SETTINGS, warehouse))
    empty = dict(
        reconcile(client, SETTINGS, DuckDbWarehouse(tmp_path / "empty.duckdb"))
    )
    assert outcomes[ref.uri] == "failed"
    assert empty[ref.uri] == "quarantined: not_tiff"
