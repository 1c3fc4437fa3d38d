"""Every input object against its outcome: a warehouse row or a quarantine report."""

from __future__ import annotations

import json
import logging
from typing import Any

from invoiceflow.models import UploadRef
from invoiceflow.quarantine import report_name
from invoiceflow.settings import PipelineSettings
from invoiceflow.warehouse import DuckDbWarehouse

logger = logging.getLogger(__name__)


def reconcile(
    client: Any, settings: PipelineSettings, warehouse: DuckDbWarehouse
) -> list[tuple[str, str | None]]:
    """(identity, outcome) for each object under the input prefix; None means lost."""
    rows = {row["source"]: row["status"] for row in warehouse.rows()}
    failed = client.bucket(settings.failed_bucket)

    outcomes: list[tuple[str, str | None]] = []
    for blob in client.list_blobs(settings.input_bucket, prefix=settings.input_prefix):
        if blob.name.endswith("/"):
            continue
        ref = UploadRef(
            bucket=settings.input_bucket,
            name=blob.name,
            generation=str(blob.generation),
        )
        outcome = rows.get(ref.uri)
        if outcome is None:
            report = failed.get_blob(report_name(ref))
            if report is not None:
                outcome = (
                    "quarantined: "
                    + json.loads(report.download_as_bytes())["error_kind"]
                )
        outcomes.append((ref.uri, outcome))
    return outcomes


def reconcile_stack(stack: Any) -> list[tuple[str, str | None]]:
    """Reconcile the local stack's buckets and warehouse."""
    import os

    from invoiceflow.gcp import storage

    os.environ.update(
        {k: v for k, v in stack.env().items() if k in ("STORAGE_EMULATOR_HOST",)}
    )
    settings = PipelineSettings()
    client = storage.Client(project=settings.project_id)
    return reconcile(
        client,
        settings,
        DuckDbWarehouse(stack.warehouse_path, settings.warehouse_table),
    )
