"""Amounts and dates as English, Portuguese and Spanish documents print them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from invoiceflow.extract.parsing import (
    day_first_for,
    find_dates,
    normalize,
    parse_amount,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("R$ 1.234,56", "1234.56"),
        ("$12.00", "12.00"),
        ("USD 1,234,567.89", "1234567.89"),
        ("1 234,56", "1234.56"),
        ("3.450,00 €", "3450.00"),
        ("12,5", "12.5"),
        ("(45.00)", "-45.00"),
        ("45.00-", "-45.00"),
        ("43.00.", "43.00"),
        ("1O5.00", "105.00"),
        ("47.992.39", "47992.39"),
    ],
)
def test_parse_amount_reads_each_locale(text: str, expected: str) -> None:
    value = parse_amount(text)

    assert value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1.234", True, "1234"),
        ("1,234", True, "1.234"),
        ("1.234", False, "1.234"),
        ("1,234", False, "1234"),
        ("45.000", None, "45000"),
    ],
)
def test_parse_amount_breaks_three_digit_ties_by_locale(
    text: str, decimal_comma: bool | None, expected: str
) -> None:
    value = parse_amount(text, decimal_comma)

    assert value == Decimal(expected)


@pytest.mark.parametrize("text", ["EUR", "16%", "12a", "12/03", "", "Total"])
def test_parse_amount_rejects_what_is_not_an_amount(text: str) -> None:
    value = parse_amount(text)

    assert value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("15/03/2024", date(2024, 3, 15)),
        ("03/15/2024", date(2024, 3, 15)),
        ("15 de março de 2024", date(2024, 3, 15)),
        ("10 de fevereiro de 2025", date(2025, 2, 10)),
        ("5 ene. 2024", date(2024, 1, 5)),
        ("17 de agosto de 2025", date(2025, 8, 17)),
        ("March 15, 2024", date(2024, 3, 15)),
        ("15-Mar-2024", date(2024, 3, 15)),
        ("Sep 3rd 2025", date(2025, 9, 3)),
        ("I Nov 2025", date(2025, 11, 1)),
    ],
)
def test_parse_date_reads_numeric_and_named_months(text: str, expected: date) -> None:
    value = parse_date(text)

    assert value == expected


def test_parse_date_follows_the_locale_when_both_orders_are_valid() -> None:
    text = "03/04/2024"

    month_first = parse_date(text, day_first=False)
    day_first = parse_date(text, day_first=True)

    assert month_first == date(2024, 3, 4)
    assert day_first == date(2024, 4, 3)


def test_find_dates_marks_ambiguous_numeric_dates() -> None:
    matches = find_dates("Issued 03/04/2024, due 30/04/2024")

    assert [match.ambiguous for match in matches] == [True, False]


@pytest.mark.parametrize("text", ["31/02/2024", "INV-2024-0042", "12/03", "1889-01-01"])
def test_parse_date_rejects_impossible_or_partial_dates(text: str) -> None:
    value = parse_date(text)

    assert value is None


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("pt", "BRL", True),
        ("es", "MXN", True),
        ("en", "USD", False),
        ("en", "GBP", True),
        ("en", None, None),
    ],
)
def test_day_first_for_judges_by_language_and_currency(
    language: str, currency: str | None, expected: bool | None
) -> None:
    day_first = day_first_for(language, currency)

    assert day_first is expected


def test_normalize_drops_accents_and_reads_ordinal_marks_as_o() -> None:
    text = "Nº da Nota Fiscal Eletrônica"

    normalized = normalize(text)

    assert normalized == "no da nota fiscal eletronica"
