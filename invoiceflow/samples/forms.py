"""The boxed form family: every fact in its own labelled box, as on fiscal forms."""

from __future__ import annotations

import random
from collections.abc import Sequence

from PIL import Image

from invoiceflow.samples.blocks import (
    draw_notes,
    meta_pairs,
    number_label,
    paper_mm,
    title,
)
from invoiceflow.samples.pages import Canvas, Font, PageFlow, Style, wrap
from invoiceflow.samples.spec import InvoiceSpec
from invoiceflow.samples.table import TableLook, draw_table, fit_columns, totals_rows

Field = tuple[str, Sequence[str]]


def render_boxed(
    spec: InvoiceSpec, style: Style, rng: random.Random
) -> list[Image.Image]:
    """Issuer and document boxes, a row of fact boxes, the customer, a full grid."""
    margin = rng.uniform(9, 13)
    flow = PageFlow(
        paper_mm(style),
        spec.dpi,
        top_mm=margin,
        bottom_mm=margin + 8,
        continuation=lambda canvas: _top_boxes(canvas, spec, style, margin) + 3,
    )
    right = flow.canvas.width_mm - margin
    y = _first_page_boxes(flow.canvas, spec, style, margin)

    look = TableLook(header="box", grid=True)
    width = right - margin
    columns = fit_columns(flow.canvas, style, spec.line_items, width, with_code=True)
    tail = _box_height(style, 1) + 5
    y = draw_table(
        flow, style, margin, y + 3, columns, spec.line_items, look, tail_mm=tail
    )

    y = flow.ensure(y + 3, tail - 3)
    totals = [(label, [value]) for label, value in totals_rows(spec, style)]
    y = _box_row(flow.canvas, style, totals, margin + width * 0.4, right, y)
    draw_notes(flow, spec, style, rng, y, margin)
    return flow.images(
        lambda canvas, number, count: _sheet(canvas, style, margin, number, count)
    )


def _first_page_boxes(
    canvas: Canvas, spec: InvoiceSpec, style: Style, margin: float
) -> float:
    right = canvas.width_mm - margin
    y = _top_boxes(canvas, spec, style, margin)

    facts = [(label, [value]) for label, value in meta_pairs(spec, style)[1:]]
    facts.insert(0, (spec.issuer_tax_label, [spec.issuer_tax_id]))
    y = _box_row(canvas, style, facts, margin, right, y)

    customer = [spec.customer_name, ", ".join(spec.customer_address)]
    fields = [(style.labels["customer"], customer)]
    return _box_row(canvas, style, fields, margin, right, y)


def _top_boxes(canvas: Canvas, spec: InvoiceSpec, style: Style, margin: float) -> float:
    """Issuer box on the left, title and number on the right; returns the y below."""
    right = canvas.width_mm - margin
    split = margin + (right - margin) * 0.62
    name_size = canvas.fit_size(
        style, spec.issuer_name, split - margin - 4, style.body_pt * 1.4
    )
    height = style.leading(name_size) + style.leading() * len(spec.issuer_address) + 6

    canvas.box(margin, margin, split, margin + height, weight_pt=1.0)
    name_font = canvas.font(style, name_size, bold=True)
    canvas.text(margin + 2, margin + 2, spec.issuer_name, name_font)
    address_top = margin + 3 + style.leading(name_size)
    font = canvas.font(style, style.body_pt)
    canvas.lines(margin + 2, address_top, spec.issuer_address, font, style.leading())

    canvas.box(split, margin, right, margin + height, weight_pt=1.0)
    _document_box_text(canvas, spec, style, (split + right) / 2, margin + 2)
    return margin + height


def _document_box_text(
    canvas: Canvas, spec: InvoiceSpec, style: Style, centre: float, y: float
) -> None:
    title_size = style.body_pt * 1.3
    title_font = canvas.font(style, title_size, bold=True)
    canvas.text(centre, y, title(spec, style), title_font, align="center")

    y += 1 + style.leading(title_size)
    label_font = canvas.font(style, _label_pt(style), bold=True)
    canvas.text(centre, y, number_label(spec, style), label_font, align="center")

    y += style.leading(_label_pt(style))
    number_font = canvas.font(style, style.body_pt * 1.2, bold=True)
    canvas.text(centre, y, spec.invoice_number, number_font, align="center")


def _box_height(style: Style, lines: int) -> float:
    return style.leading(_label_pt(style)) + style.leading() * lines + 2.5


def _box_row(
    canvas: Canvas,
    style: Style,
    fields: Sequence[Field],
    left: float,
    right: float,
    y: float,
) -> float:
    """A row of labelled boxes, each as wide as its content needs, filling the row."""
    label_size = _label_pt(style)
    label_font = canvas.font(style, label_size)
    font = canvas.font(style, style.body_pt)
    widths = _box_widths(canvas, fields, label_font, font, right - left)
    values = [
        [part for line in lines for part in wrap(canvas, line, font, width - 2.4)]
        for (_, lines), width in zip(fields, widths, strict=True)
    ]
    height = _box_height(style, max(len(lines) for lines in values))

    x = left
    for (label, _), lines, width in zip(fields, values, widths, strict=True):
        canvas.box(x, y, x + width, y + height, weight_pt=0.8)
        canvas.text(x + 1.2, y + 0.8, label.upper(), label_font)
        value_top = y + 1.5 + style.leading(label_size)
        canvas.lines(x + 1.2, value_top, lines, font, style.leading())
        x += width
    return y + height


def _box_widths(
    canvas: Canvas, fields: Sequence[Field], label_font: Font, font: Font, total: float
) -> list[float]:
    needed = [
        max(
            canvas.width(label.upper(), label_font),
            *(canvas.width(v, font) for v in lines),
        )
        + 3
        for label, lines in fields
    ]
    spare = total - sum(needed)
    if spare >= 0:
        return [width + spare / len(needed) for width in needed]
    return [total * width / sum(needed) for width in needed]


def _label_pt(style: Style) -> float:
    return max(7.5, style.body_pt * 0.8)


def _sheet(
    canvas: Canvas, style: Style, margin: float, number: int, count: int
) -> None:
    font = canvas.font(style, max(8.0, style.body_pt - 1))
    text = style.labels["page"].format(n=number, of=count)
    y = canvas.height_mm - margin - 5
    canvas.box(
        canvas.width_mm - margin - 35,
        y - 1,
        canvas.width_mm - margin,
        y + 5,
        weight_pt=0.6,
    )
    canvas.text(canvas.width_mm - margin - 17.5, y, text, font, align="center")
