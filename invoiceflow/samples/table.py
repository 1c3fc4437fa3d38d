"""The line-item table and the totals block, shared by the letter-size layouts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from invoiceflow.samples.pages import Canvas, Font, PageFlow, Style, wrap
from invoiceflow.samples.spec import InvoiceSpec, LineItemSpec

_NUMERIC = ("quantity", "unit_price", "amount")


@dataclass(frozen=True)
class Column:
    """One table column; `key` names both the label and the line-item field."""

    key: str
    width_mm: float
    align: str = "left"


@dataclass(frozen=True)
class TableLook:
    """How a table is ruled.

    `header` is one of `rules` (a rule above and below), `underline`, `band`
    (a grey fill) or `box`; `grid` adds column rules and a frame.
    """

    header: str = "rules"
    grid: bool = False
    row_rules: bool = False
    pad_mm: float = 1.2


def item_cells(item: LineItemSpec, style: Style) -> dict[str, str]:
    return {
        "code": item.code,
        "description": item.description,
        "quantity": style.quantity(item.quantity),
        "unit_price": style.money(item.unit_price),
        "amount": style.money(item.amount),
    }


def fit_columns(
    canvas: Canvas,
    style: Style,
    items: Sequence[LineItemSpec],
    width_mm: float,
    *,
    with_code: bool = False,
    pad_mm: float = 1.2,
) -> list[Column]:
    """Size numeric columns to their widest cell; the description takes the rest."""
    font = canvas.font(style, style.body_pt)
    bold = canvas.font(style, style.body_pt, bold=True)
    keys = ["code", *_NUMERIC] if with_code else list(_NUMERIC)
    widths = {}
    for key in keys:
        cells = [item_cells(item, style)[key] for item in items]
        widest = max(canvas.width(cell, font) for cell in cells)
        widths[key] = (
            max(widest, canvas.width(style.labels[key], bold)) + 2 * pad_mm + 1
        )

    description = width_mm - sum(widths.values())
    columns = [Column("description", description)]
    if with_code:
        columns.insert(0, Column("code", widths["code"]))
    columns += [Column(key, widths[key], "right") for key in _NUMERIC]
    return columns


def draw_table(
    flow: PageFlow,
    style: Style,
    x0: float,
    y: float,
    columns: Sequence[Column],
    items: Sequence[LineItemSpec],
    look: TableLook,
    *,
    tail_mm: float = 0.0,
) -> float:
    """Draw the items from `y` down, breaking pages as needed; return the y below.

    The last row is kept on the same page as the `tail_mm` that follows it
    (the totals), so a last page never holds totals without any line items.
    """
    pitch = style.leading()
    top = y
    y = _header(flow.canvas, style, x0, y, columns, look)
    rows_on_page = 0
    for index, item in enumerate(items):
        lines = _wrapped_cells(flow.canvas, style, columns, item, look)
        height = max(len(cell) for cell in lines.values()) * pitch + look.pad_mm
        needed = height + (tail_mm if index == len(items) - 1 else 0.0)
        if y + needed > flow.bottom and rows_on_page:
            _frame(flow.canvas, x0, top, y, columns, look)
            top = flow.new_page()
            y = _header(flow.canvas, style, x0, top, columns, look)
            rows_on_page = 0

        _row(flow.canvas, style, x0, y, columns, lines, look)
        y += height
        rows_on_page += 1
        if look.row_rules:
            flow.canvas.rule(x0, y, x0 + sum(c.width_mm for c in columns), y, 0.4)

    _frame(flow.canvas, x0, top, y, columns, look)
    return y


def totals_rows(spec: InvoiceSpec, style: Style) -> list[tuple[str, str]]:
    tax_label = f"{style.labels['tax']} ({style.rate(spec.tax_rate)})"
    total_key = "credit_total" if spec.document_type == "credit_note" else "total"
    return [
        (style.labels["subtotal"], style.money(spec.subtotal)),
        (tax_label, style.money(spec.tax)),
        (style.labels[total_key], style.money(spec.total, symbol=True)),
    ]


def totals_height(style: Style, rows: int = 3) -> float:
    return rows * style.leading() * 1.2 + 4


def draw_totals(
    canvas: Canvas,
    style: Style,
    rows: Sequence[tuple[str, str]],
    x_right: float,
    y: float,
) -> float:
    """Right-aligned label and value pairs; the last one bold, under a rule."""
    font = canvas.font(style, style.body_pt)
    bold = canvas.font(style, style.body_pt, bold=True)
    value_width = max(canvas.width(value, bold) for _, value in rows) + 4
    label_width = max(canvas.width(label, bold) for label, _ in rows)
    pitch = style.leading() * 1.2

    for index, (label, value) in enumerate(rows):
        last = index == len(rows) - 1
        if last:
            left = x_right - value_width - label_width - 4
            canvas.rule(left, y - 0.8, x_right, y - 0.8, 0.8)
        face = bold if last else font
        canvas.text(x_right - value_width, y, label, face, align="right")
        canvas.text(x_right, y, value, face, align="right")
        y += pitch
    return y


def _header(
    canvas: Canvas,
    style: Style,
    x0: float,
    y: float,
    columns: Sequence[Column],
    look: TableLook,
) -> float:
    bold = canvas.font(style, style.body_pt, bold=True)
    height = style.leading() + 2 * look.pad_mm
    x1 = x0 + sum(c.width_mm for c in columns)
    if look.header == "band":
        canvas.box(x0, y, x1, y + height, weight_pt=0, fill=205)
    elif look.header == "box":
        canvas.box(x0, y, x1, y + height, weight_pt=0.8)
    elif look.header == "rules":
        canvas.rule(x0, y, x1, y, 0.8)

    x = x0
    for column in columns:
        _cell_text(
            canvas, x, y + look.pad_mm, column, style.labels[column.key], bold, look
        )
        x += column.width_mm

    if look.header in ("rules", "underline"):
        canvas.rule(x0, y + height, x1, y + height, 0.8)
    return y + height + look.pad_mm


def _wrapped_cells(
    canvas: Canvas,
    style: Style,
    columns: Sequence[Column],
    item: LineItemSpec,
    look: TableLook,
) -> dict[str, list[str]]:
    font = canvas.font(style, style.body_pt)
    cells = item_cells(item, style)
    return {
        c.key: wrap(canvas, cells[c.key], font, c.width_mm - 2 * look.pad_mm) or [""]
        for c in columns
    }


def _row(
    canvas: Canvas,
    style: Style,
    x0: float,
    y: float,
    columns: Sequence[Column],
    lines: dict[str, list[str]],
    look: TableLook,
) -> None:
    font = canvas.font(style, style.body_pt)
    x = x0
    for column in columns:
        for number, line in enumerate(lines[column.key]):
            top = y + look.pad_mm / 2 + number * style.leading()
            _cell_text(canvas, x, top, column, line, font, look)
        x += column.width_mm


def _cell_text(
    canvas: Canvas,
    x: float,
    y: float,
    column: Column,
    text: str,
    font: Font,
    look: TableLook,
) -> None:
    if column.align == "right":
        canvas.text(x + column.width_mm - look.pad_mm, y, text, font, align="right")
    else:
        canvas.text(x + look.pad_mm, y, text, font)


def _frame(
    canvas: Canvas,
    x0: float,
    top: float,
    bottom: float,
    columns: Sequence[Column],
    look: TableLook,
) -> None:
    if not look.grid:
        return

    x1 = x0 + sum(c.width_mm for c in columns)
    canvas.box(x0, top, x1, bottom, weight_pt=0.8)
    x = x0
    for column in columns[:-1]:
        x += column.width_mm
        canvas.rule(x, top, x, bottom, 0.6)
