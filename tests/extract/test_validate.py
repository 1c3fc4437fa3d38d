"""Validation: arithmetic, dates, currency and confidence decide ok or review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from invoiceflow.models import ExtractedInvoice, FieldEvidence, LineItem
from invoiceflow.validate import validate
from tests.extract.builders import classification


def _invoice(**changes: object) -> ExtractedInvoice:
    sure = FieldEvidence(confidence=0.95, page_number=1, bbox=(0, 0, 10, 10))
    base = ExtractedInvoice(
        invoice_number="A-17",
        issuer_name="Harbor Tools Ltd.",
        invoice_date=date(2024, 3, 4),
        due_date=date(2024, 4, 3),
        currency="USD",
        subtotal=Decimal("70.00"),
        tax=Decimal("5.60"),
        total=Decimal("75.60"),
        line_items=[
            LineItem(description="Bracket", amount=Decimal("50.00")),
            LineItem(description="Hinge pin", amount=Decimal("20.00")),
        ],
        evidence={
            name: sure
            for name in ("invoice_number", "issuer_name", "invoice_date", "total")
        },
    )
    return base.model_copy(update=changes)


def test_validate_passes_a_consistent_invoice() -> None:
    invoice = _invoice()

    result = validate(invoice, classification())

    assert (result.status, result.reasons) == ("ok", [])


def test_validate_flags_line_items_that_miss_the_subtotal() -> None:
    invoice = _invoice(line_items=[LineItem(description="Bracket", amount=Decimal(50))])

    result = validate(invoice, classification())

    assert result.status == "needs_review"
    assert result.reasons == ["line items sum to 50, subtotal is 70.00"]


def test_validate_flags_subtotal_and_tax_that_miss_the_total() -> None:
    invoice = _invoice(total=Decimal("80.00"))

    result = validate(invoice, classification())

    assert result.reasons == ["subtotal 70.00 + tax 5.60 does not equal total 80.00"]


def test_validate_allows_fees_between_tax_and_total_on_a_receipt() -> None:
    invoice = _invoice(total=Decimal("82.10"), line_items=[])

    result = validate(invoice, classification(document_type="receipt"))

    assert result.status == "ok"


def test_validate_flags_a_due_date_before_the_invoice_date() -> None:
    invoice = _invoice(due_date=date(2024, 2, 1))

    result = validate(invoice, classification())

    assert result.reasons == ["due date 2024-02-01 is before invoice date 2024-03-04"]


def test_validate_sends_low_confidence_key_fields_to_review() -> None:
    invoice = _invoice()
    invoice.evidence["total"] = FieldEvidence(confidence=0.4)

    result = validate(invoice, classification(), review_confidence=0.6)

    assert result.reasons == ["total read with low confidence (0.40 < 0.60)"]


def test_validate_reports_each_missing_key_field() -> None:
    invoice = _invoice(invoice_number=None, total=None, subtotal=None)

    result = validate(invoice, classification())

    assert "invoice_number not found" in result.reasons
    assert "total not found" in result.reasons


def test_validate_does_not_require_a_number_on_a_receipt() -> None:
    invoice = _invoice(invoice_number=None)

    result = validate(invoice, classification(document_type="receipt"))

    assert result.status == "ok"


def test_validate_flags_a_currency_other_than_the_classified_one() -> None:
    invoice = _invoice(currency="EUR")

    result = validate(invoice, classification(currency="USD"))

    assert result.reasons == ["currency EUR differs from the classified USD"]


def test_validate_keeps_a_document_of_another_kind_for_review() -> None:
    invoice = _invoice()

    result = validate(invoice, classification(document_type="other"))

    assert result.status == "needs_review"
    assert result.reasons[0].startswith("document type not recognised")
