"""Issuer name, address and tax id, and the customer: who bills whom."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from statistics import median

from invoiceflow.extract.addresses import find_issuer_address
from invoiceflow.extract.fields import (
    Context,
    Found,
    ocr_confidence,
    value_sources,
)
from invoiceflow.extract.labels import (
    AMOUNT_ROW_WORDS,
    CONTACT,
    CUSTOMER,
    DATE_DUE,
    DATE_INVOICE,
    ISSUER,
    TAX_ID,
    TAX_ID_VALUE,
    TITLE_WORDS,
)
from invoiceflow.extract.layout import LabelHit, Row, Segment, Token, find_labels
from invoiceflow.extract.parsing import find_dates, normalize

__all__ = ["Parties", "find_parties"]

_COMPANY_SUFFIX = re.compile(
    r"\b(?:inc|llc|ltd|limited|corp|corporation|co|company|gmbh|plc|pty|llp|"
    r"ltda|eireli|epp|me|srl|sas|s\.?\s?a\.?(?:\s+de\s+c\.?\s?v\.?)?|s\.?\s?l\.?|"
    r"s\.?\s?r\.?\s?l\.?|sociedad|comercio|servicos|servicios|industria|group|"
    r"grupo|studio|consulting|solutions|enterprises|holdings|partners)\b\.?"
)
# A value that starts like one of these is the next label, not a name.
_OTHER_LABELS = [
    pattern for _, pattern in (*CUSTOMER, *ISSUER, *TAX_ID, *DATE_DUE, *DATE_INVOICE)
]
_ABBREVIATION_END = re.compile(
    r"\b(?:co|inc|ltd|ltda|corp|jr|sr|s\.a|s\.l|c\.v|s\.a\.s|me|epp|no|av|st)\.$"
)
_ISSUER_ZONE = 0.35
_CUSTOMER_ROWS = 5


@dataclass(frozen=True)
class Parties:
    issuer_name: Found[str] | None
    issuer_address: Found[str] | None
    issuer_tax_id: Found[str] | None
    customer_name: Found[str] | None


def find_parties(context: Context, vendor_name: str | None = None) -> Parties:
    """Who issued the document and to whom, by labels first, then by layout."""
    customer_hits = list(find_labels(context.rows, CUSTOMER))
    customer_area = _customer_area(customer_hits, context.rows)
    customer = _customer_name(customer_hits, context)

    issuer, issuer_segment = _issuer_name(context, customer_area)
    if issuer is None and vendor_name:
        issuer = Found(vendor_name, 0.5)

    address = None
    if issuer_segment is not None:
        blocked = customer_area | {
            id(segment)
            for row in context.rows
            if row.index in context.excluded_rows
            for segment in row.segments
        }
        address = find_issuer_address(issuer_segment, context.rows, blocked)
    tax_id = _issuer_tax_id(context, customer_area)
    return Parties(issuer, address, tax_id, customer)


def _customer_area(hits: Sequence[LabelHit], rows: Sequence[Row]) -> set[int]:
    """Segments (by id) in the customer block: its label and the lines under it."""
    area: set[int] = set()
    for hit in hits:
        area.add(id(hit.segment))
        left, right = hit.segment.bbox[0], hit.segment.bbox[2]
        slack = hit.row.height * 2
        for row in rows[hit.row.index + 1 : hit.row.index + 1 + _CUSTOMER_ROWS]:
            if row.page_number != hit.row.page_number:
                break
            for segment in row.segments:
                if segment.bbox[0] <= right + slack and left - slack <= segment.bbox[2]:
                    area.add(id(segment))
    return area


def _customer_name(hits: Sequence[LabelHit], context: Context) -> Found[str] | None:
    for name in ("bill_to", "ship_to"):
        for hit in hits:
            if hit.name != name:
                continue
            value = _name_near(hit, context.rows)
            if value is not None:
                weight = 0.9 if name == "bill_to" else 0.6
                text, tokens, placement = value
                return Found(text, weight * placement * ocr_confidence(tokens), tokens)
    return None


def _name_near(
    hit: LabelHit, rows: Sequence[Row]
) -> tuple[str, list[Token], float] | None:
    for tokens, placement in value_sources(hit, rows):
        tokens = _strip_leading_label(tokens)
        text = clean_name(" ".join(token.text for token in tokens))
        if _is_name(text):
            return text, tokens, placement
    return None


def _strip_leading_label(tokens: list[Token]) -> list[Token]:
    """Drop a "Name:" or "Razón social:" left in front of a value."""
    for position, token in enumerate(tokens[:3]):
        if token.text.endswith(":") and position + 1 < len(tokens):
            return tokens[position + 1 :]
    return tokens


def clean_name(text: str) -> str:
    """A name without specks OCR read around it; "Co." keeps its period."""
    text = text.strip(" :,;-_|*'\"`~")
    text = re.sub(r"^[^\w(¿¡]+", "", text)
    if text.endswith(".") and not _ABBREVIATION_END.search(normalize(text)):
        text = text.rstrip(".")
    return text


def _is_name(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2 or letters < len(text) / 3:
        return False
    normalized = normalize(text)
    if TITLE_WORDS.match(normalized) or CONTACT.search(normalized):
        return False
    return not any(pattern.match(normalized) for pattern in _OTHER_LABELS)


def _issuer_name(
    context: Context, customer_area: set[int]
) -> tuple[Found[str] | None, Segment | None]:
    for hit in find_labels(context.rows, ISSUER):
        if id(hit.segment) in customer_area or hit.row.index in context.excluded_rows:
            continue
        value = _name_near(hit, context.rows)
        if value is not None:
            text, tokens, placement = value
            found = Found(text, 0.85 * placement * ocr_confidence(tokens), tokens)
            return found, _segment_of(tokens, hit.row, context.rows)

    return _issuer_from_header(context, customer_area)


def _segment_of(tokens: list[Token], row: Row, rows: Sequence[Row]) -> Segment | None:
    for candidate in rows[row.index : row.index + 4]:
        for segment in candidate.segments:
            if tokens[0] in segment.tokens:
                return segment
    return None


def _issuer_from_header(
    context: Context, customer_area: set[int]
) -> tuple[Found[str] | None, Segment | None]:
    """The most prominent name at the top of the first page.

    Letterheads print the issuer largest, first, and often with a company
    suffix; titles, labels, dates, contacts and the customer block are skipped.
    """
    first_page = [row for row in context.rows if row.page_number == 1]
    if not first_page:
        return None, None
    typical_height = median(token.height for row in first_page for token in row.tokens)
    zone = first_page[0].page_height * _ISSUER_ZONE

    best: tuple[float, Segment] | None = None
    for row in first_page:
        if row.bbox[1] > zone and best is not None:
            break
        for segment in _untitled_segments(row):
            if id(segment) in customer_area:
                continue
            candidate = _without_title(segment)
            score = _issuer_score(candidate, typical_height, zone)
            if score > 0 and (best is None or score > best[0]):
                best = (score, candidate)

    if best is None:
        return None, None
    segment = best[1]
    text = clean_name(segment.text)
    confidence = min(0.85, 0.35 + best[0] / 4) * ocr_confidence(segment.tokens)
    return Found(text, confidence, segment.tokens), segment


def _untitled_segments(row: Row) -> Iterator[Segment]:
    """The row's segments without a title that opens the row across segments."""
    match = TITLE_WORDS.match(row.norm)
    if match is None:
        yield from row.segments
        return
    title = {
        id(token)
        for token, offset in zip(row.tokens, row.offsets, strict=True)
        if offset < match.end()
    }
    for segment in row.segments:
        rest = [token for token in segment.tokens if id(token) not in title]
        if len(rest) == len(segment.tokens):
            yield segment
        elif rest:
            yield Segment(rest)


