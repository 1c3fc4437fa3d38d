"""Locale-aware reading of amounts, dates and currencies from OCR text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = [
    "DateMatch",
    "day_first_for",
    "find_amounts",
    "find_dates",
    "normalize",
    "parse_amount",
    "parse_date",
]

_MIN_YEAR = 1990
_MAX_YEAR = 2100

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan enero ene janeiro",
        "february feb febrero fevereiro fev",
        "march mar marzo marco",
        "april apr abril abr",
        "may mayo maio",
        "june jun junio junho",
        "july jul julio julho",
        "august aug agosto ago",
        "september sep sept septiembre setiembre set setembro",
        "october oct octubre outubro out",
        "november nov noviembre novembro",
        "december dec diciembre dic dezembro dez",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEP = r"[/\-.]"
_DATE_PATTERNS = (
    # 2024-03-15, 2024/03/15
    ("ymd", re.compile(rf"\b(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})\b")),
    # 15/03/2024, 03-15-24, 15.03.2024
    (
        "dmy",
        re.compile(rf"\b(\d{{1,2}})\s?{_SEP}\s?(\d{{1,2}})\s?{_SEP}\s?(\d{{2,4}})\b"),
    ),
    # 15 March 2024, 15-mar-2024, 15 de marzo de 2024
    (
        "d_mon_y",
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[\s\-./]*(?:de\s+)?({_MONTH})(?![a-z])\.?"
            rf"[\s\-./,]*(?:de\s+|del\s+)?(\d{{4}}|\d{{2}})\b"
        ),
    ),
    # March 15, 2024; mar 15 2024
    (
        "mon_d_y",
        re.compile(
            rf"\b({_MONTH})(?![a-z])\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?:de\s+)?(\d{{4}})\b"
        ),
    ),
)

_LONE_ONE = re.compile(rf"(?<![\w.,])[il](?=\s+(?:{_MONTH})(?![a-z]))")
_AMOUNT = re.compile(
    r"(?<![\w/])[-(]?\s?(?:[A-Z]{3}\s?|R\$\s?|US\$\s?|[$€£¥]\s?)?"
    r"\d{1,3}(?:[.,'\s]\d{3})*(?:[.,]\d{1,2})?(?!\d)\)?-?"
    r"|(?<![\w/])[-(]?\s?(?:[A-Z]{3}\s?|R\$\s?|US\$\s?|[$€£¥]\s?)?\d+(?:[.,]\d{1,2})?"
    r"(?![\d/])\)?-?"
)
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1"})


@dataclass(frozen=True)
class DateMatch:
    """A date found in text, with the character span it was read from."""

    value: date
    start: int
    end: int
    ambiguous: bool


def normalize(text: str) -> str:
    """Lower case without accents, ordinal marks read as the letter o."""
    text = text.replace("º", "o").replace("°", "o").replace("ª", "a")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def day_first_for(language: str | None, currency: str | None) -> bool | None:
    """Whether numeric dates put the day first, judging by language and currency.

    Portuguese and Spanish documents write the day first; English ones do too
    outside the United States, which the dollar alone does not prove (Canada,
    Australia), so only USD with English reads month first.
    """
    if language in ("pt", "es"):
        return True
    if currency == "USD":
        return False
    if currency is not None:
        return True
    return None


def parse_date(text: str, day_first: bool | None = None) -> date | None:
    """The first plausible date in `text`, or None."""
    for match in find_dates(text, day_first):
        return match.value
    return None


def find_dates(text: str, day_first: bool | None = None) -> list[DateMatch]:
    """Every plausible date in `text`, in reading order."""
    # A lone I or l before a month name is the day 1 misread; same length.
    normalized = _LONE_ONE.sub("1", normalize(text))
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(normalized):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            value, ambiguous = _date_from(kind, match.groups(), day_first)
            if value is not None:
                found.append(DateMatch(value, match.start(), match.end(), ambiguous))
                taken.append((match.start(), match.end()))

    return sorted(found, key=lambda item: item.start)


def _date_from(
    kind: str, groups: tuple[str, ...], day_first: bool | None
) -> tuple[date | None, bool]:
    if kind == "ymd":
        return _safe_date(groups[0], groups[1], groups[2]), False
    if kind == "d_mon_y":
        return _safe_date(groups[2], str(MONTHS[groups[1]]), groups[0]), False
    if kind == "mon_d_y":
        return _safe_date(groups[2], str(MONTHS[groups[0]]), groups[1]), False
    return _numeric_date(groups[0], groups[1], groups[2], day_first)


def _numeric_date(
    first: str, second: str, year: str, day_first: bool | None
) -> tuple[date | None, bool]:
    a, b = int(first), int(second)
    if a > 12 and b <= 12:
        return _safe_date(year, second, first), False
    if b > 12 and a <= 12:
        return _safe_date(year, first, second), False
    if a == b:
        return _safe_date(year, second, first), False

    # Both readings are valid calendar dates; the locale decides, and without a
    # hint day-first is the guess, being the usage in most of the world.
    if day_first is False:
        return _safe_date(year, first, second), True
    return _safe_date(year, second, first), True


def _safe_date(year: str, month: str, day: str) -> date | None:
    full_year = int(year)
    if len(year) == 2:
        full_year += 2000 if full_year < 70 else 1900
    if not _MIN_YEAR <= full_year <= _MAX_YEAR:
        return None
    try:
        return date(full_year, int(month), int(day))
    except ValueError:
        return None


def parse_amount(text: str, decimal_comma: bool | None = None) -> Decimal | None:
    """An amount written in any common locale, or None if `text` is not one.

    `decimal_comma` breaks the tie of a single separator followed by three
    digits ("1.234" is a thousand in Brazil, "1,234" one in the US).
    """
    cleaned = _strip_money_marks(text)
    if cleaned is None:
        return None
    negative, digits = cleaned
    if not digits or not re.fullmatch(r"\d[\d.,' ]*", digits):
        return None

    number = _canonical_number(digits, decimal_comma)
    if number is None:
        return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return -value if negative else value


def _strip_money_marks(text: str) -> tuple[bool, str] | None:
    # A separator cannot end an amount; a trailing one is a speck or a full stop.
    value = text.strip().rstrip(".,:;*")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    if value.endswith("-") or value.startswith("-"):
        negative, value = True, value.strip("-").strip()

    value = re.sub(r"^(?:[A-Z]{3}|R\$|US\$|S/|[$€£¥])\s*", "", value)
    value = re.sub(r"\s*(?:[A-Z]{3}|[$€£¥])$", "", value)
    if value.startswith("-"):
        negative, value = True, value[1:].strip()
    if re.search(r"\d", value) is None:
        return None
    if re.search(r"[A-Za-z]", value):
        # O for 0 and l for 1 are common misreads inside printed amounts.
        value = value.translate(_DIGIT_LOOKALIKES)
    return negative, value.replace("\u202f", " ").replace("\xa0", " ")


def _canonical_number(digits: str, decimal_comma: bool | None) -> str | None:
    digits = digits.replace("'", "").replace(" ", "")
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot < 0 and last_comma < 0:
        return digits

    if last_dot >= 0 and last_comma >= 0:
        decimal_mark = "." if last_dot > last_comma else ","
    else:
        decimal_mark = "." if last_dot >= 0 else ","
        decimal_mark = _single_mark_role(digits, decimal_mark, decimal_comma)

    thousands_mark = "," if decimal_mark == "." else "."
    if decimal_mark == "":
        return digits.replace(".", "").replace(",", "")

    whole, _, fraction = digits.rpartition(decimal_mark)
    if thousands_mark in fraction:
        return None
    if not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*|\d+", whole):
        return None
    return re.sub(r"[.,]", "", whole) + "." + fraction


def _single_mark_role(digits: str, mark: str, decimal_comma: bool | None) -> str:
    """Return `mark` if it is the decimal mark here, or "" if it groups thousands."""
    groups = digits.split(mark)
    if len(groups) > 2:
        # Thousands come in threes; a last group of two is a misread decimal
        # mark ("47.992.39" for "47.992,39").
        return mark if len(groups[-1]) <= 2 else ""
    fraction = groups[1]
    if len(fraction) != 3:
        return mark
    if decimal_comma is None:
        return ""
    return mark if (mark == ",") == decimal_comma else ""


def find_amounts(
    text: str, decimal_comma: bool | None = None
) -> Iterator[tuple[Decimal, int, int]]:
    """Every amount-like number in `text` with its span, left to right."""
    for match in _AMOUNT.finditer(text):
        value = parse_amount(match.group().strip(), decimal_comma)
        if value is not None:
            yield value, match.start(), match.end()
