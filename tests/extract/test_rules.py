"""The generic extractor on hand-built pages: labels, positions, tables, locales."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from invoiceflow.extract import get_extractor
from invoiceflow.models import ExtractedInvoice, OcrDocument, OcrPage
from tests.extract.builders import classification, document, page, placed


def _extract(doc: OcrDocument, **kwargs: str) -> ExtractedInvoice:
    return get_extractor("local").extract(doc, classification(**kwargs))


def _english_invoice() -> OcrDocument:
    return document(
        page(
            (150, 150, "Harbor Tools Ltd."),
            (150, 200, "12 Dock Road, Portsmouth"),
            (150, 250, "Tax ID: 98-7654321"),
            (1700, 150, "INVOICE"),
            (1700, 250, "Invoice No.: HT-2231"),
            (1700, 300, "Date: 03/04/2024"),
            (1700, 350, "Due Date: 05/03/2024"),
            (150, 450, "Bill To:"),
            (150, 500, "Globex Corporation"),
            (150, 700, "Description"),
            (1500, 700, "Qty"),
            (1750, 700, "Unit Price"),
            (2150, 700, "Amount"),
            (150, 760, "Steel bracket, galvanised"),
            (1500, 760, "4"),
            (1750, 760, "12.50"),
            (2150, 760, "50.00"),
            (150, 800, "and zinc plated"),
            (150, 860, "Hinge pin"),
            (1500, 860, "10"),
            (1750, 860, "2.00"),
            (2150, 860, "20.00"),
            (1750, 1000, "Subtotal"),
            (2150, 1000, "70.00"),
            (1750, 1050, "Sales Tax"),
            (2150, 1050, "5.60"),
            (1750, 1100, "Total"),
            (2150, 1100, "$75.60"),
        )
    )


def test_extract_reads_labelled_fields_of_an_english_invoice() -> None:
    doc = _english_invoice()

    invoice = _extract(doc)

    assert invoice.invoice_number == "HT-2231"
    assert invoice.issuer_name == "Harbor Tools Ltd."
    assert invoice.issuer_address == "12 Dock Road, Portsmouth"
    assert invoice.issuer_tax_id == "98-7654321"
    assert invoice.customer_name == "Globex Corporation"
    assert invoice.currency == "USD"


def test_extract_reads_us_dates_month_first() -> None:
    doc = _english_invoice()

    invoice = _extract(doc)

    assert invoice.invoice_date == date(2024, 3, 4)
    assert invoice.due_date == date(2024, 5, 3)


def test_extract_reads_totals_that_add_up() -> None:
    doc = _english_invoice()

    invoice = _extract(doc)

    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("70.00"),
        Decimal("5.60"),
        Decimal("75.60"),
    )
    assert invoice.evidence["total"].confidence > 0.9


def test_extract_reads_table_rows_and_joins_wrapped_descriptions() -> None:
    doc = _english_invoice()

    invoice = _extract(doc)

    assert [(item.description, item.amount) for item in invoice.line_items] == [
        ("Steel bracket, galvanised and zinc plated", Decimal("50.00")),
        ("Hinge pin", Decimal("20.00")),
    ]
    assert invoice.line_items[1].quantity == Decimal("10")


def test_extract_records_page_and_box_of_each_value() -> None:
    doc = _english_invoice()

    invoice = _extract(doc)

    evidence = invoice.evidence["invoice_number"]
    assert evidence.page_number == 1
    assert evidence.bbox is not None
    assert evidence.bbox[0] > 1700 and evidence.bbox[1] == 250


def test_extract_reads_a_portuguese_nota_with_values_under_header_cells() -> None:
    doc = document(
        page(
            (150, 150, "Padaria São João Ltda"),
            (150, 420, "Número"),
            (700, 420, "Data de Emissão"),
            (1300, 420, "Data de Vencimento"),
            (150, 470, "000.488.301"),
            (700, 470, "10 de fevereiro de 2025"),
            (1300, 470, "12/03/2025"),
            (1600, 1000, "Valor dos Produtos"),
            (2100, 1000, "19.415,14"),
            (1600, 1050, "ISS (2%)"),
            (2100, 1050, "388,30"),
            (1600, 1100, "Total a Pagar"),
            (2100, 1100, "R$ 19.803,44"),
        )
    )

    invoice = _extract(doc, language="pt", currency="BRL")

    assert invoice.invoice_number == "000.488.301"
    assert invoice.invoice_date == date(2025, 2, 10)
    assert invoice.due_date == date(2025, 3, 12)
    assert invoice.subtotal == Decimal("19415.14")
    assert invoice.tax == Decimal("388.30")
    assert invoice.total == Decimal("19803.44")


def test_extract_prefers_totals_that_add_up_over_a_bare_total_label() -> None:
    doc = document(
        page(
            (150, 150, "Papelería del Sol S.L."),
            (150, 250, "Factura N.º: F2025/8500"),
            (150, 300, "Fecha: 02/03/2025"),
            (1600, 900, "Total"),
            (2100, 900, "3"),
            (1600, 1000, "Base Imponible"),
            (2100, 1000, "255,30"),
            (1600, 1050, "IVA (21%)"),
            (2100, 1050, "53,61"),
            (1600, 1100, "Importe Total"),
            (2100, 1100, "308,91 €"),
        )
    )

    invoice = _extract(doc, language="es", currency="EUR")

    assert invoice.invoice_number == "F2025/8500"
    assert invoice.invoice_date == date(2025, 3, 2)
    assert invoice.total == Decimal("308.91")


def test_extract_reads_receipt_lines_without_a_table_header() -> None:
    doc = document(
        page(
            (250, 50, "Rappi"),
            (150, 120, "RECIBO"),
            (150, 240, "Pedido # 2088952451"),
            (150, 280, "17/08/2025 19:00"),
            (150, 320, "Cliente: Valeria Cruz"),
            (150, 400, "1x Refresco de lata"),
            (1000, 400, "20.00"),
            (150, 440, "2x Tacos al pastor (3)"),
            (1000, 440, "141.98"),
            (150, 480, "1x Costo de envío"),
            (1000, 480, "55.44"),
            (150, 560, "Subtotal"),
            (1000, 560, "217.42"),
            (150, 600, "IVA (16%)"),
            (1000, 600, "34.79"),
            (150, 640, "TOTAL"),
            (1000, 640, "$252.21"),
        )
    )

    invoice = _extract(doc, language="es", currency="MXN", document_type="receipt")

    assert invoice.invoice_number == "2088952451"
    assert invoice.customer_name == "Valeria Cruz"
    assert invoice.invoice_date == date(2025, 8, 17)
    assert [(i.description, i.quantity, i.unit_price) for i in invoice.line_items] == [
        ("Refresco de lata", Decimal(1), Decimal("20.00")),
        ("Tacos al pastor (3)", Decimal(2), Decimal("70.99")),
        ("Costo de envío", Decimal(1), Decimal("55.44")),
    ]


def test_extract_ignores_a_po_box_and_keeps_the_purchase_order() -> None:
    doc = document(
        page(
            (150, 150, "Northwind Traders Inc."),
            (150, 200, "PO Box 1234, Seattle"),
            (1600, 250, "Invoice #: NW-77"),
            (1600, 300, "Purchase Order: PO-5521"),
            (1600, 350, "Terms: Net 30"),
        )
    )

    invoice = _extract(doc)

    assert invoice.invoice_number == "NW-77"
    assert invoice.purchase_order == "PO-5521"
    assert invoice.payment_terms == "Net 30"


def test_extract_returns_empty_fields_for_a_page_without_labels() -> None:
    doc = document(page((150, 150, "Minutes of the quarterly meeting")))

    invoice = _extract(doc)

    assert invoice.invoice_number is None
    assert invoice.total is None
    assert invoice.line_items == []


def test_extract_keeps_an_invoice_number_that_starts_with_a_label_word() -> None:
    # "INV-2025-79554" begins with the label word "INV"; read as a label, its
    # value would be sought below it, where the date's "21" sits.
    lines = [
        (150, 150, "Acme Office Supply Co.", 95.0),
        (1700, 150, "INVOICE", 95.0),
        (1500, 250, "Invoice #:", 95.0),
        (1800, 250, "INV-2025-79554", 30.0),
        (1500, 300, "Date:", 95.0),
        (1800, 300, "21 Jul 2025", 95.0),
        (150, 900, "Total", 95.0),
        (1800, 900, "$100.00", 95.0),
    ]
    words = [
        word
        for block, (x, y, text, confidence) in enumerate(lines, start=1)
        for word in placed(x, y, text, block, confidence)
    ]
    doc = document(OcrPage(page_number=1, width=2550, height=3300, words=words))

    invoice = _extract(doc)

    assert invoice.invoice_number == "INV-2025-79554"
    assert invoice.invoice_date == date(2025, 7, 21)
