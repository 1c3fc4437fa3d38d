"""Document AI adapter: page images to the Invoice Parser, its entities to fields."""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from google.api_core import exceptions as gexc
from google.auth import exceptions as auth_exceptions
from google.cloud import documentai
from google.protobuf import field_mask_pb2
from PIL import Image

from invoiceflow.errors import (
    InvoiceflowError,
    LimitExceededError,
    PermanentError,
    TransientError,
    UnsupportedInputError,
    is_transient,
)
from invoiceflow.extract.parsing import day_first_for, parse_amount, parse_date
from invoiceflow.models import (
    BBox,
    Classification,
    ExtractedInvoice,
    FieldEvidence,
    LineItem,
    OcrDocument,
)
from invoiceflow.settings import PipelineSettings

__all__ = [
    "ENTITY_FIELDS",
    "DocumentAiExtractor",
    "invoice_from_document",
    "multipage_tiff",
    "processor_location",
]

logger = logging.getLogger(__name__)

ENTITY_FIELDS: dict[str, str] = {
    "invoice_id": "invoice_number",
    "supplier_name": "issuer_name",
    "supplier_address": "issuer_address",
    "supplier_tax_id": "issuer_tax_id",
    "receiver_name": "customer_name",
    "invoice_date": "invoice_date",
    "due_date": "due_date",
    "net_amount": "subtotal",
    "total_tax_amount": "tax",
    "total_amount": "total",
    "purchase_order": "purchase_order",
    "payment_terms": "payment_terms",
}
"""Invoice Parser entity type -> `ExtractedInvoice` field, for single values."""

_AMOUNT_FIELDS = frozenset({"subtotal", "tax", "total"})
_DATE_FIELDS = frozenset({"invoice_date", "due_date"})
_LINE_ITEM = "line_item"
_CURRENCY = "currency"

# Limits of one synchronous process call for the Invoice Parser; longer
# documents need batch processing through a bucket, which this adapter does
# not do.
ONLINE_MAX_PAGES = 15
ONLINE_MAX_BYTES = 40 * 1024 * 1024
MAX_PIXELS_PER_PAGE = 40_000_000

# Without a mask the response repeats the full OCR text, every token and the
# page images; the adapter reads only entities and page sizes.
_RESPONSE_FIELDS = ("entities", "pages.page_number", "pages.dimension")

_PROCESSOR = re.compile(
    r"^projects/[^/]+/locations/(?P<location>[a-z0-9-]+)/processors/[^/]+"
    r"(?:/processorVersions/[^/]+)?$"
)
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CENT = Decimal("0.01")
_NANOS = Decimal(10) ** 9


