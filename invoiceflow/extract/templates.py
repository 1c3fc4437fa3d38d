"""Vendor templates in the invoice2data YAML format, applied to a document's OCR.

Templates live in ``invoiceflow/templates``, one YAML file per vendor, the file
name being the vendor key that classification reports. invoice2data loads
them, matches their keywords and runs their field parsers; this module feeds
it the page text row by row, turns its output into ``ExtractedInvoice`` fields
and finds the OCR words each value was read from.

Field names are invoice2data's own (``invoice_number``, ``date``, ``date_due``,
``amount``, ``amount_untaxed``, ``amount_tax``, ``vat``, ``currency``,
``lines``) plus ``customer_name``, ``payment_terms`` and ``purchase_order``.
Amounts may be left untyped: the captured text is then read with the
project's locale-aware parser, which copes with OCR's split and misread
digits where invoice2data's number parser would reject the whole template.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoice2data.extract.invoice_template import InvoiceTemplate
from invoice2data.extract.loader import read_templates

from invoiceflow.extract.fields import Context, Found, ocr_confidence
from invoiceflow.extract.layout import Row, Token
from invoiceflow.extract.parsing import find_dates, normalize, parse_amount
from invoiceflow.extract.template_checks import (
    FIELD_NAMES,
    compiled,
    patterns,
    template_problems,
)
from invoiceflow.models import LineItem

__all__ = [
    "COLUMN_GAP",
    "FIELD_NAMES",
    "TEMPLATE_DIR",
    "UNLOCATED_CONFIDENCE",
    "VENDOR_TEMPLATES",
    "TemplateResult",
    "VendorTemplate",
    "layout_text",
    "load_templates",
    "register_templates",
    "template_problems",
    "vendor_template",
]

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

_AMOUNT_FIELDS = {"amount", "amount_untaxed", "amount_tax"}
_DATE_FIELDS = {"date", "date_due"}
_COUNT_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "i": "1", "|": "1", "O": "0"})

UNLOCATED_CONFIDENCE = 0.75
"""Confidence of a template value whose words cannot be found on the page.

The template's pattern did match the text, so the value is printed there; only
the words could not be pinned down, as when the value was assembled from
several lines or when the template's own `replace` rewrote it (a logo OCR
misread, normalised to the vendor's name).
"""

# invoice2data warns about every field a document does not carry and logs an
# error when a required one is missing. Both are expected here: layout rules
# fill the gaps, and `VendorTemplate.apply` logs the fallback itself.
_EXPECTED_MISSES = (
    "Failed to parse field",
    "regexp for field",
    "Failed to find any",
    "Unable to match all required fields",
)
_LIBRARY_LOGGERS = (
    "invoice2data.extract.invoice_template",
    "invoice2data.extract.parsers.lines",
)

# Columns on one row are set apart by this, as `pdftotext -layout` does, so
# that a template can tell a label's value from the next column.
COLUMN_GAP = "   "


@dataclass(frozen=True)
class _Line:
    """One row of layout text with the character span of each of its words."""

    text: str
    spans: tuple[tuple[int, int, Token], ...]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        return [token for s, e, token in self.spans if s < end and start < e]


@dataclass(frozen=True)
class TemplateResult:
    """What a template read: fields by `ExtractedInvoice` name, and line items."""

    fields: dict[str, Found[Any]]
    items: list[LineItem]


class VendorTemplate:
    """One vendor's invoice2data template, keyed by its file name."""

    def __init__(self, key: str, spec: InvoiceTemplate) -> None:
        self.key = key
        self.spec = spec

    @property
    def issuer(self) -> str:
        return str(self.spec["issuer"])

    def matches(self, text: str) -> bool:
        """Whether every keyword, and no excluded one, is in `text`."""
        return bool(self.spec.matches_input(self.spec.prepare_input(text)))

    def vendor_patterns(self) -> list[str]:
        """One pattern over normalised text that hits when every keyword is there.

        invoice2data requires all keywords, where classification counts hits:
        lookaheads anchored at the start give exactly one hit when all appear.
        """
        wanted = "".join(
            f"(?=[\\s\\S]*?{_loose(keyword)})" for keyword in self.spec["keywords"]
        )
        unwanted = "".join(
            f"(?![\\s\\S]*?{_loose(keyword)})"
            for keyword in self.spec["exclude_keywords"]
        )
        return [f"^{wanted}{unwanted}"]

    def apply(self, context: Context, source: str) -> TemplateResult | None:
        """Fields read by the template, or None when it does not fit `context`."""
        lines = _layout_lines(context.rows)
        text = "\n".join(line.text for line in lines)
        if not self.matches(text):
            logger.warning(
                "%s: vendor %s recognised but its template keywords are missing; "
                "layout rules alone are used",
                source,
                self.key,
            )
            return None

        try:
            output = self.spec.extract(self.spec.prepare_input(text), source, None)
        except ValueError as exc:
            logger.warning(
                "%s: template %s matched but did not apply (%s); layout rules "
                "alone are used",
                source,
                self.key,
                exc,
            )
            return None

        result = _Reader(self, context, lines).read(output)
        logger.debug(
            "%s: template %s read %s and %d line item(s)",
            source,
            self.key,
            ", ".join(sorted(result.fields)) or "no fields",
            len(result.items),
        )
        return result


