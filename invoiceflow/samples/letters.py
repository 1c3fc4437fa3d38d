"""Three letter-size invoice families that place the same facts in different spots."""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image

from invoiceflow.samples.blocks import (
    continuation_header,
    draw_notes,
    meta_pairs,
    page_footer,
    paper_mm,
    tax_line,
    title,
)
from invoiceflow.samples.pages import Canvas, PageFlow, Style
from invoiceflow.samples.spec import InvoiceSpec
from invoiceflow.samples.table import (
    TableLook,
    draw_table,
    draw_totals,
    fit_columns,
    totals_height,
    totals_rows,
)

Footer = Callable[[Canvas, int, int], None]


def render_classic(
    spec: InvoiceSpec, style: Style, rng: random.Random
) -> list[Image.Image]:
    """Issuer top left, title and key facts top right, bill-to, a ruled table."""
    margin = rng.uniform(15, 20)
    flow = _flow(spec, style, margin)
    canvas = flow.canvas
    right = canvas.width_mm - margin

    title_size = _draw_title(
        canvas, style, title(spec, style), right, margin, "right", 2.2
    )
    title_font = canvas.font(style, title_size, bold=True)
    name_room = right - margin - canvas.width(title(spec, style), title_font) - 10
    left_bottom = _issuer_block(canvas, spec, style, margin, margin, "left", name_room)
    y = margin + style.leading(title_size) + 2
    right_bottom = _label_value_column(canvas, style, meta_pairs(spec, style), right, y)

    y = max(left_bottom, right_bottom) + 8
    y = _party_block(canvas, style, style.labels["bill_to"], spec, margin, y)

    look = TableLook(header="rules", row_rules=rng.random() < 0.5)
    footer = page_footer(style, margin, "right")
    return _table_and_totals(flow, spec, style, rng, margin, y + 6, look, footer)


def render_letterhead(
    spec: InvoiceSpec, style: Style, rng: random.Random
) -> list[Image.Image]:
    """Centred letterhead, a title, label: value facts beside the customer."""
    margin = rng.uniform(16, 22)
    flow = _flow(spec, style, margin)
    canvas = flow.canvas
    middle = canvas.width_mm / 2
    right = canvas.width_mm - margin

    y = _issuer_block(canvas, spec, style, middle, margin, "center", right - margin)
    canvas.rule(margin, y + 1, right, y + 1, 1.2)
    canvas.rule(margin, y + 2.2, right, y + 2.2, 0.5)
    title_font = canvas.font(style, style.body_pt * 1.8, bold=True)
    canvas.text(middle, y + 7, title(spec, style), title_font, align="center")
    y += 9 + style.leading(style.body_pt * 1.8)

    facts_bottom = _inline_facts(canvas, style, meta_pairs(spec, style), margin, y)
    party_bottom = _party_block(
        canvas, style, style.labels["customer"], spec, middle + 10, y
    )

    look = TableLook(header="underline")
    y = max(facts_bottom, party_bottom) + 8
    footer = page_footer(style, margin, "center")
    return _table_and_totals(flow, spec, style, rng, margin, y, look, footer)


def render_billship(
    spec: InvoiceSpec, style: Style, rng: random.Random
) -> list[Image.Image]:
    """Title top left, issuer top right, a row of fact boxes, bill-to and ship-to."""
    margin = rng.uniform(12, 16)
    flow = _flow(spec, style, margin, tax_footer=True)
    canvas = flow.canvas
    right = canvas.width_mm - margin

    title_size = _draw_title(
        canvas, style, title(spec, style), margin, margin, "left", 2.6
    )
    title_font = canvas.font(style, title_size, bold=True)
    name_room = right - margin - canvas.width(title(spec, style), title_font) - 10
    issuer_bottom = _issuer_block(
        canvas, spec, style, right, margin, "right", name_room, tax=False
    )
    y = max(issuer_bottom, margin + style.leading(title_size)) + 6

    y = _fact_boxes(canvas, style, meta_pairs(spec, style), margin, right, y)
    y = _address_boxes(canvas, spec, style, margin, right, y + 5)

    look = TableLook(header="band", grid=True)
    footer = _tax_footer(spec, style, margin)
    return _table_and_totals(
        flow, spec, style, rng, margin, y + 6, look, footer, with_code=True
    )


def _flow(
    spec: InvoiceSpec, style: Style, margin: float, *, tax_footer: bool = False
) -> PageFlow:
    return PageFlow(
        paper_mm(style),
        spec.dpi,
        top_mm=margin,
        bottom_mm=margin + (12 if tax_footer else 7),
        continuation=continuation_header(spec, style, margin),
    )


def _table_and_totals(
    flow: PageFlow,
    spec: InvoiceSpec,
    style: Style,
    rng: random.Random,
    margin: float,
    y: float,
    look: TableLook,
    footer: Footer,
    *,
    with_code: bool = False,
) -> list[Image.Image]:
    width = flow.canvas.width_mm - 2 * margin
    columns = fit_columns(
        flow.canvas, style, spec.line_items, width, with_code=with_code
    )
    tail = 4 + totals_height(style)
    y = draw_table(flow, style, margin, y, columns, spec.line_items, look, tail_mm=tail)

    y = flow.ensure(y + 4, totals_height(style))
    rows = totals_rows(spec, style)
    y = draw_totals(flow.canvas, style, rows, flow.canvas.width_mm - margin, y + 2)
    draw_notes(flow, spec, style, rng, y, margin)

    return flow.images(footer)