class DocumentAiExtractor:
    """Sends the page images to a Document AI Invoice Parser processor."""

    name = "documentai"

    def __init__(
        self,
        processor: str,
        *,
        client: documentai.DocumentProcessorServiceClient | None = None,
        timeout_seconds: float = 120.0,
    ) -> None:
        self.processor = processor
        self.location = processor_location(processor)
        self.timeout_seconds = timeout_seconds
        self._client = client

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> DocumentAiExtractor:
        if not settings.documentai_processor:
            raise PermanentError(
                "The documentai extractor needs a processor: set "
                "INVOICEFLOW_DOCUMENTAI_PROCESSOR (or documentai_processor in the "
                "settings block) to projects/P/locations/L/processors/ID of an "
                "Invoice Parser",
                kind="extractor_config",
            )
        return cls(
            settings.documentai_processor,
            timeout_seconds=settings.cloud_timeout_seconds,
        )

    def extract(
        self, document: OcrDocument, classification: Classification
    ) -> ExtractedInvoice:
        raise PermanentError(
            f"{document.source}: the documentai extractor reads the page images, "
            "not OCR words; call extract_pages() with the page PNGs, as "
            "invoiceflow.extract.run_extractor does",
            kind="extractor_config",
        )

    def extract_pages(
        self,
        pages: Sequence[bytes],
        document: OcrDocument,
        classification: Classification,
    ) -> ExtractedInvoice:
        """Fields of the invoice on `pages` (PNG bytes, in page order)."""
        _check_pages(pages, document.source)
        started = time.monotonic()

        request = documentai.ProcessRequest(
            name=self.processor,
            raw_document=_raw_document(pages, document.source),
            field_mask=field_mask_pb2.FieldMask(paths=list(_RESPONSE_FIELDS)),
        )
        response = self._process(request, document.source)

        invoice = invoice_from_document(response.document, classification)
        logger.info(
            "Document AI read %s: %d page(s), %d entities in %.2f s",
            document.source,
            len(pages),
            len(response.document.entities),
            time.monotonic() - started,
        )
        return invoice

    def _process(
        self, request: documentai.ProcessRequest, source: str
    ) -> documentai.ProcessResponse:
        try:
            # The task retries transient failures with backoff; the client's
            # own retry (up to 300 s) would multiply every attempt.
            response = self._get_client().process_document(
                request=request, retry=None, timeout=self.timeout_seconds
            )
        except gexc.GoogleAPICallError as exc:
            raise _call_error(exc, self.processor, source) from exc

        if "document" not in response:
            raise PermanentError(
                f"{source}: Document AI processor {self.processor} answered "
                "without a document; check it is an Invoice Parser",
                kind="extractor_response",
            )
        return response

    def _get_client(self) -> documentai.DocumentProcessorServiceClient:
        if self._client is None:
            endpoint = f"{self.location}-documentai.googleapis.com"
            try:
                self._client = documentai.DocumentProcessorServiceClient(
                    client_options={"api_endpoint": endpoint}
                )
            except auth_exceptions.DefaultCredentialsError as exc:
                raise PermanentError(
                    f"No Google credentials for Document AI ({exc}); give the "
                    "worker a service account or set "
                    "GOOGLE_APPLICATION_CREDENTIALS",
                    kind="extractor_config",
                ) from exc
        return self._client


def processor_location(processor: str) -> str:
    """The region (`us`, `eu`) in a processor resource name."""
    match = _PROCESSOR.match(processor)
    if match is None:
        raise PermanentError(
            f"Document AI processor {processor!r} is not a resource name; "
            "expected projects/P/locations/L/processors/ID, as the processor's "
            "page in the Cloud console shows it",
            kind="extractor_config",
        )
    return match.group("location")


def _check_pages(pages: Sequence[bytes], source: str) -> None:
    if not pages:
        raise PermanentError(
            f"{source}: no page images to send to Document AI",
            kind="extractor_input",
        )
    if len(pages) > ONLINE_MAX_PAGES:
        raise LimitExceededError(
            f"{source}: {len(pages)} pages, but Document AI's Invoice Parser reads "
            f"at most {ONLINE_MAX_PAGES} in one online request; process this "
            "invoice with the local extractor or split it"
        )
    for page_number, png in enumerate(pages, start=1):
        if not png.startswith(_PNG_MAGIC):
            raise UnsupportedInputError(
                f"{source}: page {page_number} is not a PNG; the documentai "
                "extractor takes the pages the convert stage wrote"
            )


def _raw_document(pages: Sequence[bytes], source: str) -> documentai.RawDocument:
    """One PNG as it is, several pages as one multi-page TIFF."""
    if len(pages) == 1:
        content, mime_type = pages[0], "image/png"
    else:
        content, mime_type = multipage_tiff(pages, source), "image/tiff"

    if len(content) > ONLINE_MAX_BYTES:
        raise LimitExceededError(
            f"{source}: {len(content) / 2**20:.1f} MB of page images, more than "
            f"the {ONLINE_MAX_BYTES // 2**20} MB Document AI takes in one online "
            "request; process this invoice with the local extractor"
        )
    return documentai.RawDocument(content=content, mime_type=mime_type)