VENDOR_TEMPLATES: dict[str, VendorTemplate] = {}
"""Vendor key -> template; filled from TEMPLATE_DIR on import."""


def load_templates(folder: Path = TEMPLATE_DIR) -> dict[str, VendorTemplate]:
    """Every valid template in `folder`, by vendor key; invalid ones are skipped.

    A template that fails validation is logged with its problems and left
    out, as invoice2data does with a file it cannot parse.
    """
    try:
        specs = read_templates(str(folder))
    except AssertionError as exc:
        # invoice2data asserts on a malformed language code while loading.
        raise ValueError(
            f"Vendor templates in {folder} could not be read: {exc}"
        ) from exc

    templates: dict[str, VendorTemplate] = {}
    for spec in specs:
        name = str(spec["template_name"])
        problems = template_problems(Path(name).stem, spec)
        if problems:
            logger.warning(
                "Vendor template %s in %s left out: %s",
                name,
                folder,
                "; ".join(problems),
            )
            continue
        templates[Path(name).stem] = VendorTemplate(Path(name).stem, spec)
    return templates


def register_templates(folder: Path = TEMPLATE_DIR) -> list[str]:
    """Load the templates in `folder` for extraction; returns their vendor keys."""
    loaded = load_templates(folder)
    VENDOR_TEMPLATES.update(loaded)
    return sorted(loaded)


def vendor_template(key: str) -> VendorTemplate | None:
    """The template of vendor `key`, if it has one."""
    return VENDOR_TEMPLATES.get(key)


def layout_text(rows: Sequence[Row]) -> str:
    """The page text as templates read it: a line per row, columns apart."""
    return "\n".join(line.text for line in _layout_lines(rows))


def _loose(keyword: str) -> str:
    """A keyword as a pattern over normalised text, any spacing inside it."""
    words = normalize(keyword).split()
    return r"\s*".join(re.escape(word) for word in words)


def _layout_lines(rows: Sequence[Row]) -> list[_Line]:
    lines = []
    for row in rows:
        text, spans = "", []
        for segment in row.segments:
            if text:
                text += COLUMN_GAP
            for position, token in enumerate(segment.tokens):
                if position:
                    text += " "
                spans.append((len(text), len(text) + len(token.text), token))
                text += token.text
        lines.append(_Line(text, tuple(spans)))
    return lines


