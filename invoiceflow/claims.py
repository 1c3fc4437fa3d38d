"""A durable, atomic claim per upload, so a late redelivery never processes it twice.

Prefect de-duplicates event ids only in memory and for minutes, and every
trigger firing gets a fresh flow-run idempotency key, so a redelivery after
that window starts a second flow run. The claim object, created with
create-if-absent semantics, records which flow run owns the upload; a later
run takes it over only when the owner is known to have ended without success.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from invoiceflow.models import UploadRef
from invoiceflow.storage import ObjectStore

logger = logging.getLogger(__name__)

RunFate = Literal["completed", "active", "ended"]
"""What became of a claiming flow run: succeeded, still going, or gave up."""

Decision = Literal["proceed", "already_done", "in_progress"]


def claim_object_name(ref: UploadRef) -> str:
    return f"_claims/{ref.scheme}/{ref.key}.json"


def claim_upload(
    store: ObjectStore,
    bucket: str,
    ref: UploadRef,
    flow_run_id: str,
    fate_of: Callable[[str], RunFate],
) -> tuple[Decision, str]:
    """Claim `ref` for `flow_run_id`; returns the decision and the owning run id."""
    name = claim_object_name(ref)
    body = _claim_body(ref, flow_run_id)
    if store.create_if_absent(bucket, name, body):
        return "proceed", flow_run_id

    current = store.read(bucket, name)
    owner = str(json.loads(current)["flow_run_id"])
    if owner == flow_run_id:
        return "proceed", owner

    fate = fate_of(owner)
    if fate == "completed":
        return "already_done", owner
    if fate == "active":
        return "in_progress", owner

    if store.replace_if_unchanged(bucket, name, body, expected=current):
        logger.warning(
            "Took over %s from flow run %s, which ended without success",
            ref.uri,
            owner,
        )
        return "proceed", flow_run_id
    # Another run took it over between our read and our write.
    return "in_progress", owner


def _claim_body(ref: UploadRef, flow_run_id: str) -> bytes:
    claim = {
        "source": ref.uri,
        "flow_run_id": flow_run_id,
        "claimed_at": datetime.now(UTC).isoformat(),
    }
    return json.dumps(claim).encode()