def multipage_tiff(pages: Sequence[bytes], source: str) -> bytes:
    """The PNG pages as one TIFF, Group 4 when all are bilevel, LZW otherwise."""
    images = [Image.open(io.BytesIO(png)) for png in pages]
    for page_number, image in enumerate(images, start=1):
        width, height = image.size
        if width * height > MAX_PIXELS_PER_PAGE:
            raise LimitExceededError(
                f"{source}: page {page_number} has {width * height / 1e6:.0f} "
                f"megapixels; Document AI reads at most "
                f"{MAX_PIXELS_PER_PAGE // 1_000_000} per page"
            )

    bilevel = all(image.mode == "1" for image in images)
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="TIFF",
        save_all=True,
        append_images=images[1:],
        compression="group4" if bilevel else "tiff_lzw",
    )
    return buffer.getvalue()


def _call_error(
    exc: gexc.GoogleAPICallError, processor: str, source: str
) -> InvoiceflowError:
    """Our error for a failed call: transient ones retried, the rest explained."""
    what = f"{source}: Document AI processor {processor} failed: {exc.message}"
    if is_transient(exc):
        return TransientError(f"{what} ({exc.code}); retrying")

    if isinstance(exc, gexc.Unauthenticated | gexc.PermissionDenied):
        hint = (
            "check the worker's service account has the Document AI API User "
            "role in the processor's project and the API is enabled there"
        )
        return PermanentError(f"{what}; {hint}", kind="extractor_config")
    if isinstance(exc, gexc.NotFound):
        hint = "check INVOICEFLOW_DOCUMENTAI_PROCESSOR names an existing processor"
        return PermanentError(f"{what}; {hint}", kind="extractor_config")
    hint = "check the processor is an Invoice Parser and the pages are readable"
    return PermanentError(f"{what}; {hint}", kind="extractor_rejected")


def invoice_from_document(
    document: documentai.Document, classification: Classification
) -> ExtractedInvoice:
    """Map the Invoice Parser's entities onto the extraction model.

    Of repeated entities of one type the most confident wins. Normalized
    values are used where the parser gives them; otherwise the printed text is
    read in the document's locale.
    """
    reader = _EntityReader(document, classification)
    values: dict[str, Any] = {}
    evidence: dict[str, FieldEvidence] = {}
    for entity in _most_confident(document.entities):
        field = ENTITY_FIELDS[entity.type_]
        value = reader.value(field, entity)
        if value is not None:
            values[field] = value
            evidence[field] = reader.evidence(entity)

    currency, currency_evidence = reader.currency()
    if currency is not None and currency_evidence is not None:
        values["currency"] = currency
        evidence["currency"] = currency_evidence

    rows = [entity for entity in document.entities if entity.type_ == _LINE_ITEM]
    items = [reader.line_item(row) for row in rows]
    if rows:
        # A table is as sure as its least sure row.
        confidence = min(row.confidence for row in rows)
        evidence["line_items"] = FieldEvidence(confidence=round(confidence, 3))

    _log_unmapped(document.entities)
    return ExtractedInvoice(
        **values, line_items=items, evidence=evidence, extractor="documentai"
    )


def _most_confident(
    entities: Iterable[documentai.Document.Entity],
) -> list[documentai.Document.Entity]:
    best: dict[str, documentai.Document.Entity] = {}
    for entity in entities:
        if entity.type_ not in ENTITY_FIELDS:
            continue
        current = best.get(entity.type_)
        if current is None or entity.confidence > current.confidence:
            best[entity.type_] = entity
    return list(best.values())


def _log_unmapped(entities: Iterable[documentai.Document.Entity]) -> None:
    known = {*ENTITY_FIELDS, _LINE_ITEM, _CURRENCY}
    unmapped = sorted({e.type_ for e in entities if e.type_ not in known})
    if unmapped:
        logger.debug("Document AI entity types not mapped: %s", ", ".join(unmapped))


