"""The offline extractor: layout rules over OCR words, and vendor templates."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from invoiceflow.extract.amounts import find_totals
from invoiceflow.extract.dates import document_day_first, find_dates_in, pick_dates
from invoiceflow.extract.fields import Context, Found
from invoiceflow.extract.identifiers import (
    find_invoice_number,
    find_payment_terms,
    find_purchase_order,
)
from invoiceflow.extract.layout import Row, document_rows
from invoiceflow.extract.parsing import day_first_for
from invoiceflow.extract.parties import find_parties
from invoiceflow.extract.tables import find_tables, headerless_items
from invoiceflow.extract.templates import vendor_template
from invoiceflow.models import (
    Classification,
    ExtractedInvoice,
    FieldEvidence,
    LineItem,
    OcrDocument,
)

__all__ = ["LocalExtractor", "build_context"]

logger = logging.getLogger(__name__)

_VENDOR_NAME_SIMILARITY = 0.7
_COMMA_DECIMAL = re.compile(r"\d,\d{2}$")
_POINT_DECIMAL = re.compile(r"\d\.\d{2}$")

# Names printed for the delivery platforms classify.py recognises, used when
# no issuer can be read from the page itself.
VENDOR_NAMES = {
    "ubereats": "Uber Eats",
    "doordash": "DoorDash",
    "grubhub": "Grubhub",
    "ifood": "iFood",
    "rappi": "Rappi",
}


class LocalExtractor:
    """Reads fields by labels and layout, and by the vendor's template if it has one.

    Fields the template reads take precedence; layout rules fill in the rest.
    Needs no network.
    """

    name = "local"

    def extract(
        self, document: OcrDocument, classification: Classification
    ) -> ExtractedInvoice:
        context = build_context(document, classification)
        tables = find_tables(context)
        for table in tables:
            context.excluded_rows |= table.row_indexes
        items = [item for table in tables for item in table.items]

        totals = find_totals(context)
        if not tables:
            targets = [
                f.value for f in (totals.subtotal, totals.total) if f is not None
            ]
            items, item_rows = headerless_items(context, targets)
            context.excluded_rows |= item_rows

        invoice_date, due_date = pick_dates(find_dates_in(context))
        template = vendor_template(classification.vendor)
        vendor_name = (
            template.issuer if template else VENDOR_NAMES.get(classification.vendor)
        )
        parties = find_parties(context, vendor_name)
        found: dict[str, Found[Any] | None] = {
            "invoice_number": find_invoice_number(context),
            "issuer_name": _canonical_issuer(parties.issuer_name, vendor_name),
            "issuer_address": parties.issuer_address,
            "issuer_tax_id": parties.issuer_tax_id,
            "customer_name": parties.customer_name,
            "invoice_date": invoice_date,
            "due_date": due_date,
            "subtotal": totals.subtotal,
            "tax": totals.tax,
            "total": totals.total,
            "purchase_order": find_purchase_order(context),
            "payment_terms": find_payment_terms(context),
        }
        if template is not None:
            applied = template.apply(context, document.source)
            if applied is not None:
                found.update(applied.fields)
                items = applied.items or items
        return _assemble(found, items, classification, document.source)


def build_context(document: OcrDocument, classification: Classification) -> Context:
    """Rows of the document and the number and date conventions it uses."""
    rows = document_rows(document)
    decimal_comma = _decimal_comma(rows, classification.language)
    day_first = document_day_first(rows)
    if day_first is None:
        day_first = day_first_for(classification.language, classification.currency)
    return Context(
        rows=rows,
        decimal_comma=decimal_comma,
        day_first=day_first,
        language=classification.language,
        currency=classification.currency,
        vendor=classification.vendor,
    )


def _canonical_issuer(
    issuer: Found[str] | None, vendor_name: str | None
) -> Found[str] | None:
    """A known vendor's own spelling for an issuer OCR read nearly like it.

    Logos are set in display type that OCR misreads ("1Food", "Rapp1"); once
    the vendor is recognised, a close reading is that vendor's name.
    """
    if issuer is None or vendor_name is None:
        return issuer
    similarity = SequenceMatcher(None, issuer.value.lower(), vendor_name.lower())
    if similarity.ratio() < _VENDOR_NAME_SIMILARITY:
        return issuer
    confidence = max(issuer.confidence, 0.8)
    return Found(vendor_name, confidence, issuer.tokens)


def _decimal_comma(rows: Sequence[Row], language: str) -> bool | None:
    """Whether amounts use a decimal comma, by the amounts the document prints."""
    comma = point = 0
    for row in rows:
        for token in row.tokens:
            text = token.text.rstrip("-)")
            comma += bool(_COMMA_DECIMAL.search(text))
            point += bool(_POINT_DECIMAL.search(text))

    if comma != point:
        return comma > point
    if language == "pt":
        return True
    return None


def _assemble(
    found: dict[str, Found[Any] | None],
    items: list[LineItem],
    classification: Classification,
    source: str,
) -> ExtractedInvoice:
    values: dict[str, Any] = {}
    evidence: dict[str, FieldEvidence] = {}
    for name, item in found.items():
        if item is None:
            continue
        values[name] = item.value
        evidence[name] = item.evidence()

    if classification.currency:
        values["currency"] = classification.currency
        currency_confidence = classification.confidence.get("currency", 0.5)
        evidence["currency"] = FieldEvidence(confidence=currency_confidence)
    if items:
        evidence["line_items"] = FieldEvidence(
            confidence=_items_confidence(items, values)
        )

    missing = [name for name, item in found.items() if item is None]
    logger.debug("%s fields not found: %s", source, ", ".join(missing) or "none")
    return ExtractedInvoice(**values, line_items=items, evidence=evidence)


def _items_confidence(items: list[LineItem], values: dict[str, Any]) -> float:
    """High when the items add up to the subtotal (or total), middling otherwise."""
    amounts = [item.amount for item in items if item.amount is not None]
    total = sum(amounts, Decimal(0))
    targets = [values.get("subtotal"), values.get("total")]
    if len(amounts) == len(items) and any(total == target for target in targets):
        return 0.95
    return 0.5