def _without_title(segment: Segment) -> Segment:
    """The segment without a document title OCR ran into the name beside it."""
    match = TITLE_WORDS.match(segment.norm)
    if match is None:
        return segment
    rest = segment.tokens_from(match.end() + 1)
    return Segment(rest) if rest else segment


def _issuer_score(segment: Segment, typical_height: float, zone: float) -> float:
    if not _plain_name(segment):
        return 0.0

    height = median(token.height for token in segment.tokens)
    position = 1.0 - 0.4 * min(1.0, segment.bbox[1] / max(zone, 1))
    score = (height / max(typical_height, 1)) * position
    if _COMPANY_SUFFIX.search(segment.norm):
        score *= 1.4
    return score * ocr_confidence(segment.tokens)


def _plain_name(segment: Segment) -> bool:
    """Whether a segment could be a name: words, no label, title, date or sum."""
    norm = segment.norm
    # OCR sometimes spaces a large title apart: "Fac tura".
    if TITLE_WORDS.match(norm) or TITLE_WORDS.match(re.sub(r"\s+", "", norm)):
        return False
    if ":" in norm or CONTACT.search(norm):
        return False
    if find_dates(norm) or TAX_ID_VALUE.search(norm):
        return False
    if AMOUNT_ROW_WORDS.search(norm) and any(ch.isdigit() for ch in norm):
        return False
    letters = sum(ch.isalpha() for ch in norm)
    digits = sum(ch.isdigit() for ch in norm)
    return letters >= 3 and digits <= letters / 3


def _issuer_tax_id(context: Context, customer_area: set[int]) -> Found[str] | None:
    """The first tax id outside the customer block, labelled or by its shape."""
    for hit in find_labels(context.rows, TAX_ID):
        if id(hit.segment) in customer_area:
            continue
        for tokens, placement in value_sources(hit, context.rows):
            value = _tax_id_tokens(tokens)
            if value:
                text = "".join(token.text for token in value).strip(".,;:")
                return Found(text, 0.9 * placement * ocr_confidence(value), value)

    for row in context.rows:
        for segment in row.segments:
            if id(segment) in customer_area:
                continue
            match = TAX_ID_VALUE.search(segment.norm)
            if match is not None:
                tokens = segment.tokens_between(match.start(), match.end())
                text = "".join(token.text for token in tokens).strip(".,;:")
                return Found(text, 0.5 * ocr_confidence(tokens), tokens)
    return None


def _tax_id_tokens(tokens: Sequence[Token]) -> list[Token]:
    for position, token in enumerate(tokens[:3]):
        digits = sum(ch.isdigit() for ch in token.text)
        if digits >= 3 and sum(ch.isalnum() for ch in token.text) >= 5:
            return list(tokens[position : position + 1])
        if token.text.strip(":#.") and digits == 0 and len(token.norm) > 3:
            return []
    return []
