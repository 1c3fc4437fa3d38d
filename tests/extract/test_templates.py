"""Vendor templates: loading, matching, precedence over layout rules, new vendors."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from invoiceflow.classify import KNOWN_VENDORS, classify, register_template_vendors
from invoiceflow.extract import get_extractor
from invoiceflow.extract.templates import (
    TEMPLATE_DIR,
    VENDOR_TEMPLATES,
    load_templates,
    template_problems,
)
from invoiceflow.models import ExtractedInvoice, OcrDocument
from invoiceflow.ocr import ocr_document
from invoiceflow.samples import generate_corpus
from tests.extract.builders import classification, document, page

PLATFORMS = {"ubereats", "doordash", "grubhub", "ifood", "rappi"}

# One line of text per platform, as its documents head themselves; the iFood
# one is the logo as OCR often reads it.
HEADINGS = {
    "ubereats": "Uber  Eats\nOrder Receipt\nTOTAL DUE   $21.40",
    "doordash": "DOORDASH\nOrder Receipt\nTotal   $18.05",
    "grubhub": "GrubHub\nRECEIPT\nTotal   $9.99",
    "ifood": "1Food\nComprovante do Pedido\nTOTAL A PAGAR   R$ 52,90",
    "rappi": "Rappi\nComprobante de Pedido\nTOTAL   $313.50",
}

CUSTOM_TEMPLATE = """\
issuer: Harbor Tools Ltd.
keywords:
  - Harbor Tools
required_fields:
  - issuer
  - amount
fields:
  invoice_number:
    parser: regex
    regex: 'Our ref:[ \\t]*([A-Z]{2}-\\d+)'
  amount:
    parser: regex
    regex: 'Total[ \\t]+\\$?(\\d+\\.\\d{2})'
options:
  currency: USD
  languages:
    - en
  decimal_separator: '.'
