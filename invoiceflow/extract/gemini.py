"""Gemini on Vertex AI adapter: page images and a schema in, structured fields out."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from google import genai
from google.auth import exceptions as auth_exceptions
from google.genai import errors as genai_errors
from google.genai import types
from PIL import Image
from pydantic import BaseModel, Field, ValidationError

from invoiceflow.errors import (
    InvoiceflowError,
    LimitExceededError,
    PermanentError,
    TransientError,
)
from invoiceflow.extract.page_images import ReadsPageImages
from invoiceflow.extract.parsing import day_first_for, parse_amount, parse_date
from invoiceflow.models import (
    Classification,
    ExtractedInvoice,
    FieldEvidence,
    LineItem,
    OcrDocument,
)
from invoiceflow.settings import PipelineSettings

__all__ = [
    "GEMINI_CONFIDENCE",
    "GeminiExtractor",
    "GeminiInvoice",
    "GeminiLineItem",
    "invoice_from_answer",
    "prompt_for",
]

logger = logging.getLogger(__name__)

GEMINI_CONFIDENCE = 0.8
"""The confidence given to every value Gemini returns.

Gemini reports no confidence per field. This fixed figure sits above the
default review threshold (0.6), so a Gemini invoice goes to review through
the arithmetic, date and missing-field checks rather than through
confidence; set `review_confidence` above it to review every one.
"""

# Vertex AI takes inline images of at most 7 MB each; a larger page (an RGB
# scan) is sent as JPEG, which Gemini reads as well.
MAX_INLINE_IMAGE_BYTES = 7 * 1024 * 1024
_JPEG_QUALITY = 85

_TRANSIENT_STATUS = frozenset({408, 429})
_AMOUNT = (
    "Amount as a plain decimal number with a point before the decimals and no "
    "currency sign or thousands separator, e.g. 1234.50; null if not printed."
)
_DATE = "Date as YYYY-MM-DD; null if not printed."
_TEXT = "Exactly as printed; null if not printed."

_PROMPT = """\
The images are the pages of one scanned document, in order. Read the invoice \
(or receipt) on them and answer in the given JSON schema.
Copy names, numbers and addresses as printed, joining an address's lines \
with ", ". Give every line item once, in the printed order, without subtotal, \
tax or total rows. Use null for anything the pages do not show; never guess.
{locale}"""


class GeminiLineItem(BaseModel):
    """One invoice line as the model returns it."""

    description: str = Field(description="The item or service, as printed.")
    quantity: str | None = Field(default=None, description=_AMOUNT)
    unit_price: str | None = Field(default=None, description=_AMOUNT)
    amount: str | None = Field(default=None, description=_AMOUNT)


class GeminiInvoice(BaseModel):
    """The response schema sent with every request: the extraction fields as text.

    Values are strings so that amounts stay exact and every reading goes
    through the same locale-aware parsing as OCR text.
    """

    invoice_number: str | None = Field(default=None, description=_TEXT)
    issuer_name: str | None = Field(
        default=None, description="The seller who issued the invoice. " + _TEXT
    )
    issuer_address: str | None = Field(default=None, description=_TEXT)
    issuer_tax_id: str | None = Field(
        default=None, description="The seller's tax or VAT number. " + _TEXT
    )
    customer_name: str | None = Field(
        default=None, description="The buyer billed. " + _TEXT
    )
    invoice_date: str | None = Field(default=None, description=_DATE)
    due_date: str | None = Field(default=None, description=_DATE)
    currency: str | None = Field(
        default=None, description="ISO 4217 code, e.g. USD, EUR, BRL."
    )
    subtotal: str | None = Field(
        default=None, description="Total before tax. " + _AMOUNT
    )
    tax: str | None = Field(default=None, description="Total tax. " + _AMOUNT)
    total: str | None = Field(default=None, description="Amount due. " + _AMOUNT)
    line_items: list[GeminiLineItem] = Field(default_factory=list)
    purchase_order: str | None = Field(default=None, description=_TEXT)
    payment_terms: str | None = Field(default=None, description=_TEXT)


class GeminiExtractor(ReadsPageImages):
    """Asks a Gemini model on Vertex AI for the invoice fields as structured JSON."""

    name = "gemini"

    def __init__(
        self,
        project: str,
        location: str,
        model: str,
        *,
        client: genai.Client | None = None,
        timeout_seconds: float = 120.0,
        max_image_bytes: int = MAX_INLINE_IMAGE_BYTES,
    ) -> None:
        self.project = project
        self.location = location
        self.model = model
        self.timeout_seconds = timeout_seconds
        self.max_image_bytes = max_image_bytes
        self._client = client

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> GeminiExtractor:
        return cls(
            settings.project_id,
            settings.gemini_location,
            settings.gemini_model,
            timeout_seconds=settings.cloud_timeout_seconds,
        )

    def extract_pages(
        self,
        pages: Sequence[bytes],
        document: OcrDocument,
        classification: Classification,
    ) -> ExtractedInvoice:
        """Fields of the invoice on `pages` (PNG bytes, in page order)."""
        if not pages:
            raise PermanentError(
                f"{document.source}: no page images to send to Gemini",
                kind="extractor_input",
            )
        started = time.monotonic()

        parts = [
            self._image_part(png, page_number, document.source)
            for page_number, png in enumerate(pages, start=1)
        ]
        parts.append(types.Part.from_text(text=prompt_for(classification)))
        content = types.Content(role="user", parts=parts)
        response = self._generate(content, document.source)

        answer = self._answer(response, document.source)
        invoice = invoice_from_answer(answer, classification)
        logger.info(
            "Gemini %s read %s: %d page(s), %d line item(s) in %.2f s",
            self.model,
            document.source,
            len(pages),
            len(invoice.line_items),
            time.monotonic() - started,
        )
        return invoice

    def config(self) -> types.GenerateContentConfig:
        """Deterministic JSON in the schema, one attempt per call."""
        return types.GenerateContentConfig(
            response_mime_type="application/json",
            response_schema=GeminiInvoice,
            temperature=0,
            # The task retries transient failures with backoff; a client
            # retry under it would multiply every attempt.
            http_options=types.HttpOptions(
                timeout=round(self.timeout_seconds * 1000),
                retry_options=types.HttpRetryOptions(attempts=1),
            ),
        )

    def _image_part(self, png: bytes, page_number: int, source: str) -> types.Part:
        if len(png) <= self.max_image_bytes:
            return types.Part.from_bytes(data=png, mime_type="image/png")

        jpeg = _as_jpeg(png)
        if len(jpeg) > self.max_image_bytes:
            raise LimitExceededError(
                f"{source}: page {page_number} is {len(jpeg) / 2**20:.1f} MB even "
                f"as JPEG; Gemini takes inline images up to "
                f"{self.max_image_bytes / 2**20:.0f} MB"
            )
        logger.warning(
            "%s: page %d is %.1f MB as PNG, sent to Gemini as a %.1f MB JPEG",
            source,
            page_number,
            len(png) / 2**20,
            len(jpeg) / 2**20,
        )
        return types.Part.from_bytes(data=jpeg, mime_type="image/jpeg")

    def _generate(
        self, content: types.Content, source: str
    ) -> types.GenerateContentResponse:
        try:
            return self._get_client().models.generate_content(
                model=self.model, contents=content, config=self.config()
            )
        except genai_errors.APIError as exc:
            raise self._call_error(exc, source) from exc
        except _TRANSPORT_ERRORS as exc:
            raise TransientError(
                f"{source}: Gemini {self.model} in {self.location} unreachable "
                f"({exc}); retrying"
            ) from exc
        except auth_exceptions.GoogleAuthError as exc:
            # The client looks for credentials on its first request, not when
            # it is made.
            raise _credentials_error(exc) from exc

    def _answer(
        self, response: types.GenerateContentResponse, source: str
    ) -> GeminiInvoice:
        """The parsed JSON, or a permanent error saying why there is none."""
        if isinstance(response.parsed, GeminiInvoice):
            return response.parsed

        candidate = response.candidates[0] if response.candidates else None
        finish = candidate.finish_reason if candidate is not None else None
        feedback = response.prompt_feedback
        blocked = feedback.block_reason if feedback is not None else None
        try:
            return GeminiInvoice.model_validate_json(response.text or "")
        except ValidationError as exc:
            raise PermanentError(
                f"{source}: Gemini {self.model} returned no valid JSON for the "
                f"invoice schema (finish reason {_name(finish)}, block reason "
                f"{_name(blocked)}): {exc.errors()[0]['msg']}",
                kind="extractor_response",
            ) from exc

    def _call_error(self, exc: genai_errors.APIError, source: str) -> InvoiceflowError:
        what = f"{source}: Gemini {self.model} in {self.location} failed: {exc.message}"
        if exc.code in _TRANSIENT_STATUS or exc.code >= 500:
            return TransientError(f"{what} ({exc.code}); retrying")

        if exc.code in (401, 403):
            hint = (
                "check the worker's service account has the Vertex AI User role "
                f"in project {self.project} and the Vertex AI API is enabled"
            )
            return PermanentError(f"{what}; {hint}", kind="extractor_config")
        if exc.code == 404:
            hint = (
                f"check INVOICEFLOW_GEMINI_MODEL ({self.model}) is offered in "
                f"INVOICEFLOW_GEMINI_LOCATION ({self.location})"
            )
            return PermanentError(f"{what}; {hint}", kind="extractor_config")
        hint = "the request was refused as sent; check the model takes images"
        return PermanentError(f"{what} ({exc.code}); {hint}", kind="extractor_rejected")

    def _get_client(self) -> genai.Client:
        if self._client is None:
            self._client = genai.Client(
                vertexai=True, project=self.project, location=self.location
            )
        return self._client


def _credentials_error(exc: auth_exceptions.GoogleAuthError) -> InvoiceflowError:
    if isinstance(exc, auth_exceptions.TransportError):
        return TransientError(f"Google sign-in for Vertex AI unreachable ({exc})")
    return PermanentError(
        f"No usable Google credentials for Vertex AI ({exc}); give the worker a "
        "service account or set GOOGLE_APPLICATION_CREDENTIALS",
        kind="extractor_config",
    )


def prompt_for(classification: Classification) -> str:
    """The instruction text, with what the classifier knows about the locale."""
    hints = [f"The document is most likely in language '{classification.language}'."]
    day_first = day_first_for(classification.language, classification.currency)
    if day_first is not None:
        order = "day before month" if day_first else "month before day"
        hints.append(f"Numeric dates on it most likely put the {order}.")
    if classification.currency:
        hints.append(f"Its currency is most likely {classification.currency}.")
    return _PROMPT.format(locale=" ".join(hints))


def invoice_from_answer(
    answer: GeminiInvoice, classification: Classification
) -> ExtractedInvoice:
    """The model's strings read into typed fields, each with the fixed confidence."""
    reader = _AnswerReader(classification)
    values: dict[str, Any] = {
        "invoice_number": _clean(answer.invoice_number),
        "issuer_name": _clean(answer.issuer_name),
        "issuer_address": _clean(answer.issuer_address),
        "issuer_tax_id": _clean(answer.issuer_tax_id),
        "customer_name": _clean(answer.customer_name),
        "invoice_date": reader.date(answer.invoice_date),
        "due_date": reader.date(answer.due_date),
        "currency": reader.currency(answer.currency),
        "subtotal": reader.amount(answer.subtotal),
        "tax": reader.amount(answer.tax),
        "total": reader.amount(answer.total),
        "purchase_order": _clean(answer.purchase_order),
        "payment_terms": _clean(answer.payment_terms),
    }
    found = {name: value for name, value in values.items() if value is not None}
    evidence = {name: FieldEvidence(confidence=GEMINI_CONFIDENCE) for name in found}

    if "currency" not in found and classification.currency:
        found["currency"] = classification.currency
        confidence = classification.confidence.get("currency", 0.5)
        evidence["currency"] = FieldEvidence(confidence=confidence)
    items = [reader.line_item(item) for item in answer.line_items]
    if items:
        evidence["line_items"] = FieldEvidence(confidence=GEMINI_CONFIDENCE)

    return ExtractedInvoice(
        **found, line_items=items, evidence=evidence, extractor="gemini"
    )


