"""Line items: table columns found from a header row and read by alignment."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from invoiceflow.extract.fields import Context, amount_tokens, has_decimals
from invoiceflow.extract.labels import AMOUNT_ROW_WORDS, SUBTOTAL, TOTAL
from invoiceflow.extract.layout import Row, Token
from invoiceflow.extract.parsing import find_dates
from invoiceflow.models import LineItem

__all__ = ["Table", "find_tables", "headerless_items"]

# Patterns per column kind, tried in this order so that "valor unitario" is a
# unit price before "valor" can make it an amount.
_COLUMN_PATTERNS = (
    (
        "code",
        r"\b(?:code|codigo|cod|sku|ref|part\s*(?:no|#)|item\s*(?:no|#)|clave)\b\.?",
    ),
    (
        "unit_price",
        r"\b(?:unit\s*price|unit\s*cost|price|rate|precio(?:\s+unit\w*)?|"
        r"p\.?\s?unit\w*\.?|valor\s+unit\w*|vl\.?\s*unit\w*|vlr\.?\s*unit\w*|"
        r"v\.?\s*unit\w*\.?|preco(?:\s+unit\w*)?|unitario|each|unit)\b\.?",
    ),
    (
        "quantity",
        r"\b(?:qty|qtty|quantity|cant[a-z]*|qtd|qtde|quant[a-z]*|units|"
        r"unid|uds|hrs|hours|horas|pcs)\b\.?",
    ),
    (
        "description",
        r"\b(?:descri[a-z]*|items?|products?|productos?|"
        r"produtos?|conceptos?|servicios?|servicos?|detalle|details?|articulos?|"
        r"particulars|discriminacao|mercadorias?)\b",
    ),
    (
        "amount",
        r"\b(?:amount|line\s+total|total|importe|valor(?:\s+total)?|vl\.?\s*total|"
        r"subtotal|monto|ext\w*(?:\s+price)?)\b",
    ),
)
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _COLUMN_PATTERNS]
_NUMERIC_KINDS = ("quantity", "unit_price", "amount")
_CENT = Decimal("0.01")
_QUANTITY_PREFIX = re.compile(r"^(?:x?(\d{1,3})x?|(\d{1,3})\s*x)$")
_DROPPED_MARK = re.compile(r"^\$?\d{3,5}$")
_UNIT_PRICE_LINE = re.compile(r"^@\s*(\S+)$")


@dataclass(frozen=True)
class Column:
    kind: str
    left: int
    right: int


@dataclass
class Table:
    """A table of line items and the rows it spans, header included."""

    header_index: int
    columns: list[Column]
    items: list[LineItem] = field(default_factory=list)
    row_indexes: set[int] = field(default_factory=set)
    tokens: list[Token] = field(default_factory=list)


def find_tables(context: Context) -> list[Table]:
    """Every header row with its item rows below it, on any page."""
    tables: list[Table] = []
    rows = context.rows
    position = 0
    while position < len(rows):
        columns = _header_columns(rows[position])
        if columns is None:
            position += 1
            continue
        table = Table(header_index=position, columns=columns)
        table.row_indexes.add(position)
        position = _read_items(table, rows, position + 1, context)
        tables.append(table)
    return tables


def _header_columns(row: Row) -> list[Column] | None:
    columns: list[Column] = []
    for segment in row.segments:
        taken: list[tuple[int, int]] = []
        for kind, pattern in _COMPILED:
            for match in pattern.finditer(segment.norm):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                taken.append((match.start(), match.end()))
                tokens = segment.tokens_between(match.start(), match.end())
                columns.append(
                    Column(
                        kind,
                        min(t.bbox[0] for t in tokens),
                        max(t.bbox[2] for t in tokens),
                    )
                )

    kinds = {column.kind for column in columns}
    if not kinds & {"amount", "unit_price"} or not kinds & {"description", "quantity"}:
        return None
    if len(kinds) < 2 or any(ch.isdigit() for ch in row.norm):
        return None
    return sorted(columns, key=lambda column: column.left)


def _read_items(table: Table, rows: Sequence[Row], start: int, context: Context) -> int:
    """Read rows under the header until the totals, a gap or a new header."""
    header = rows[start - 1]
    previous_bottom = header.bbox[3]
    heights = [header.height]
    position = start
    while position < len(rows):
        row = rows[position]
        gap_limit = 3.5 * median(heights)
        if (
            row.page_number != header.page_number
            or row.bbox[1] - previous_bottom > gap_limit
        ):
            break
        if _is_totals_row(row) or _header_columns(row) is not None:
            break

        if _read_row(table, row, context):
            table.row_indexes.add(row.index)
            table.tokens.extend(row.tokens)
        previous_bottom = row.bbox[3]
        heights.append(row.height)
        position += 1
    return position


def _is_totals_row(row: Row) -> bool:
    first = row.segments[0].norm
    patterns = [pattern for _, pattern in (*SUBTOTAL, *TOTAL)]
    return any(pattern.match(first) for pattern in patterns)


def _read_row(table: Table, row: Row, context: Context) -> bool:
    cells = _assign(row, table.columns, context)
    description = " ".join(token.text for token in cells.get("description", []))
    description = description.strip(" -:*.|")
    numbers = {
        kind: _cell_amount(cells.get(kind, []), context) for kind in _NUMERIC_KINDS
    }

    if all(value is None for value in numbers.values()):
        if description and table.items:
            # A description wrapped onto a second line continues the item above.
            last = table.items[-1]
            table.items[-1] = last.model_copy(
                update={"description": f"{last.description} {description}"}
            )
            return True
        return False

    if not description:
        return False
    table.items.append(_item(description, numbers))
    return True


def _assign(
    row: Row, columns: list[Column], context: Context
) -> dict[str, list[Token]]:
    """Words left of the number columns describe; numbers go to the nearest column.

    Descriptions run far past their short header, and amounts are aligned
    right under theirs, so spans of header words are only a guide.
    """
    description = next((c for c in columns if c.kind == "description"), None)
    numeric = [c for c in columns if c.kind in _NUMERIC_KINDS]
    if description is not None:
        numeric = [c for c in numeric if c.left > description.left] or numeric
    slack = row.height
    text_left = description.left - slack if description is not None else -(10**9)
    text_right = min((c.left for c in numeric), default=10**9) - slack

    cells: dict[str, list[Token]] = {}
    for token in row.tokens:
        centre = (token.bbox[0] + token.bbox[2]) / 2
        if text_left <= centre < text_right:
            cells.setdefault("description", []).append(token)
        elif centre >= text_right and numeric:
            if context.amount(token.text) is None:
                continue
            column = min(numeric, key=lambda c: _distance(token, c))
            cells.setdefault(column.kind, []).append(token)
    return cells


def _distance(token: Token, column: Column) -> tuple[int, int]:
    left, _, right, _ = token.bbox
    gap = max(0, column.left - right, left - column.right)
    return gap, abs(right - column.right)


def _cell_amount(tokens: Sequence[Token], context: Context) -> Decimal | None:
    amounts = list(amount_tokens(tokens, context))
    return amounts[-1][0] if amounts else None


def _item(description: str, numbers: dict[str, Decimal | None]) -> LineItem:
    quantity, unit_price, amount = _repaired(
        numbers["quantity"], numbers["unit_price"], numbers["amount"]
    )
    return LineItem(
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
    )


def _repaired(
    quantity: Decimal | None, unit_price: Decimal | None, amount: Decimal | None
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Fill or fix one number from the other two: quantity x unit price = amount.

    OCR drops decimal marks ("16,50" read "1650") and misreads small
    quantities; when two numbers agree the third follows from them.
    """
    if quantity is not None and unit_price is not None and amount is not None:
        if _cents(quantity * unit_price) == amount:
            return quantity, unit_price, amount
        if _cents(quantity * unit_price / 100) == amount:
            return quantity, unit_price / 100, amount
        if _cents(quantity * unit_price) == amount / 100:
            return quantity, unit_price, amount / 100
    if amount is None and quantity is not None and unit_price is not None:
        return quantity, unit_price, _cents(quantity * unit_price)
    if quantity is None and unit_price and amount is not None:
        ratio = amount / unit_price
        if ratio == ratio.to_integral_value() and ratio > 0:
            return ratio.quantize(Decimal(1)), unit_price, amount
    if unit_price is None and quantity and amount is not None:
        unit = _cents(amount / quantity)
        if _cents(unit * quantity) == amount:
            return quantity, unit, amount
    return quantity, unit_price, amount


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


