"""`invoiceflow run`: the same flow on local files, with Prefect in ephemeral mode."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from invoiceflow.models import UploadRef
from invoiceflow.output import failed_output, row_to_output

logger = logging.getLogger(__name__)


def local_ref(path: Path) -> UploadRef:
    """A file's identity: its folder as bucket and its mtime as generation."""
    resolved = path.resolve()
    return UploadRef(
        scheme="file",
        bucket=str(resolved.parent),
        name=resolved.name,
        generation=str(resolved.stat().st_mtime_ns),
    )


def _use_ephemeral_prefect(state_dir: Path) -> None:
    """Run without any server: Prefect starts an in-process API on a local SQLite file.

    This must happen before Prefect is imported, since it reads its settings then.
    """
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.pop("INVOICEFLOW_SETTINGS_BLOCK", None)
    os.environ["PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"] = "true"
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    # The first start migrates a new SQLite database, which takes longer than
    # Prefect's default wait on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    home = (state_dir / "prefect-ephemeral").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ.setdefault(
        "INVOICEFLOW_WAREHOUSE_PATH", str(state_dir / "warehouse.duckdb")
    )
    os.environ.setdefault("INVOICEFLOW_LOCAL_ROOT", str(state_dir / "local"))


def run_files(paths: list[Path], state_dir: Path) -> list[dict[str, Any]]:
    """Process each file in turn; every input gets an output, failed or not."""
    _use_ephemeral_prefect(state_dir)
    from flows.process_invoice import process_invoice
    from invoiceflow.runtime import runtime_for
    from invoiceflow.settings import PipelineSettings

    settings = PipelineSettings()
    results = []
    for path in paths:
        ref = local_ref(path)
        state = process_invoice(
            bucket=ref.bucket,
            name=ref.name,
            generation=ref.generation,
            scheme="file",
            return_state=True,
        )
        row = runtime_for(settings, ref).warehouse.row(ref.uri)
        if row is None:
            results.append(failed_output(ref.uri, state.message or "flow run crashed"))
        else:
            results.append(row_to_output(row))
    return results
