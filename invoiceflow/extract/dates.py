"""Invoice and due dates: every date on the page, judged by the label beside it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from invoiceflow.extract.fields import Context, Found, ocr_confidence
from invoiceflow.extract.labels import DATE_DUE, DATE_INVOICE, DATE_OTHER
from invoiceflow.extract.layout import Row, Segment, Token
from invoiceflow.extract.parsing import find_dates

__all__ = ["DatedText", "document_day_first", "find_dates_in", "pick_dates"]

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_LABEL_WEIGHTS = {"invoice_date": 1.0, "date": 0.85, "none": 0.45, "other": 0.15}
_AMBIGUOUS_FACTOR = 0.9
_ONLY_DATE_WEIGHT = 0.8


@dataclass(frozen=True)
class DatedText:
    """A date on the page and what its label says it is."""

    value: date
    kind: str
    tokens: list[Token]
    row_index: int
    ambiguous: bool


def document_day_first(rows: Sequence[Row]) -> bool | None:
    """Whether the document's own unambiguous dates put the day first."""
    day_first = month_first = 0
    for row in rows:
        for first, second, _ in _NUMERIC_DATE.findall(row.norm):
            if int(first) > 12 >= int(second):
                day_first += 1
            elif int(second) > 12 >= int(first):
                month_first += 1

    if day_first == month_first:
        return None
    return day_first > month_first


def find_dates_in(context: Context) -> list[DatedText]:
    """Every date in the document with the kind of label it sits next to."""
    found: list[DatedText] = []
    for row in context.rows:
        if row.index in context.excluded_rows:
            continue
        for segment in row.segments:
            found.extend(_segment_dates(row, segment, context))
    return found


def _segment_dates(row: Row, segment: Segment, context: Context) -> Iterator[DatedText]:
    previous_end = 0
    for match in find_dates(segment.norm, context.day_first):
        label_text = segment.norm[previous_end : match.start]
        previous_end = match.end
        kind = _label_kind(label_text)
        if kind == "none":
            kind = _label_kind(_label_beside(row, segment, context.rows))

        tokens = segment.tokens_between(match.start, match.end)
        ambiguous = match.ambiguous and context.day_first is None
        yield DatedText(match.value, kind, tokens, row.index, ambiguous)


def _label_kind(text: str) -> str:
    if not any(ch.isalpha() for ch in text):
        return "none"
    if any(pattern.search(text) for _, pattern in DATE_DUE):
        return "due"
    for name, pattern in DATE_INVOICE:
        if pattern.search(text) and (name == "invoice_date" or not _other(text)):
            return name
    return "other" if _other(text) else "none"


def _other(text: str) -> bool:
    return DATE_OTHER.search(text) is not None


def _label_beside(row: Row, segment: Segment, rows: Sequence[Row]) -> str:
    """A label left of the date on its row, or a header cell just above it."""
    position = row.segments.index(segment)
    if position > 0 and _label_like(row.segments[position - 1]):
        return row.segments[position - 1].norm

    if row.index == 0:
        return ""
    above = rows[row.index - 1]
    if above.page_number != row.page_number:
        return ""
    if segment.bbox[1] - above.bbox[3] > 2.5 * row.height:
        return ""
    left, right = segment.bbox[0], segment.bbox[2]
    for candidate in above.segments:
        overlaps = candidate.bbox[0] <= right and left <= candidate.bbox[2]
        if overlaps and _label_like(candidate):
            return candidate.norm
    return ""


def _label_like(segment: Segment) -> bool:
    """Words only: a segment carrying its own value labels nothing else."""
    digits = sum(ch.isdigit() for ch in segment.norm)
    return digits == 0 and any(ch.isalpha() for ch in segment.norm)


def pick_dates(
    dates: Sequence[DatedText],
) -> tuple[Found[date] | None, Found[date] | None]:
    """The invoice date and the due date among the labelled dates."""
    due_candidates = [item for item in dates if item.kind == "due"]
    due = _found(due_candidates[0], 0.95) if due_candidates else None

    issued = [item for item in dates if item.kind != "due"]
    if not issued:
        return None, due
    best = max(
        issued,
        key=lambda item: (_LABEL_WEIGHTS[item.kind], -item.row_index),
    )
    weight = _LABEL_WEIGHTS[best.kind]
    if len({item.value for item in dates}) == 1 and best.kind in ("none", "other"):
        # The only date a receipt prints is its date, label or not.
        weight = _ONLY_DATE_WEIGHT
    invoice_date = _found(best, weight)

    if due is not None and due.value < invoice_date.value:
        due = Found(due.value, due.confidence * 0.5, due.tokens)
    return invoice_date, due


def _found(item: DatedText, weight: float) -> Found[date]:
    if item.ambiguous:
        weight *= _AMBIGUOUS_FACTOR
    return Found(item.value, weight * ocr_confidence(item.tokens), item.tokens)