def _tax_footer(spec: InvoiceSpec, style: Style, margin: float) -> Footer:
    """A rule, the issuer's name and tax id, then the page number at the right."""
    page_number = page_footer(style, margin, "right")

    def draw(canvas: Canvas, number: int, count: int) -> None:
        font = canvas.font(style, max(8.0, style.body_pt - 1))
        y = canvas.height_mm - margin - 4
        canvas.rule(margin, y - 1.5, canvas.width_mm - margin, y - 1.5, 0.5)
        canvas.text(margin, y, f"{spec.issuer_name}  {tax_line(spec)}", font)
        page_number(canvas, number, count)

    return draw


def _issuer_block(
    canvas: Canvas,
    spec: InvoiceSpec,
    style: Style,
    x: float,
    y: float,
    align: str,
    name_room: float,
    *,
    tax: bool = True,
) -> float:
    largest = style.body_pt * (1.9 if align != "right" else 1.5)
    size = canvas.fit_size(style, spec.issuer_name, name_room, largest)
    canvas.text(
        x, y, spec.issuer_name, canvas.font(style, size, bold=True), align=align
    )
    y += style.leading(size) + 1

    font = canvas.font(style, style.body_pt)
    lines = list(spec.issuer_address)
    if align == "center":
        lines = ["  |  ".join(spec.issuer_address)]
    if tax:
        lines.append(tax_line(spec))
    return canvas.lines(x, y, lines, font, style.leading(), align=align)


def _draw_title(
    canvas: Canvas,
    style: Style,
    text: str,
    x: float,
    y: float,
    align: str,
    scale: float,
) -> float:
    """Draw the title at up to `scale` times body size in 40% of the page width."""
    size = canvas.fit_size(style, text, canvas.width_mm * 0.4, style.body_pt * scale)
    canvas.text(x, y, text, canvas.font(style, size, bold=True), align=align)
    return size


def _label_value_column(
    canvas: Canvas, style: Style, pairs: list[tuple[str, str]], right: float, y: float
) -> float:
    font = canvas.font(style, style.body_pt)
    bold = canvas.font(style, style.body_pt, bold=True)
    value_width = max(canvas.width(value, font) for _, value in pairs)
    for label, value in pairs:
        canvas.text(right - value_width - 4, y, f"{label}:", bold, align="right")
        canvas.text(right, y, value, font, align="right")
        y += style.leading()
    return y


def _inline_facts(
    canvas: Canvas, style: Style, pairs: list[tuple[str, str]], x: float, y: float
) -> float:
    font = canvas.font(style, style.body_pt)
    bold = canvas.font(style, style.body_pt, bold=True)
    for label, value in pairs:
        text = f"{label}: "
        canvas.text(x, y, text, bold)
        canvas.text(x + canvas.width(text, bold), y, value, font)
        y += style.leading()
    return y


def _party_block(
    canvas: Canvas, style: Style, label: str, spec: InvoiceSpec, x: float, y: float
) -> float:
    bold = canvas.font(style, style.body_pt, bold=True)
    font = canvas.font(style, style.body_pt)
    canvas.text(x, y, f"{label}:", bold)
    lines = [spec.customer_name, *spec.customer_address]
    return canvas.lines(x, y + style.leading(), lines, font, style.leading())


def _fact_boxes(
    canvas: Canvas,
    style: Style,
    pairs: list[tuple[str, str]],
    left: float,
    right: float,
    y: float,
) -> float:
    label_size = max(7.5, style.body_pt * 0.8)
    label_font = canvas.font(style, label_size, bold=True)
    font = canvas.font(style, style.body_pt)
    height = style.leading(label_size) + style.leading() + 2.5
    width = (right - left) / len(pairs)

    for index, (label, value) in enumerate(pairs):
        x = left + index * width
        canvas.box(x, y, x + width, y + height, weight_pt=0.7)
        canvas.text(x + 1.5, y + 1, label, label_font)
        canvas.text(x + 1.5, y + 1.5 + style.leading(label_size), value, font)
    return y + height


def _address_boxes(
    canvas: Canvas, spec: InvoiceSpec, style: Style, left: float, right: float, y: float
) -> float:
    bold = canvas.font(style, style.body_pt, bold=True)
    font = canvas.font(style, style.body_pt)
    gap = 6.0
    width = (right - left - gap) / 2
    blocks = (
        (style.labels["bill_to"], [spec.customer_name, *spec.customer_address]),
        (style.labels["ship_to"], list(spec.ship_to)),
    )
    height = style.leading() * (1 + max(len(lines) for _, lines in blocks)) + 5

    for index, (label, lines) in enumerate(blocks):
        x = left + index * (width + gap)
        band = style.leading() + 1.5
        canvas.box(x, y, x + width, y + band, weight_pt=0, fill=205)
        canvas.box(x, y, x + width, y + height, weight_pt=0.7)
        canvas.text(x + 2, y + 0.8, label, bold)
        canvas.lines(x + 2, y + band + 1, lines, font, style.leading())
    return y + height