class _EntityReader:
    """Reads entity values in the document's locale, and where each was printed."""

    def __init__(
        self, document: documentai.Document, classification: Classification
    ) -> None:
        self.document = document
        self.classification = classification
        self.day_first = day_first_for(classification.language, classification.currency)
        # Only Portuguese settles "1.234" as a thousand; elsewhere the marks
        # present decide, as in parse_amount.
        self.decimal_comma = True if classification.language == "pt" else None

    def value(self, field: str, entity: documentai.Document.Entity) -> Any:
        if field in _AMOUNT_FIELDS:
            return self.amount(entity)
        if field in _DATE_FIELDS:
            return self.date(entity)
        separator = ", " if field == "issuer_address" else " "
        return _text(entity, separator)

    def amount(self, entity: documentai.Document.Entity) -> Decimal | None:
        normalized = entity.normalized_value
        if "money_value" in normalized:
            money = normalized.money_value
            return _money(money.units, money.nanos)
        if "integer_value" in normalized:
            return Decimal(normalized.integer_value)
        for text in (normalized.text, entity.mention_text):
            value = parse_amount(text, self.decimal_comma) if text else None
            if value is not None:
                return value
        if "float_value" in normalized:
            # A 32-bit float carries about seven significant digits.
            return Decimal(f"{normalized.float_value:.7g}")
        return None

    def date(self, entity: documentai.Document.Entity) -> date | None:
        normalized = entity.normalized_value
        if "date_value" in normalized:
            value = normalized.date_value
            try:
                return date(value.year, value.month, value.day)
            except ValueError:
                # A partial date (year or month only) has zeros in it.
                pass
        if normalized.text:
            try:
                return date.fromisoformat(normalized.text)
            except ValueError:
                pass
        return parse_date(entity.mention_text, self.day_first)

    def currency(self) -> tuple[str | None, FieldEvidence | None]:
        """The currency entity, else the code of the total, else the classifier's."""
        entities = sorted(self.document.entities, key=lambda e: -e.confidence)
        for entity in entities:
            if entity.type_ == _CURRENCY:
                code = (entity.normalized_value.text or entity.mention_text).strip()
                if _ISO_CURRENCY.match(code):
                    return code, self.evidence(entity)
        for entity in entities:
            code = entity.normalized_value.money_value.currency_code
            if entity.type_ == "total_amount" and _ISO_CURRENCY.match(code):
                return code, FieldEvidence(confidence=round(entity.confidence, 3))

        fallback = self.classification.currency
        if fallback is None:
            return None, None
        confidence = self.classification.confidence.get("currency", 0.5)
        return fallback, FieldEvidence(confidence=confidence)

    def line_item(self, entity: documentai.Document.Entity) -> LineItem:
        parts = {p.type_.removeprefix("line_item/"): p for p in entity.properties}
        numbers = {
            name: self.amount(parts[name]) if name in parts else None
            for name in ("quantity", "unit_price", "amount")
        }
        description = _text(parts.get("description", entity), " ")
        return LineItem(description=description or "", **numbers)

    def evidence(self, entity: documentai.Document.Entity) -> FieldEvidence:
        confidence = round(min(1.0, max(0.0, entity.confidence)), 3)
        refs = entity.page_anchor.page_refs
        if not refs:
            return FieldEvidence(confidence=confidence)
        ref = refs[0]
        return FieldEvidence(
            confidence=confidence,
            page_number=ref.page + 1,
            bbox=self._pixel_box(ref),
        )

    def _pixel_box(self, ref: documentai.Document.PageAnchor.PageRef) -> BBox | None:
        """The reference's box in pixels of the page Document AI measured."""
        poly = ref.bounding_poly
        if poly.vertices:
            xs = [vertex.x for vertex in poly.vertices]
            ys = [vertex.y for vertex in poly.vertices]
        elif poly.normalized_vertices and ref.page < len(self.document.pages):
            dimension = self.document.pages[ref.page].dimension
            xs = [round(v.x * dimension.width) for v in poly.normalized_vertices]
            ys = [round(v.y * dimension.height) for v in poly.normalized_vertices]
        else:
            return None
        return (min(xs), min(ys), max(xs), max(ys))


def _text(entity: documentai.Document.Entity, separator: str) -> str | None:
    """The normalized text, else the printed one with its lines joined."""
    text = entity.normalized_value.text or entity.mention_text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return separator.join(lines) or None


def _money(units: int, nanos: int) -> Decimal:
    """A google.type.Money amount, in cents when it has no finer fraction."""
    value = Decimal(units) + Decimal(nanos) / _NANOS
    cents = value.quantize(_CENT)
    return cents if cents == value else value.normalize()
