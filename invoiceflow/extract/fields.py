"""What every rule shares: the document context, a found value and value readers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from invoiceflow.extract.layout import (
    LabelHit,
    Row,
    Segment,
    Token,
    segment_right_of,
    segments_below,
    union_box,
)
from invoiceflow.extract.parsing import parse_amount
from invoiceflow.models import FieldEvidence

__all__ = [
    "Context",
    "Found",
    "amount_tokens",
    "id_value",
    "looks_like_id",
    "value_sources",
]

T = TypeVar("T")

# How much a value's position next to its label is worth.
SAME_SEGMENT = 1.0
RIGHT = 0.95
BELOW = 0.85

_ID_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]$")
_ID_PREFIX = re.compile(r"^[A-Z]{1,4}$")
_QUANTITY = re.compile(r"^\d{1,3}x$|^x\d{1,3}$", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
_FILLER = re.compile(
    r"^(?:[:#.\-/]+|no\.?|n\.?o?|nr\.?|number|numero|num\.?|de|da|do)$"
)


@dataclass
class Context:
    """The document as rules see it, with its locale conventions decided once."""

    rows: list[Row]
    decimal_comma: bool | None
    day_first: bool | None
    language: str
    currency: str | None
    vendor: str = "unknown"
    excluded_rows: set[int] = field(default_factory=set)

    def amount(self, text: str) -> Decimal | None:
        return parse_amount(text, self.decimal_comma)


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value read for a field, the words it came from and how sure the rule is."""

    value: T
    confidence: float
    tokens: Sequence[Token] = ()

    def evidence(self) -> FieldEvidence:
        if not self.tokens:
            return FieldEvidence(confidence=round(self.confidence, 3))
        return FieldEvidence(
            confidence=round(min(1.0, max(0.0, self.confidence)), 3),
            page_number=self.tokens[0].page_number,
            bbox=union_box(self.tokens),
        )


def ocr_confidence(tokens: Iterable[Token]) -> float:
    values = [token.confidence for token in tokens]
    return sum(values) / len(values) if values else 0.0


def value_sources(
    hit: LabelHit, rows: Sequence[Row], below: int = 3
) -> Iterator[tuple[list[Token], float]]:
    """Where a label's value may be, best placement first, with its weight.

    Below the label only when the label ends its phrase, as a header cell
    does; `below` limits how many segments down are tried.
    """
    rest = hit.rest()
    if rest:
        yield rest, SAME_SEGMENT

    right = segment_right_of(hit)
    if right is not None:
        yield right.tokens, RIGHT

    if rest:
        return
    for count, segment in enumerate(segments_below(hit, rows)):
        if count >= below:
            return
        yield segment.tokens, BELOW


def looks_like_id(text: str) -> bool:
    """Whether a word reads as a document number: has digits, not a date or sum."""
    value = clean_id(text)
    if not value or not any(ch.isdigit() for ch in value):
        return False
    if _DATE_LIKE.match(value) or value.endswith("%") or _QUANTITY.match(value):
        return False
    return bool(_ID_CHARS.match(value))


def id_value(tokens: Sequence[Token], max_tokens: int = 3) -> list[Token]:
    """The document-number word at the start of `tokens`, past label leftovers.

    A short capital prefix set apart from the number ("PC 2248/2025") is
    part of it.
    """
    for position, token in enumerate(tokens[:max_tokens]):
        if _FILLER.match(token.norm):
            continue
        if looks_like_id(token.text):
            return [token]
        following = tokens[position + 1 : position + 2]
        prefixed = bool(following) and _ID_PREFIX.match(token.text) is not None
        if prefixed and looks_like_id(following[0].text):
            return [token, following[0]]
        return []
    return []


def id_text(tokens: Sequence[Token]) -> str:
    return " ".join(clean_id(token.text) for token in tokens)


def clean_id(text: str) -> str:
    """The number without the "#", colon or misread symbols stuck to its ends."""
    return re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", text)


def amount_tokens(
    tokens: Sequence[Token], context: Context
) -> Iterator[tuple[Decimal, list[Token]]]:
    """Amounts in a run of words, joining a currency sign or split thousands."""
    position = 0
    while position < len(tokens):
        token = tokens[position]
        joined = _joined_amount(tokens, position, context)
        if joined is not None:
            yield joined
            position += len(joined[1])
            continue

        if not token.text.endswith("%"):
            value = context.amount(token.text.strip(":"))
            if value is not None:
                yield value, [token]
        position += 1


def _joined_amount(
    tokens: Sequence[Token], position: int, context: Context
) -> tuple[Decimal, list[Token]] | None:
    """An amount OCR split in two: "1 234,56" or "1.234, 56"."""
    if position + 1 >= len(tokens):
        return None
    first, second = tokens[position], tokens[position + 1]
    gap = second.bbox[0] - first.bbox[2]
    if gap > 0.6 * max(first.height, 1):
        return None
    if not re.fullmatch(r"\d{1,3}[.,]?", first.text):
        return None
    if not re.fullmatch(r"\d{3}[.,]\d{2}", second.text):
        return None
    value = context.amount(first.text.rstrip(".,") + second.text)
    return (value, [first, second]) if value is not None else None


def has_decimals(tokens: Sequence[Token]) -> bool:
    return any(re.search(r"\d[.,]\d{2}\b", token.text) for token in tokens)


def segment_has_letters(segment: Segment) -> bool:
    return sum(ch.isalpha() for ch in segment.text) >= 2