"""


@pytest.fixture
def restored_vendors() -> Iterator[None]:
    """Vendors a test registers are forgotten after it."""
    known, templates = dict(KNOWN_VENDORS), dict(VENDOR_TEMPLATES)
    yield
    KNOWN_VENDORS.clear()
    KNOWN_VENDORS.update(known)
    VENDOR_TEMPLATES.clear()
    VENDOR_TEMPLATES.update(templates)


def _harbor_tools_invoice() -> OcrDocument:
    return document(
        page(
            (150, 150, "Harbor Tools Ltd."),
            (150, 200, "12 Dock Road, Portsmouth"),
            (1700, 150, "INVOICE"),
            (1700, 250, "Invoice No.: HT-2231"),
            (1700, 300, "Our ref: AB-9944"),
            (1700, 350, "Date: 03/04/2024"),
            (150, 450, "Bill To:"),
            (150, 500, "Globex Corporation"),
            (1750, 1000, "Subtotal"),
            (2150, 1000, "70.00"),
            (1750, 1100, "Total"),
            (2150, 1100, "$75.60"),
            confidence=80.0,
        )
    )


def _ifood_receipt() -> OcrDocument:
    return document(
        page(
            (150, 100, "iFood"),
            (150, 160, "Comprovante do Pedido"),
            (150, 220, "Pedido Nº 4817"),
            (150, 270, "12/03/2025 19:42"),
            (150, 320, "Pedido de: Ana Beatriz Souza"),
            (150, 400, "2x Pastel de carne"),
            (900, 400, "24,00"),
            (150, 450, "@ 12,00"),
            (150, 500, "1x Taxa de entrega"),
            (900, 500, "6,99"),
            (150, 580, "Subtotal"),
            (900, 580, "30, 99"),
            (150, 630, "ICMS (2%)"),
            (900, 630, "0,62"),
            (150, 680, "TOTAL A PAGAR"),
            (900, 680, "R$ 31,61"),
            (150, 800, "CNPJ: 00.314.702/0001-40"),
        )
    )


def _extract(doc: OcrDocument, vendor: str, **kwargs: str) -> ExtractedInvoice:
    return get_extractor("local").extract(doc, classification(vendor=vendor, **kwargs))


def test_packaged_templates_load_without_problems() -> None:
    files = {path.stem for path in TEMPLATE_DIR.glob("*.yml")}

    templates = load_templates()

    assert set(templates) == files == PLATFORMS
    assert all(
        template_problems(key, template.spec) == []
        for key, template in templates.items()
    )


def test_template_problems_name_the_broken_regex_and_the_unknown_field() -> None:
    spec = {
        "issuer": "Acme",
        "keywords": ["Acme"],
        "required_fields": ["issuer", "invoice_number"],
        "fields": {
            "invoice_number": {"parser": "regex", "regex": "No\\. (\\d+"},
            "amount_paid": {"parser": "regex", "regex": "Paid (\\d+)"},
        },
    }

    problems = template_problems("acme", spec)

    assert len(problems) == 2
    assert "does not compile" in problems[0]
    assert "'amount_paid'" in problems[1]


def test_each_template_matches_only_its_own_vendors_text() -> None:
    templates = load_templates()

    matched = {
        vendor: {key for key, template in templates.items() if template.matches(text)}
        for vendor, text in HEADINGS.items()
    }

    assert matched == {vendor: {vendor} for vendor in HEADINGS}


def test_template_reads_an_ifood_receipt_with_ocr_split_amounts() -> None:
    doc = _ifood_receipt()

    invoice = _extract(doc, "ifood", language="pt", currency="BRL")

    assert invoice.invoice_number == "4817"
    assert invoice.issuer_name == "iFood"
    assert invoice.issuer_tax_id == "00.314.702/0001-40"
    assert invoice.customer_name == "Ana Beatriz Souza"
    assert invoice.invoice_date == date(2025, 3, 12)
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("30.99"),
        Decimal("0.62"),
        Decimal("31.61"),
    )
    assert [
        (i.description, i.quantity, i.unit_price, i.amount) for i in invoice.line_items
    ] == [
        ("Pastel de carne", Decimal(2), Decimal("12.00"), Decimal("24.00")),
        ("Taxa de entrega", Decimal(1), Decimal("6.99"), Decimal("6.99")),
    ]


def test_template_fields_take_precedence_with_their_words_as_evidence(
    tmp_path: Path, restored_vendors: None
) -> None:
    (tmp_path / "harbor-tools.yml").write_text(CUSTOM_TEMPLATE, encoding="utf-8")
    register_template_vendors(tmp_path)
    doc = _harbor_tools_invoice()

    invoice = _extract(doc, "harbor-tools")

    assert invoice.invoice_number == "AB-9944"
    assert invoice.evidence["invoice_number"].confidence == 0.8
    # "AB-9944" is the third word of its line: 1700 + "Our " + "ref: " in.
    assert invoice.evidence["invoice_number"].bbox == (1850, 300, 1976, 330)
    assert invoice.total == Decimal("75.60")
    assert invoice.invoice_date == date(2024, 3, 4)


def test_vendor_without_a_template_is_read_by_layout_rules_alone() -> None:
    doc = _harbor_tools_invoice()

    invoice = _extract(doc, "unknown")

    assert "harbor-tools" not in VENDOR_TEMPLATES
    assert invoice.invoice_number == "HT-2231"
    assert invoice.total == Decimal("75.60")


def test_template_without_its_keywords_leaves_the_document_to_layout_rules(
    caplog: pytest.LogCaptureFixture,
) -> None:
    doc = _harbor_tools_invoice()

    with caplog.at_level(logging.WARNING):
        invoice = _extract(doc, "ubereats")

    assert invoice.invoice_number == "HT-2231"
    assert "template keywords are missing" in caplog.text


def test_template_file_in_a_new_folder_makes_its_vendor_classifiable(
    tmp_path: Path, restored_vendors: None
) -> None:
    (tmp_path / "harbor-tools.yml").write_text(CUSTOM_TEMPLATE, encoding="utf-8")
    doc = _harbor_tools_invoice()
    before = classify(doc).vendor

    keys = register_template_vendors(tmp_path)

    assert keys == ["harbor-tools"]
    assert before == "unknown"
    assert classify(doc).vendor == "harbor-tools"


def test_fields_a_receipt_lacks_are_not_logged_as_warnings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    doc = _ifood_receipt()

    with caplog.at_level(logging.WARNING):
        invoice = _extract(doc, "ifood", language="pt", currency="BRL")

    assert invoice.due_date is None
    assert caplog.records == []


def test_scanned_platform_receipt_is_read_through_its_template(
    tmp_path: Path,
) -> None:
    [path] = generate_corpus(tmp_path, count=1, seed=0, layouts=["receipt"])
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    with Image.open(path) as scan:
        doc = ocr_document(str(path), [scan.copy()], workers=1)

    result = classify(doc)
    invoice = get_extractor("local").extract(doc, result)

    assert result.vendor == truth["vendor"] == "ubereats"
    found = {
        name: str(getattr(invoice, name))
        for name in (
            "invoice_number",
            "issuer_name",
            "invoice_date",
            "subtotal",
            "tax",
            "total",
        )
    }
    assert found == {name: str(truth[name]) for name in found}
    assert [str(item.amount) for item in invoice.line_items] == [
        item["amount"] for item in truth["line_items"]
    ]
    assert invoice.evidence["total"].bbox is not None