def headerless_items(
    context: Context, targets: Sequence[Decimal]
) -> tuple[list[LineItem], set[int]]:
    """Receipt lines without a table header, kept only if they add up to a target.

    A row is a candidate when it reads "description ... amount"; the rows
    before the totals block that sum to the subtotal or total are the items.
    A receipt whose lines OCR misread beyond repair gets no items at all,
    rather than wrong ones.
    """
    candidates: list[tuple[int, LineItem]] = []
    for row in context.rows:
        if row.index in context.excluded_rows:
            continue
        if _is_totals_row(row):
            break
        unit_price = _unit_price_line(row, context)
        if unit_price is not None and candidates:
            index, item = candidates[-1]
            candidates[-1] = (index, item.model_copy(update={"unit_price": unit_price}))
            continue
        line = _receipt_line(row, context)
        if line is not None:
            candidates.append((row.index, line))

    for target in targets:
        for start in range(len(candidates)):
            chosen = candidates[start:]
            total = sum((item.amount or Decimal(0) for _, item in chosen), Decimal(0))
            if total == target:
                return [_completed(item) for _, item in chosen], {
                    index for index, _ in chosen
                }
    return [], set()


def _unit_price_line(row: Row, context: Context) -> Decimal | None:
    """A line such as "@ 8.00" under an item bought more than once."""
    match = _UNIT_PRICE_LINE.match(row.norm)
    return context.amount(match.group(1)) if match is not None else None


