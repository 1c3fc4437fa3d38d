"""Flow `process-invoice`: one upload through convert, classify, extract and load."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import State
from prefect.context import get_run_context
from prefect.events import emit_event
from prefect.exceptions import ObjectNotFound
from prefect.states import Completed, Failed

from blocks.pipeline_settings import load_pipeline_settings
from flows.tasks import classify, convert, extract, load
from invoiceflow.claims import RunFate, claim_upload
from invoiceflow.errors import PermanentError
from invoiceflow.events import upload_resource
from invoiceflow.models import InvoiceResult, UploadRef
from invoiceflow.quarantine import quarantine
from invoiceflow.runtime import Runtime, runtime_for
from invoiceflow.settings import PipelineSettings


@flow(name="process-invoice", flow_run_name="{name}", log_prints=False)
def process_invoice(
    bucket: str, name: str, generation: str, scheme: str = "gs"
) -> InvoiceResult | State[Any]:
    """Process one upload, identified by bucket, object name and generation."""
    logger = get_run_logger()
    settings = load_pipeline_settings()
    ref = UploadRef.model_validate(
        {
            "bucket": bucket,
            "name": name,
            "generation": str(generation),
            "scheme": scheme,
        }
    )
    rt = runtime_for(settings, ref)
    flow_run_id = str(get_run_context().flow_run.id)  # type: ignore[union-attr]

    decision, owner = claim_upload(
        rt.store, settings.processed_bucket, ref, flow_run_id, _fate_of_flow_run
    )
    if decision != "proceed":
        doing = "already processed" if decision == "already_done" else "is processing"
        message = f"Skipped {ref.uri}: flow run {owner} {doing} it"
        logger.info(message)
        return Completed(message=message)

    try:
        result = _run_stages(ref, settings, flow_run_id)
    except Exception as exc:
        # The flow boundary: every error, transient ones that ran out of
        # retries included, ends as a quarantined file and a failed row.
        return _fail(rt, ref, exc, flow_run_id)

    load(ref, result, settings)
    return result


def _run_stages(
    ref: UploadRef, settings: PipelineSettings, flow_run_id: str
) -> InvoiceResult:
    manifest = convert(ref, settings)
    document, classification = classify(ref, manifest, settings)
    invoice, validation = extract(ref, manifest, document, classification, settings)

    return InvoiceResult(
        source=ref.uri,
        status=validation.status,
        pages=manifest.page_count,
        document_type=classification.document_type,
        vendor=classification.vendor,
        language=classification.language,
        invoice=invoice,
        review_reasons=validation.reasons,
        source_sha256=manifest.source_sha256,
        flow_run_id=flow_run_id,
    )


def _fail(rt: Runtime, ref: UploadRef, exc: Exception, flow_run_id: str) -> State[Any]:
    logger = get_run_logger()
    settings = rt.settings
    kind = exc.kind if isinstance(exc, PermanentError) else "retries_exhausted"

    report = quarantine(
        rt.store,
        settings.failed_bucket,
        ref,
        exc,
        error_kind=kind,
        flow_run_id=flow_run_id,
    )
    result = InvoiceResult(
        source=ref.uri,
        status="failed",
        error=str(exc),
        error_kind=kind,
        flow_run_id=flow_run_id,
    )
    load(ref, result, settings)

    payload = {"error": str(exc), "error_kind": kind, "report": report}
    emit_event(event="invoice.failed", resource=upload_resource(ref), payload=payload)
    if ref.scheme == "gs" and settings.dead_letter_topic:
        rt.publish(settings.dead_letter_topic, {"source": ref.uri, **payload})
    logger.error("Gave up on %s (%s): %s", ref.uri, kind, exc)
    return Failed(message=f"{ref.uri}: {exc}")


def _fate_of_flow_run(flow_run_id: str) -> RunFate:
    """Ask the Prefect API whether the run that claimed an upload is still alive."""
    with get_client(sync_client=True) as client:
        try:
            run = client.read_flow_run(flow_run_id)  # type: ignore[arg-type]
        except ObjectNotFound:
            # Unknown to this server (a reset database): nothing will finish it.
            return "ended"
    state = run.state
    if state is None or not state.is_final():
        return "active"
    return "completed" if state.is_completed() else "ended"
