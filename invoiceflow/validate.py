"""Checks on an extracted invoice: arithmetic, dates, currency and confidence."""

from __future__ import annotations

import logging
import re
from decimal import Decimal

from invoiceflow.models import Classification, ExtractedInvoice, Status, Validation

__all__ = ["KEY_FIELDS", "validate"]

logger = logging.getLogger(__name__)

KEY_FIELDS = ("invoice_number", "issuer_name", "invoice_date", "total")
"""Fields an invoice is unusable without; missing or unsure ones mean review."""

_CENT = Decimal("0.01")
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


def validate(
    invoice: ExtractedInvoice,
    classification: Classification,
    *,
    review_confidence: float = 0.6,
) -> Validation:
    """`ok`, or `needs_review` with one plain reason per problem found."""
    reasons = [
        *_type_reasons(classification),
        *_missing_and_unsure(invoice, classification, review_confidence),
        *_arithmetic_reasons(invoice, classification),
        *_date_reasons(invoice),
        *_currency_reasons(invoice, classification),
    ]

    status: Status = "needs_review" if reasons else "ok"
    logger.debug("validation: %s %s", status, reasons)
    return Validation(status=status, reasons=reasons)


def _type_reasons(classification: Classification) -> list[str]:
    if classification.document_type == "other":
        return ["document type not recognised as an invoice, receipt or statement"]
    return []


def _key_fields(classification: Classification) -> tuple[str, ...]:
    # Till and delivery receipts often print no number of their own.
    if classification.document_type == "receipt":
        return tuple(name for name in KEY_FIELDS if name != "invoice_number")
    return KEY_FIELDS


def _missing_and_unsure(
    invoice: ExtractedInvoice, classification: Classification, threshold: float
) -> list[str]:
    reasons = []
    for name in _key_fields(classification):
        if getattr(invoice, name) is None:
            reasons.append(f"{name} not found")
            continue
        evidence = invoice.evidence.get(name)
        if evidence is not None and evidence.confidence < threshold:
            reasons.append(
                f"{name} read with low confidence "
                f"({evidence.confidence:.2f} < {threshold:.2f})"
            )
    return reasons


def _arithmetic_reasons(
    invoice: ExtractedInvoice, classification: Classification
) -> list[str]:
    reasons = []
    amounts = [item.amount for item in invoice.line_items]
    expected = invoice.subtotal if invoice.subtotal is not None else invoice.total
    if invoice.line_items and expected is not None:
        if any(amount is None for amount in amounts):
            reasons.append("line items without an amount")
        else:
            lines_sum = sum((a for a in amounts if a is not None), Decimal(0))
            if abs(lines_sum - expected) > _CENT * max(1, len(amounts)):
                label = "subtotal" if invoice.subtotal is not None else "total"
                reasons.append(f"line items sum to {lines_sum}, {label} is {expected}")

    if invoice.subtotal is not None and invoice.total is not None:
        tax = invoice.tax if invoice.tax is not None else Decimal(0)
        difference = invoice.total - (invoice.subtotal + tax)
        # Receipts add delivery and service fees and tips after the tax, so a
        # total above subtotal + tax is expected there; below it never is.
        fees_allowed = classification.document_type == "receipt" and difference > 0
        if abs(difference) > 2 * _CENT and not fees_allowed:
            reasons.append(
                f"subtotal {invoice.subtotal} + tax {tax} does not equal "
                f"total {invoice.total}"
            )
    return reasons


def _date_reasons(invoice: ExtractedInvoice) -> list[str]:
    if invoice.invoice_date is None or invoice.due_date is None:
        return []
    if invoice.due_date < invoice.invoice_date:
        return [
            f"due date {invoice.due_date} is before invoice date {invoice.invoice_date}"
        ]
    return []


def _currency_reasons(
    invoice: ExtractedInvoice, classification: Classification
) -> list[str]:
    reasons = []
    if invoice.currency is None:
        if invoice.total is not None:
            reasons.append("currency not found")
        return reasons

    if not _ISO_CURRENCY.match(invoice.currency):
        reasons.append(f"currency {invoice.currency!r} is not an ISO 4217 code")
    if classification.currency and invoice.currency != classification.currency:
        reasons.append(
            f"currency {invoice.currency} differs from the classified "
            f"{classification.currency}"
        )
    return reasons
