"""The narrow thermal-printer receipt of a delivery order, cut to its length."""

from __future__ import annotations

import random

from PIL import Image

from invoiceflow.samples.blocks import number_label, tax_line
from invoiceflow.samples.pages import Canvas, Style, wrap
from invoiceflow.samples.spec import InvoiceSpec
from invoiceflow.samples.table import totals_rows

ROLL_WIDTH_MM = 80.0
_MARGIN_MM = 4.0


def render_receipt(
    spec: InvoiceSpec, style: Style, rng: random.Random
) -> list[Image.Image]:
    """Platform and restaurant centred, a line per dish, totals, issuer at the foot."""
    canvas = Canvas(ROLL_WIDTH_MM, _roll_length(spec, style), spec.dpi)
    middle = ROLL_WIDTH_MM / 2

    y = _head(canvas, spec, style, rng, middle)
    canvas.dashes(_MARGIN_MM, ROLL_WIDTH_MM - _MARGIN_MM, y)
    y = _items(canvas, spec, style, y + 2.5)
    canvas.dashes(_MARGIN_MM, ROLL_WIDTH_MM - _MARGIN_MM, y)
    y = _totals(canvas, spec, style, y + 2.5)
    canvas.dashes(_MARGIN_MM, ROLL_WIDTH_MM - _MARGIN_MM, y)
    y = _foot(canvas, spec, style, middle, y + 2.5)

    canvas.crop_height(y + rng.uniform(6, 14))
    return [canvas.image]


def _roll_length(spec: InvoiceSpec, style: Style) -> float:
    # Generous: every dish may wrap to two lines plus a unit-price line; the
    # roll is cut to the printed length afterwards.
    lines = 24 + 3 * len(spec.line_items)
    return lines * style.leading() + 40


def _head(
    canvas: Canvas, spec: InvoiceSpec, style: Style, rng: random.Random, middle: float
) -> float:
    big = canvas.font(style, style.body_pt * 1.8, bold=True)
    bold = canvas.font(style, style.body_pt, bold=True)
    font = canvas.font(style, style.body_pt)
    pitch = style.leading()

    y = 5.0
    canvas.text(middle, y, spec.issuer_name, big, align="center")
    y += style.leading(style.body_pt * 1.8)
    canvas.text(middle, y, style.labels["receipt"], bold, align="center")
    y += pitch * 1.5
    canvas.text(middle, y, spec.merchant or "", bold, align="center")
    y += pitch * 1.5

    hour, minute = rng.randint(11, 22), rng.randrange(60)
    lines = [
        f"{number_label(spec, style)} {spec.invoice_number}",
        f"{style.date(spec.invoice_date)} {hour:02d}:{minute:02d}",
        f"{style.labels['ordered_by']}: {spec.customer_name}",
    ]
    return canvas.lines(_MARGIN_MM, y, lines, font, pitch) + 1


def _items(canvas: Canvas, spec: InvoiceSpec, style: Style, y: float) -> float:
    font = canvas.font(style, style.body_pt)
    pitch = style.leading()
    right = ROLL_WIDTH_MM - _MARGIN_MM

    for item in spec.line_items:
        amount = style.money(item.amount)
        room = right - _MARGIN_MM - canvas.width(f"  {amount}", font)
        text = f"{style.quantity(item.quantity)}x {item.description}"
        lines = wrap(canvas, text, font, room)
        canvas.text(right, y, amount, font, align="right")
        y = canvas.lines(_MARGIN_MM, y, lines, font, pitch)
        if item.quantity != 1:
            each = f"   @ {style.money(item.unit_price)}"
            y = canvas.lines(_MARGIN_MM, y, [each], font, pitch)
    return y + 1


def _totals(canvas: Canvas, spec: InvoiceSpec, style: Style, y: float) -> float:
    font = canvas.font(style, style.body_pt)
    bold = canvas.font(style, style.body_pt * 1.2, bold=True)
    right = ROLL_WIDTH_MM - _MARGIN_MM
    rows = totals_rows(spec, style)

    for index, (label, value) in enumerate(rows):
        face = bold if index == len(rows) - 1 else font
        size = style.body_pt * 1.2 if face is bold else style.body_pt
        canvas.text(_MARGIN_MM, y, label.upper() if face is bold else label, face)
        canvas.text(right, y, value, face, align="right")
        y += style.leading(size)
    return y + 1


def _foot(
    canvas: Canvas, spec: InvoiceSpec, style: Style, middle: float, y: float
) -> float:
    size = max(8.0, style.body_pt - 1)
    font = canvas.font(style, size)
    lines = [
        spec.issuer_name,
        *spec.issuer_address,
        tax_line(spec),
        "",
        style.labels["thanks"],
    ]
    wrapped = [part for line in lines for part in wrap(canvas, line, font, 70) or [""]]
    return canvas.lines(middle, y, wrapped, font, style.leading(size), align="center")