class _AnswerReader:
    """Reads the model's strings with the locale conventions of the document."""

    def __init__(self, classification: Classification) -> None:
        self.day_first = day_first_for(classification.language, classification.currency)
        # Asked for a decimal point, the model sometimes copies the printed
        # "1.234,50"; parse_amount reads that by its marks.
        self.decimal_comma: bool | None = None

    def amount(self, text: str | None) -> Decimal | None:
        text = _clean(text)
        return parse_amount(text, self.decimal_comma) if text else None

    def date(self, text: str | None) -> date | None:
        text = _clean(text)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return parse_date(text, self.day_first)

    def currency(self, text: str | None) -> str | None:
        code = (_clean(text) or "").upper()
        return code if len(code) == 3 and code.isalpha() else None

    def line_item(self, item: GeminiLineItem) -> LineItem:
        return LineItem(
            description=_clean(item.description) or "",
            quantity=self.amount(item.quantity),
            unit_price=self.amount(item.unit_price),
            amount=self.amount(item.amount),
        )


def _clean(text: str | None) -> str | None:
    """Stripped text, None for an empty string or the word null."""
    if text is None:
        return None
    text = text.strip()
    return text if text and text.lower() != "null" else None


def _as_jpeg(png: bytes) -> bytes:
    image: Image.Image = Image.open(io.BytesIO(png))
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=_JPEG_QUALITY)
    return buffer.getvalue()


def _transport_errors() -> tuple[type[Exception], ...]:
    """Network failures of either HTTP package the SDK may be using."""
    found: list[type[Exception]] = [httpx.TransportError]
    try:
        import httpx2
    except ImportError:
        return tuple(found)
    found.append(httpx2.TransportError)
    return tuple(found)


_TRANSPORT_ERRORS = _transport_errors()


def _name(value: Any) -> str:
    """An SDK enum member's name, or 'none'."""
    if value is None:
        return "none"
    return str(getattr(value, "name", value))
