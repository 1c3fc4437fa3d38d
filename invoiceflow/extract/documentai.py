"""Document AI adapter: page images to the Invoice Parser, its entities to fields."""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Sequence

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
from invoiceflow.extract.documentai_entities import ENTITY_FIELDS, invoice_from_document
from invoiceflow.extract.page_images import ReadsPageImages
from invoiceflow.models import (
    Classification,
    ExtractedInvoice,
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


class DocumentAiExtractor(ReadsPageImages):
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