def _receipt_line(row: Row, context: Context) -> LineItem | None:
    tokens = row.tokens
    if len(tokens) < 2 or find_dates(row.norm):
        return None
    amount = _line_amount(tokens[-1], context)
    if amount is None:
        return None

    words = list(tokens[:-1])
    quantity = None
    # OCR reads the 1 of "1x" as a lower-case l in monospaced receipts.
    match = _QUANTITY_PREFIX.match(re.sub(r"^l(?=x$)", "1", words[0].norm))
    if match is not None and len(words) > 1:
        quantity = Decimal(match.group(1) or match.group(2))
        words = words[1:]
    elif AMOUNT_ROW_WORDS.search(row.norm) or ":" in row.norm:
        # Without a leading quantity, "Tip 2.00" or "Cash: 20.00" is not an item.
        return None

    description = " ".join(token.text for token in words).strip(" -:*.")
    if sum(ch.isalpha() for ch in description) < 3:
        return None
    return LineItem(description=description, quantity=quantity, amount=amount)


def _line_amount(token: Token, context: Context) -> Decimal | None:
    """The amount ending a receipt line; "170" there is 1.70 with its mark lost.

    Only the sum check in `headerless_items` accepts such a reading.
    """
    if has_decimals([token]):
        return context.amount(token.text)
    if _DROPPED_MARK.match(token.text):
        value = context.amount(token.text)
        return value / 100 if value is not None else None
    return None


def _completed(item: LineItem) -> LineItem:
    quantity, unit_price, amount = _repaired(
        item.quantity, item.unit_price, item.amount
    )
    return item.model_copy(
        update={"quantity": quantity, "unit_price": unit_price, "amount": amount}
    )
