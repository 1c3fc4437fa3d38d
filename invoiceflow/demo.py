"""The demo: sample invoices uploaded to the local stack, waited for, shown."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from invoiceflow.output import row_to_output
from invoiceflow.settings import PipelineSettings
from invoiceflow.warehouse import DuckDbWarehouse

logger = logging.getLogger(__name__)


def upload_samples(
    count: int, env: dict[str, str], settings: PipelineSettings
) -> list[str]:
    """Generate `count` sample TIFFs and upload them; returns their identities."""
    from invoiceflow.gcp import storage
    from invoiceflow.samples import generate_corpus

    os.environ["STORAGE_EMULATOR_HOST"] = env["STORAGE_EMULATOR_HOST"]
    bucket = storage.Client(project=settings.project_id).bucket(settings.input_bucket)
    sources = []
    with tempfile.TemporaryDirectory() as folder:
        for path in generate_corpus(Path(folder), count=count, seed=int(time.time())):
            blob = bucket.blob(f"{settings.input_prefix}demo/{path.name}")
            blob.upload_from_filename(str(path), content_type="image/tiff")
            sources.append(f"gs://{bucket.name}/{blob.name}#{blob.generation}")
    return sources


def wait_for_rows(
    warehouse: DuckDbWarehouse, sources: list[str], timeout_seconds: float
) -> list[dict[str, Any]]:
    """Poll the warehouse until every source has a row or the time is up."""
    deadline = time.monotonic() + timeout_seconds
    found: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline and len(found) < len(sources):
        for source in sources:
            if source not in found:
                row = warehouse.row(source)
                if row is not None:
                    found[source] = row
        time.sleep(1)
    return [row_to_output(found[s]) for s in sources if s in found]


def run_demo(
    stack: Any, count: int, timeout_seconds: float
) -> tuple[list[dict[str, Any]], str]:
    settings = PipelineSettings()
    sources = upload_samples(count, stack.env(), settings)
    logger.info("Uploaded %d sample invoice(s)", len(sources))
    warehouse = DuckDbWarehouse(stack.warehouse_path, settings.warehouse_table)
    return wait_for_rows(warehouse, sources, timeout_seconds), stack.status()["ui"]