class _Reader:
    """Turns invoice2data's output into found fields with their OCR evidence."""

    def __init__(
        self, template: VendorTemplate, context: Context, lines: list[_Line]
    ) -> None:
        self.template = template
        self.context = context
        self.lines = lines
        separator = template.spec.get("options", {}).get("decimal_separator")
        # Without a stated separator the document's own amounts decide.
        self.decimal_comma = (
            context.decimal_comma if separator is None else separator == ","
        )

    def read(self, output: Mapping[str, Any]) -> TemplateResult:
        fields: dict[str, Found[Any]] = {}
        for name, target in FIELD_NAMES.items():
            if name == "currency" and not self._defines("currency"):
                # invoice2data always fills a currency, from its options or
                # EUR; only one the template reads or states is evidence.
                continue
            found = self._field(name, output.get(name))
            if found is not None:
                fields[target] = found
        return TemplateResult(fields, self._items(output.get("lines")))

    def _defines(self, name: str) -> bool:
        return name in self.template.spec["fields"] or (
            f"static_{name}" in self.template.spec["fields"]
        )

    def _field(self, name: str, value: Any) -> Found[Any] | None:
        if value is None or isinstance(value, list):
            # Several different matches: the template cannot tell which one.
            return None
        if name in _AMOUNT_FIELDS:
            return self._amount(name, value)
        if name in _DATE_FIELDS:
            return self._date(name, value)
        text = " ".join(str(value).split())
        if name == "currency":
            text = text.upper()
        if not text:
            return None
        return self._evidence(name, text, self._text_spans(text))

    def _amount(self, name: str, value: Any) -> Found[Decimal] | None:
        # A float, from a template that types its amounts, reads back as text.
        amount = parse_amount(str(value), self.decimal_comma)
        if amount is None:
            return None
        return self._evidence(name, amount, self._text_spans(str(value)))

    def _date(self, name: str, value: Any) -> Found[date] | None:
        if isinstance(value, datetime):
            value = value.date()
        elif not isinstance(value, date):
            parsed = find_dates(str(value), self.context.day_first)
            if not parsed:
                return None
            value = parsed[0].value
        return self._evidence(name, value, self._date_spans(value))

    def _evidence(
        self, name: str, value: Any, candidates: list[tuple[_Line, list[Token]]]
    ) -> Found[Any]:
        """The value with the words it was read from, on the row its label is on."""
        if not candidates:
            return Found(value, UNLOCATED_CONFIDENCE)
        regexes = [compiled(p) for p in self._regexes(name)]
        labelled = [
            tokens
            for line, tokens in candidates
            if any(regex.search(line.text) for regex in regexes)
        ]
        tokens = labelled[0] if labelled else candidates[0][1]
        return Found(value, ocr_confidence(tokens), tokens)

    def _regexes(self, name: str) -> list[str]:
        setting = self.template.spec["fields"].get(name)
        if isinstance(setting, Mapping):
            setting = setting.get("regex")
        return [p for p in patterns(setting) if isinstance(p, str)]

    def _text_spans(self, text: str) -> list[tuple[_Line, list[Token]]]:
        characters = [re.escape(ch) for ch in text if not ch.isspace()]
        pattern = re.compile(r"\s*".join(characters), re.IGNORECASE)
        return self._spans(
            lambda line: ((m.start(), m.end()) for m in pattern.finditer(line.text))
        )

    def _date_spans(self, value: date) -> list[tuple[_Line, list[Token]]]:
        def spans(line: _Line) -> Iterable[tuple[int, int]]:
            for match in find_dates(line.text, self.context.day_first):
                if match.value == value:
                    yield match.start, match.end

        return self._spans(spans)

    def _spans(
        self, find: Callable[[_Line], Iterable[tuple[int, int]]]
    ) -> list[tuple[_Line, list[Token]]]:
        found = []
        for line in self.lines:
            for start, end in find(line):
                tokens = line.tokens_between(start, end)
                if tokens:
                    found.append((line, tokens))
        return found

    def _items(self, rows: Any) -> list[LineItem]:
        if not isinstance(rows, list):
            return []
        items = [self._item(row) for row in rows if isinstance(row, Mapping)]
        return [item for item in items if item is not None]

    def _item(self, row: Mapping[str, Any]) -> LineItem | None:
        description = " ".join(
            str(row.get("name") or row.get("description") or "").split()
        )
        quantity = self._number(_digits(row.get("qty")))
        amount = self._number(row.get("price_subtotal"))
        unit_price = self._number(row.get("price_unit"))
        if not description or amount is None:
            return None
        if unit_price is None and quantity == 1:
            unit_price = amount
        return LineItem(
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
        )

    def _number(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        return parse_amount(str(value).strip(), self.decimal_comma)


class _WithoutExpectedMisses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_EXPECTED_MISSES)


def _digits(value: Any) -> Any:
    """A short count with OCR's letter lookalikes read as the digits they are."""
    if not isinstance(value, str):
        return value
    return value.translate(_COUNT_LOOKALIKES)


for _name in _LIBRARY_LOGGERS:
    logging.getLogger(_name).addFilter(_WithoutExpectedMisses())
register_templates()
