"""The four stage tasks of `process-invoice`; each retries only transient errors."""

from __future__ import annotations

import io
import time
from typing import Any

from PIL import Image
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.events import emit_event
from prefect.tasks import Task, exponential_backoff

from invoiceflow.classify import classify as classify_document
from invoiceflow.convert import convert_tiff
from invoiceflow.errors import is_transient
from invoiceflow.events import upload_resource
from invoiceflow.extract import get_extractor, run_extractor
from invoiceflow.models import (
    Classification,
    ConvertManifest,
    ExtractedInvoice,
    InvoiceResult,
    OcrDocument,
    UploadRef,
    Validation,
)
from invoiceflow.ocr import ocr_document
from invoiceflow.runtime import Runtime, runtime_for
from invoiceflow.settings import PipelineSettings
from invoiceflow.validate import validate
from invoiceflow.warehouse import result_to_row


def retry_transient(task: Task[Any, Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry a task only when its error may pass on its own."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        exc = state.result(raise_on_failure=False)
    return isinstance(exc, BaseException) and is_transient(exc)


STAGE_OPTIONS: dict[str, Any] = {
    "retries": 4,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": retry_transient,
    "cache_policy": NO_CACHE,
}


def emit_stage_event(
    rt: Runtime, event: str, ref: UploadRef, payload: dict[str, Any]
) -> None:
    """Announce a finished stage in Prefect and, where configured, on Pub/Sub."""
    emit_event(event=event, resource=upload_resource(ref), payload=payload)

    stage = event.removeprefix("invoice.")
    topic = rt.settings.stage_topics.get(stage)
    if topic and ref.scheme == "gs":
        rt.publish(topic, {"event": event, "source": ref.uri, **payload})


@task(name="convert", task_run_name="convert-{ref.name}", **STAGE_OPTIONS)
def convert(ref: UploadRef, settings: PipelineSettings) -> ConvertManifest:
    """Write every page of the TIFF as a PNG to the processed bucket."""
    logger = get_run_logger()
    rt = runtime_for(settings, ref)
    started = time.monotonic()
    logger.info("Converting %s", ref.uri)

    data = rt.store.read(ref.bucket, ref.name)

    def write_page(name: str, png: bytes) -> None:
        rt.store.write(settings.processed_bucket, name, png, "image/png")

    manifest = convert_tiff(
        data,
        ref,
        write_page,
        processed_bucket=settings.processed_bucket,
        limits=settings.convert,
    )
    logger.info(
        "Converted %s: %d page(s) in %.2f s",
        ref.uri,
        manifest.page_count,
        time.monotonic() - started,
    )
    emit_stage_event(rt, "invoice.converted", ref, {"pages": manifest.page_count})
    return manifest


@task(name="classify", task_run_name="classify-{ref.name}", **STAGE_OPTIONS)
def classify(
    ref: UploadRef, manifest: ConvertManifest, settings: PipelineSettings
) -> tuple[OcrDocument, Classification]:
    """Read the pages with OCR and decide what kind of document this is."""
    logger = get_run_logger()
    rt = runtime_for(settings, ref)
    started = time.monotonic()

    images = [
        Image.open(
            io.BytesIO(rt.store.read(settings.processed_bucket, page.object_name))
        )
        for page in manifest.pages
    ]
    document = ocr_document(
        ref.uri, images, languages=settings.ocr_languages, workers=settings.ocr_workers
    )
    classification = classify_document(document)

    logger.info(
        "Classified %s as %s from %s (%s, %s) in %.2f s",
        ref.uri,
        classification.document_type,
        classification.vendor,
        classification.language,
        classification.currency,
        time.monotonic() - started,
    )
    emit_stage_event(
        rt, "invoice.classified", ref, classification.model_dump(mode="json")
    )
    return document, classification


@task(name="extract", task_run_name="extract-{ref.name}", **STAGE_OPTIONS)
def extract(
    ref: UploadRef,
    manifest: ConvertManifest,
    document: OcrDocument,
    classification: Classification,
    settings: PipelineSettings,
) -> tuple[ExtractedInvoice, Validation]:
    """Read the invoice fields and check them against each other."""
    logger = get_run_logger()
    rt = runtime_for(settings, ref)

    def load_pages() -> list[bytes]:
        bucket = settings.processed_bucket
        return [rt.store.read(bucket, page.object_name) for page in manifest.pages]

    extractor = get_extractor(settings.extractor, settings)
    invoice = run_extractor(extractor, document, classification, load_pages)
    validation = validate(
        invoice, classification, review_confidence=settings.review_confidence
    )

    if validation.status == "needs_review":
        logger.warning("%s needs review: %s", ref.uri, "; ".join(validation.reasons))
    logger.info(
        "Extracted %s with %s: %d line item(s), status %s",
        ref.uri,
        extractor.name,
        len(invoice.line_items),
        validation.status,
    )
    emit_stage_event(
        rt,
        "invoice.extracted",
        ref,
        {"status": validation.status, "line_items": len(invoice.line_items)},
    )
    return invoice, validation


@task(name="load", task_run_name="load-{ref.name}", **STAGE_OPTIONS)
def load(ref: UploadRef, result: InvoiceResult, settings: PipelineSettings) -> None:
    """Upsert the outcome into the warehouse, keyed on the upload identity."""
    logger = get_run_logger()
    rt = runtime_for(settings, ref)

    row = result_to_row(
        result, bucket=ref.bucket, object_name=ref.name, generation=ref.generation
    )
    rt.warehouse.upsert(row)

    logger.info("Loaded %s into %s as %s", ref.uri, rt.warehouse, result.status)
    emit_stage_event(rt, "invoice.loaded", ref, {"status": result.status})
