"""The failed bucket: a copy of the source and a JSON report saying why."""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime

from invoiceflow.models import UploadRef
from invoiceflow.storage import ObjectStore

logger = logging.getLogger(__name__)


def report_name(ref: UploadRef) -> str:
    return f"{ref.key}.error.json"


def quarantine(
    store: ObjectStore,
    failed_bucket: str,
    ref: UploadRef,
    exc: BaseException,
    *,
    error_kind: str,
    flow_run_id: str | None,
) -> str:
    """Copy the source to the failed bucket with its report; returns the report name.

    The report is written first: if the source is unreadable (it may be what
    failed), the reason is still recorded.
    """
    name = report_name(ref)
    report = {
        "source": ref.uri,
        "error": str(exc),
        "error_kind": error_kind,
        "exception": type(exc).__name__,
        "traceback": traceback.format_exception(exc)[-5:],
        "flow_run_id": flow_run_id,
        "failed_at": datetime.now(UTC).isoformat(),
    }
    store.write(
        failed_bucket, name, json.dumps(report, indent=2).encode(), "application/json"
    )

    try:
        data = store.read(ref.bucket, ref.name)
    except Exception as read_exc:
        logger.error("Could not copy %s to quarantine: %s", ref.uri, read_exc)
    else:
        copy_name = name.removesuffix(".error.json")
        store.write(failed_bucket, copy_name, data, "application/octet-stream")
    logger.error("Quarantined %s in %s: %s", ref.uri, failed_bucket, exc)
    return name
