"""Page geometry for rules: OCR words grouped into rows and phrases, labels found."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from statistics import median

from invoiceflow.extract.parsing import normalize
from invoiceflow.models import BBox, OcrDocument, OcrPage, OcrWord

__all__ = [
    "LabelHit",
    "Row",
    "Segment",
    "Token",
    "document_rows",
    "find_labels",
    "page_rows",
    "union_box",
]

# Word spaces are about a third of the text height; a gap wider than the text
# is tall separates a label from its value or one column from the next.
_SEGMENT_GAP_HEIGHTS = 1.1
_SEGMENT_GAP_CHARS = 2.0
_RULE_TEXT = re.compile(r"[|_\u2014\u2013]+")
_PUNCTUATION = re.compile(r"[\W_]+")
_BELOW_MAX_ROWS = 3


@dataclass(frozen=True)
class Token:
    """One OCR word with its normalised spelling and 0-1 confidence."""

    text: str
    norm: str
    confidence: float
    bbox: BBox
    page_number: int

    @property
    def height(self) -> int:
        return self.bbox[3] - self.bbox[1]


def union_box(tokens: Iterable[Token]) -> BBox:
    boxes = [token.bbox for token in tokens]
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


@dataclass
class Segment:
    """Words of one row that belong together: a phrase, a label, a cell."""

    tokens: list[Token]

    @cached_property
    def norm(self) -> str:
        return " ".join(token.norm for token in self.tokens)

    @cached_property
    def text(self) -> str:
        return " ".join(token.text for token in self.tokens)

    @cached_property
    def bbox(self) -> BBox:
        return union_box(self.tokens)

    @cached_property
    def offsets(self) -> list[int]:
        """Start of each token in `norm`."""
        return _norm_offsets(self.tokens)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens overlapping the character span [start, end) of `norm`."""
        return [
            token
            for token, offset in zip(self.tokens, self.offsets, strict=True)
            if offset < end and start < offset + len(token.norm)
        ]

    def tokens_from(self, position: int) -> list[Token]:
        """Tokens starting at or after character `position` of `norm`."""
        return [
            token
            for token, offset in zip(self.tokens, self.offsets, strict=True)
            if offset >= position
        ]


def _norm_offsets(tokens: Sequence[Token]) -> list[int]:
    """Where each token starts in the space-joined normalised text."""
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token.norm) + 1
    return starts


@dataclass
class Row:
    """A visual line of a page: every segment whose words share a baseline band."""

    page_number: int
    index: int
    segments: list[Segment]
    page_height: int = 0
    page_width: int = 0
    labels: set[str] = field(default_factory=set)

    @cached_property
    def tokens(self) -> list[Token]:
        return [token for segment in self.segments for token in segment.tokens]

    @cached_property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    @cached_property
    def norm(self) -> str:
        return " ".join(segment.norm for segment in self.segments)

    @cached_property
    def bbox(self) -> BBox:
        return union_box(self.tokens)

    @cached_property
    def offsets(self) -> list[int]:
        """Start of each token in `norm`."""
        return _norm_offsets(self.tokens)

    @cached_property
    def height(self) -> float:
        return float(median(token.height for token in self.tokens))


@dataclass(frozen=True)
class LabelHit:
    """Where a label pattern matched: its row, segment and the text after it."""

    row: Row
    segment: Segment
    label_tokens: list[Token]
    end: int
    name: str
    tail: Token | None = None

    @property
    def bbox(self) -> BBox:
        return union_box(self.label_tokens)

    def rest(self) -> list[Token]:
        """Tokens after the label in its own segment.

        A value glued to its label ("No.:A-17") starts inside the label's last
        word; that part comes first, as a word of its own.
        """
        after = [
            token
            for token in self.segment.tokens_from(self.end)
            if token not in self.label_tokens
        ]
        return [self.tail, *after] if self.tail is not None else after


def document_rows(document: OcrDocument) -> list[Row]:
    """All rows of all pages, in reading order."""
    rows: list[Row] = []
    for page in document.pages:
        rows.extend(page_rows(page, first_index=len(rows)))
    return rows


def page_rows(page: OcrPage, first_index: int = 0) -> list[Row]:
    """Group a page's words into rows, and each row into segments."""
    lines = _ocr_lines(page)
    grouped = _group_into_rows(lines)

    rows: list[Row] = []
    for row_words in grouped:
        tokens = [_token(word, page.page_number) for word in row_words]
        segments = _split_segments(tokens)
        if not segments:
            continue
        rows.append(
            Row(
                page_number=page.page_number,
                index=first_index + len(rows),
                segments=segments,
                page_height=page.height,
                page_width=page.width,
            )
        )
    return rows


def _token(word: OcrWord, page_number: int) -> Token:
    # A table's vertical rule often fuses with the first or last letter.
    text = word.text.strip('|\u201c\u201d\u2018"') or word.text
    return Token(
        text=text,
        norm=normalize(text),
        confidence=word.confidence / 100,
        bbox=word.bbox,
        page_number=page_number,
    )


def _ocr_lines(page: OcrPage) -> list[list[OcrWord]]:
    lines: dict[tuple[int, int], list[OcrWord]] = {}
    for word in page.words:
        lines.setdefault((word.block_number, word.line_number), []).append(word)
    return list(lines.values())


