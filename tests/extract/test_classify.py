"""Document type, vendor, language and currency from OCR text, not file names."""

from __future__ import annotations

import pytest

from invoiceflow.classify import classify
from invoiceflow.errors import NotAnInvoiceError
from tests.extract.builders import document, page


def test_classify_reads_a_portuguese_nota_fiscal_in_reais() -> None:
    doc = document(
        page(
            (150, 100, "NOTA FISCAL DE SERVIÇOS"),
            (150, 300, "Número da nota: 000123"),
            (150, 350, "Data de emissão: 15/03/2024"),
            (150, 400, "Valor total da nota: R$ 1.234,56"),
        )
    )

    result = classify(doc)

    assert (result.document_type, result.language, result.currency) == (
        "invoice",
        "pt",
        "BRL",
    )
    assert result.vendor == "unknown"


def test_classify_recognises_a_delivery_receipt_and_its_platform() -> None:
    doc = document(
        page(
            (150, 100, "Uber Eats"),
            (150, 200, "RECEIPT"),
            (150, 300, "1x Spicy chicken sandwich 10.50"),
            (150, 350, "2x Vegetable dumplings 16.00"),
            (150, 400, "Total $26.50"),
        )
    )

    result = classify(doc)

    assert (result.document_type, result.vendor, result.language) == (
        "receipt",
        "ubereats",
        "en",
    )
    assert result.confidence["vendor"] > 0.6


def test_classify_takes_a_bare_dollar_as_pesos_on_a_mexican_document() -> None:
    doc = document(
        page(
            (150, 100, "FACTURA"),
            (150, 200, "RFC: ESQ920101AB1"),
            (150, 300, "Fecha de emisión: 15/03/2024"),
            (150, 400, "Total a pagar: $ 1,234.56"),
        )
    )

    result = classify(doc)

    assert (result.language, result.currency) == ("es", "MXN")


def test_classify_ignores_a_currency_code_that_is_only_a_word() -> None:
    doc = document(
        page(
            (150, 100, "INVOICE"),
            (150, 200, "Ballpoint PEN refills, box of 12"),
            (150, 300, "Total due: $ 12.00"),
        )
    )

    result = classify(doc)

    assert result.currency == "USD"


def test_classify_keeps_a_readable_non_invoice_as_other() -> None:
    doc = document(
        page(
            (150, 100, "Dear neighbours,"),
            (150, 200, "the garden party moves to Saturday afternoon"),
            (150, 300, "bring chairs and good weather"),
        )
    )

    result = classify(doc)

    assert result.document_type == "other"


def test_classify_refuses_a_document_with_almost_no_words() -> None:
    doc = document(page((150, 100, "smudge")))

    with pytest.raises(NotAnInvoiceError, match="1 word"):
        classify(doc)


def test_classify_guesses_dollars_for_an_unmarked_english_invoice() -> None:
    doc = document(
        page(
            (150, 100, "INVOICE"),
            (150, 200, "Invoice number 5521"),
            (150, 300, "Amount due 412.00"),
        )
    )

    result = classify(doc)

    assert result.currency == "USD"
    assert result.confidence["currency"] < 0.5
