"""The issuer's address: the lines printed under its name, wherever that is."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from statistics import median

from invoiceflow.extract.fields import Found, ocr_confidence
from invoiceflow.extract.labels import (
    CONTACT,
    TAX_ID,
    TAX_ID_VALUE,
    TITLE_WORDS,
    starts_with_label,
)
from invoiceflow.extract.layout import Row, Segment
from invoiceflow.extract.parsing import find_dates

__all__ = ["find_issuer_address"]

_ADDRESS_LINES = 3


def find_issuer_address(
    segment: Segment, rows: Sequence[Row], customer_area: set[int]
) -> Found[str] | None:
    """The address printed under the issuer's name, or under its repetition.

    Receipts often print the name large at the top and again, with the
    address, in the footer; every place the name appears is tried.
    """
    for name_segment in _same_name_segments(segment, rows):
        lines = list(_lines_below(name_segment, rows, customer_area))
        if lines:
            tokens = [token for line in lines for part in line for token in part.tokens]
            text = ", ".join(part.text.strip(" ,") for line in lines for part in line)
            return Found(text, 0.7 * ocr_confidence(tokens), tokens)
    return None


def _same_name_segments(segment: Segment, rows: Sequence[Row]) -> Iterator[Segment]:
    yield segment
    name = _letters(segment.norm)
    for row in rows:
        for other in row.segments:
            if other is not segment and _letters(other.norm) == name:
                yield other


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _lines_below(
    segment: Segment, rows: Sequence[Row], customer_area: set[int]
) -> Iterator[list[Segment]]:
    """Up to three lines under the name and across from it, stopping at contacts."""
    start = _row_index_of(segment, rows)
    if start is None:
        return

    bottom = segment.bbox[3]
    height = median(token.height for token in segment.tokens)
    following = rows[start + 1 : start + 1 + 2 * _ADDRESS_LINES]
    taken = 0
    for row in following:
        if row.page_number != rows[start].page_number:
            return
        if row.bbox[1] - bottom > 2.2 * max(height, row.height):
            return
        if not _has_segment_under(segment, row):
            # A row of another column, printed between two address lines.
            continue
        line = _address_parts(segment, row, customer_area)
        if not line:
            return
        yield line
        bottom = max(part.bbox[3] for part in line)
        taken += 1
        if taken == _ADDRESS_LINES:
            return


def _has_segment_under(segment: Segment, row: Row) -> bool:
    slack = 2 * row.height
    left, right = segment.bbox[0] - slack, segment.bbox[2] + slack
    return any(c.bbox[0] <= right and left <= c.bbox[2] for c in row.segments)


def _row_index_of(segment: Segment, rows: Sequence[Row]) -> int | None:
    for row in rows:
        if any(candidate is segment for candidate in row.segments):
            return row.index
    return None


def _address_parts(
    segment: Segment, row: Row, customer_area: set[int]
) -> list[Segment]:
    """Address segments of `row` under the name, with their neighbours.

    Letterheads set one address line in parts ("Street | City"), which OCR
    returns as separate segments of the row.
    """
    slack = 2 * row.height
    left, right = segment.bbox[0] - slack, segment.bbox[2] + slack
    parts: list[Segment] = []
    for candidate in row.segments:
        if id(candidate) in customer_area or not _address_like(candidate):
            if parts:
                break
            continue
        under = candidate.bbox[0] <= right and left <= candidate.bbox[2]
        near = bool(parts) and candidate.bbox[0] - parts[-1].bbox[2] <= 3 * slack
        if under or near:
            parts.append(candidate)
        elif parts:
            break
    return parts


def _address_like(segment: Segment) -> bool:
    norm = segment.norm
    if CONTACT.search(norm) or TITLE_WORDS.match(norm):
        return False
    if any(pattern.search(norm) for _, pattern in TAX_ID) or find_dates(norm):
        return False
    if TAX_ID_VALUE.search(norm) or starts_with_label(norm):
        return False
    return ":" not in norm and sum(ch.isalpha() for ch in norm) >= 3