def _group_into_rows(lines: list[list[OcrWord]]) -> list[list[OcrWord]]:
    """Merge OCR lines whose vertical centres fall inside each other's band."""
    bands = sorted(
        (
            (min(w.bbox[1] for w in line), max(w.bbox[3] for w in line), line)
            for line in lines
        ),
        key=lambda band: (band[0], band[1]),
    )
    rows: list[tuple[int, int, list[OcrWord]]] = []
    for top, bottom, line in bands:
        centre = (top + bottom) / 2
        for position in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            row_top, row_bottom, words = rows[position]
            row_centre = (row_top + row_bottom) / 2
            if row_top <= centre <= row_bottom and top <= row_centre <= bottom:
                rows[position] = (min(top, row_top), max(bottom, row_bottom), words)
                words.extend(line)
                break
        else:
            rows.append((top, bottom, list(line)))

    rows.sort(key=lambda row: (row[0] + row[1]) / 2)
    return [sorted(words, key=lambda w: w.bbox[0]) for _, _, words in rows]


def _split_segments(tokens: list[Token]) -> list[Segment]:
    tokens = _without_noise(tokens)
    if not tokens:
        return []

    gap_limit = _segment_gap(tokens)
    segments = [Segment([tokens[0]])]
    for previous, token in zip(tokens, tokens[1:], strict=False):
        if token.bbox[0] - previous.bbox[2] > gap_limit:
            segments.append(Segment([token]))
        else:
            segments[-1].tokens.append(token)
    return segments


def _segment_gap(tokens: list[Token]) -> float:
    """Widest gap still inside a phrase: a few spaces, judged by text size.

    Monospaced receipts space words a full character apart, wider than the
    text is tall at low resolution, so character width counts as well.
    """
    height = median(token.height for token in tokens)
    char_width = (
        median(
            (token.bbox[2] - token.bbox[0]) / len(token.text)
            for token in tokens
            if len(token.text) >= 3
        )
        if any(len(token.text) >= 3 for token in tokens)
        else 0.0
    )
    return max(_SEGMENT_GAP_HEIGHTS * height, _SEGMENT_GAP_CHARS * char_width)


def _without_noise(tokens: list[Token]) -> list[Token]:
    """Drop table rules and specks that OCR reads as "|", "_" or a dot."""
    if not tokens:
        return tokens
    height = median(token.height for token in tokens)
    kept = []
    for token in tokens:
        if _RULE_TEXT.fullmatch(token.text):
            continue
        width = token.bbox[2] - token.bbox[0]
        speck = token.height < 0.5 * height and width < 0.25 * height
        if _PUNCTUATION.fullmatch(token.text) and speck:
            continue
        kept.append(token)
    return kept


def find_labels(
    rows: Sequence[Row], patterns: Sequence[tuple[str, re.Pattern[str]]]
) -> Iterator[LabelHit]:
    """Every match of the named label patterns, row by row, left to right.

    Patterns run over the whole row, so a label that OCR spaced into two
    segments ("Base   Imponible") is still found; the value search then
    starts in the segment holding the label's last word.
    """
    for row in rows:
        matches = [
            (match.start(), match.end(), priority, name)
            for priority, (name, pattern) in enumerate(patterns)
            for match in pattern.finditer(row.norm)
            if match.end() > match.start()
        ]
        # The longest label wins an overlap ("pedido #" over "#"), then the
        # earlier pattern, which the caller lists strongest first.
        matches.sort(key=lambda item: (item[0] - item[1], item[2]))
        taken: list[tuple[int, int]] = []
        hits: list[tuple[int, LabelHit]] = []
        for start, end, _, name in matches:
            if any(s < end and start < e for s, e in taken):
                continue
            hit = _hit(row, name, start, end)
            if hit is not None:
                taken.append((start, end))
                hits.append((start, hit))
        yield from (hit for _, hit in sorted(hits, key=lambda item: item[0]))


def _hit(row: Row, name: str, start: int, end: int) -> LabelHit | None:
    spans = [
        (token, offset)
        for token, offset in zip(row.tokens, row.offsets, strict=True)
        if offset < end and start < offset + len(token.norm)
    ]
    if not spans:
        return None

    label_tokens = [token for token, _ in spans]
    last, last_offset = spans[-1]
    segment = next(s for s in row.segments if last in s.tokens)
    segment_start = row.offsets[row.tokens.index(segment.tokens[0])]
    # Only a label that ends in a delimiter can have its value glued to it.
    glued = row.norm[end - 1] in ":#."
    tail = _tail(last, end - last_offset) if glued else None
    return LabelHit(row, segment, label_tokens, end - segment_start, name, tail)


def _tail(token: Token, cut: int) -> Token | None:
    """The part of `token` after character `cut`, if it holds a letter or digit."""
    rest = token.text[cut:].strip()
    if cut >= len(token.norm) or not any(ch.isalnum() for ch in rest):
        return None
    left, top, right, bottom = token.bbox
    split = left + (right - left) * cut // max(1, len(token.text))
    return Token(
        rest,
        normalize(rest),
        token.confidence,
        (split, top, right, bottom),
        token.page_number,
    )


def segment_right_of(hit: LabelHit) -> Segment | None:
    """The next segment to the right of the label's segment on the same row."""
    segments = hit.row.segments
    position = segments.index(hit.segment)
    if position + 1 < len(segments):
        return segments[position + 1]
    return None


def segments_below(hit: LabelHit, rows: Sequence[Row]) -> Iterator[Segment]:
    """Segments under the label, nearest first: same column, a few rows down."""
    left, _, right, bottom = hit.bbox
    label_height = max(1, hit.row.height)
    for row in rows[hit.row.index + 1 : hit.row.index + 1 + _BELOW_MAX_ROWS]:
        if row.page_number != hit.row.page_number:
            return
        if row.bbox[1] - bottom > 4 * label_height:
            return
        for segment in row.segments:
            seg_left, _, seg_right, _ = segment.bbox
            if _overlaps(left, right, seg_left, seg_right, slack=label_height):
                yield segment


def _overlaps(
    a_left: int, a_right: int, b_left: int, b_right: int, slack: float
) -> bool:
    return b_left <= a_right + slack and a_left - slack <= b_right
