"""Document AI Invoice Parser entities mapped onto the invoice model."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from google.cloud import documentai

from invoiceflow.extract.parsing import day_first_for, parse_amount, parse_date
from invoiceflow.models import (
    BBox,
    Classification,
    ExtractedInvoice,
    FieldEvidence,
    LineItem,
)

__all__ = ["ENTITY_FIELDS", "invoice_from_document"]

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
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CENT = Decimal("0.01")
_NANOS = Decimal(10) ** 9


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
