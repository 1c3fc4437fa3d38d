"""Pydantic models passed between stages: upload identity, pages, OCR, invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["ok", "needs_review", "failed"]
DocumentType = Literal["invoice", "credit_note", "receipt", "statement", "other"]
BBox = tuple[int, int, int, int]
"""Pixel box on a page as (left, top, right, bottom)."""


class UploadRef(BaseModel):
    """The identity of one upload: `gs://bucket/name#generation`.

    Every derived object, event, flow run and warehouse row carries `uri`.
    Local files processed by `invoiceflow run` use the `file` scheme, with the
    directory as bucket and the file's modification time as generation.
    """

    model_config = ConfigDict(frozen=True)

    bucket: str
    name: str
    generation: str
    scheme: Literal["gs", "file"] = "gs"

    @property
    def uri(self) -> str:
        return f"{self.scheme}://{self.bucket}/{self.name}#{self.generation}"

    @property
    def key(self) -> str:
        """The identity as a relative object path, for records kept about it."""
        return f"{self.bucket.lstrip('/')}/{self.name}#{self.generation}"


class ConvertedPage(BaseModel):
    """One page of the source, written as a PNG to the processed bucket."""

    page_number: int = Field(ge=1, description="1-based page index in the source")
    object_name: str
    width: int
    height: int
    dpi: tuple[float, float] | None = None
    source_mode: str = Field(description="Pillow mode of the decoded TIFF page")
    png_mode: str = Field(description="Pillow mode written to the PNG")
    png_bytes: int
    compression: str | None = Field(default=None, description="TIFF compression")


class ConvertManifest(BaseModel):
    """What the convert stage produced; later stages and the warehouse use it."""

    source: str = Field(description="upload identity, gs://bucket/name#generation")
    source_sha256: str
    source_bytes: int
    processed_bucket: str
    pages: list[ConvertedPage]

    @property
    def page_count(self) -> int:
        return len(self.pages)


class OcrWord(BaseModel):
    text: str
    confidence: float = Field(ge=0, le=100, description="Tesseract confidence, 0-100")
    bbox: BBox
    block_number: int = 0
    line_number: int = 0


class OcrPage(BaseModel):
    page_number: int = Field(ge=1)
    width: int
    height: int
    words: list[OcrWord]
    rotation_degrees: int = 0
    skew_degrees: float = Field(
        default=0.0,
        description="skew of the scan, counter-clockwise; boxes are after deskewing",
    )
    language: str | None = None

    @property
    def text(self) -> str:
        """Plain text, one OCR line per line, for rules that read text."""
        lines: dict[tuple[int, int], list[str]] = {}
        for word in self.words:
            lines.setdefault((word.block_number, word.line_number), []).append(
                word.text
            )
        return "\n".join(" ".join(ws) for ws in lines.values())


class OcrDocument(BaseModel):
    source: str
    pages: list[OcrPage]

    @property
    def text(self) -> str:
        return "\n\f\n".join(page.text for page in self.pages)


class Classification(BaseModel):
    document_type: DocumentType
    vendor: str = Field(description="known vendor key or 'unknown'")
    language: str = Field(description="ISO 639-1 code: en, pt, es")
    currency: str | None = Field(default=None, description="ISO 4217")
    confidence: dict[str, float] = Field(default_factory=dict)


class FieldEvidence(BaseModel):
    """Where a value was read and how sure the reader is."""

    confidence: float = Field(ge=0, le=1)
    page_number: int | None = None
    bbox: BBox | None = None


class LineItem(BaseModel):
    description: str
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None


class ExtractedInvoice(BaseModel):
    """What extraction reads: every field optional, with evidence per field."""

    invoice_number: str | None = None
    issuer_name: str | None = None
    issuer_address: str | None = None
    issuer_tax_id: str | None = None
    customer_name: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    currency: str | None = None
    subtotal: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    purchase_order: str | None = None
    payment_terms: str | None = None
    evidence: dict[str, FieldEvidence] = Field(default_factory=dict)
    extractor: str = "local"


class Validation(BaseModel):
    status: Status
    reasons: list[str] = Field(default_factory=list)


class InvoiceResult(BaseModel):
    """The outcome of one upload: what `run --json` prints and the warehouse stores."""

    source: str
    status: Status
    error: str | None = None
    error_kind: str | None = None
    pages: int = 0
    document_type: str | None = None
    vendor: str | None = None
    language: str | None = None
    invoice: ExtractedInvoice | None = None
    review_reasons: list[str] = Field(default_factory=list)
    source_sha256: str | None = None
    flow_run_id: str | None = None
