"""Rows, segments and labels built from word boxes."""

from __future__ import annotations

from invoiceflow.extract.labels import INVOICE_NUMBER, SUBTOTAL
from invoiceflow.extract.layout import document_rows, find_labels, page_rows
from tests.extract.builders import document, page


def test_page_rows_joins_blocks_that_share_a_baseline() -> None:
    scanned = page((150, 300, "Subtotal"), (2000, 304, "70.00"), (150, 360, "Total"))

    rows = page_rows(scanned)

    assert [row.text for row in rows] == ["Subtotal 70.00", "Total"]
    assert [len(row.segments) for row in rows] == [2, 1]


def test_page_rows_splits_a_line_at_a_wide_gap() -> None:
    scanned = page((150, 300, "Invoice No.: A-17"))
    far_value = page((150, 300, "Invoice No.:"), (900, 300, "A-17"))

    close = page_rows(scanned)[0]
    far = page_rows(far_value)[0]

    assert [segment.text for segment in close.segments] == ["Invoice No.: A-17"]
    assert [segment.text for segment in far.segments] == ["Invoice No.:", "A-17"]


def test_page_rows_drops_table_rules_read_as_bars() -> None:
    scanned = page((150, 300, "| Hinge pin |"))

    rows = page_rows(scanned)

    assert rows[0].text == "Hinge pin"


def test_find_labels_matches_a_label_spread_over_two_segments() -> None:
    rows = document_rows(
        document(page((150, 300, "Base"), (400, 300, "Imponible 42,00")))
    )

    hits = list(find_labels(rows, SUBTOTAL))

    assert [hit.name for hit in hits] == ["net"]
    assert [token.text for token in hits[0].rest()] == ["42,00"]


def test_find_labels_splits_a_value_glued_to_its_label() -> None:
    rows = document_rows(document(page((150, 300, "Invoice No.:A-17"))))

    hit = next(find_labels(rows, INVOICE_NUMBER))

    assert [token.text for token in hit.rest()] == ["A-17"]


def test_document_rows_number_rows_across_pages() -> None:
    doc = document(
        page((150, 300, "First"), page_number=1),
        page((150, 300, "Second"), (150, 400, "Third"), page_number=2),
    )

    rows = document_rows(doc)

    assert [(row.index, row.page_number) for row in rows] == [(0, 1), (1, 2), (2, 2)]
