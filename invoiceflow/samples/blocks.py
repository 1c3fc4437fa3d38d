"""Pieces every page-size layout prints: titles, key facts, notes and page footers."""

from __future__ import annotations

import random
from collections.abc import Callable

from invoiceflow.samples.pages import PAPER_MM, Canvas, PageFlow, Style
from invoiceflow.samples.spec import InvoiceSpec

_NUMBER_LABELS = {
    "invoice": "invoice_number",
    "credit_note": "credit_number",
    "statement": "statement_number",
    "receipt": "order_number",
}


def paper_mm(style: Style) -> tuple[float, float]:
    """Letter or A4 in millimetres, as the locale prints."""
    return PAPER_MM[style.locale.paper]


def title(spec: InvoiceSpec, style: Style) -> str:
    return style.labels[spec.document_type]


def number_label(spec: InvoiceSpec, style: Style) -> str:
    return style.labels[_NUMBER_LABELS[spec.document_type]]


def meta_pairs(spec: InvoiceSpec, style: Style) -> list[tuple[str, str]]:
    """The document's key facts as (label, value), skipping those it lacks."""
    date_key = "date" if spec.document_type == "invoice" else "issue_date"
    pairs = [
        (number_label(spec, style), spec.invoice_number),
        (style.labels[date_key], style.date(spec.invoice_date)),
    ]
    if spec.due_date is not None:
        pairs.append((style.labels["due_date"], style.date(spec.due_date)))
    if spec.purchase_order is not None:
        pairs.append((style.labels["po"], spec.purchase_order))
    if spec.payment_terms is not None:
        pairs.append((style.labels["terms"], spec.payment_terms))
    return pairs


def tax_line(spec: InvoiceSpec) -> str:
    return f"{spec.issuer_tax_label}: {spec.issuer_tax_id}"


def continuation_header(
    spec: InvoiceSpec, style: Style, margin: float
) -> Callable[[Canvas], float]:
    """The short header of page two onward: issuer left, number right, a rule."""

    def draw(canvas: Canvas) -> float:
        bold = canvas.font(style, style.body_pt + 1, bold=True)
        font = canvas.font(style, style.body_pt)
        right = canvas.width_mm - margin
        canvas.text(margin, margin, spec.issuer_name, bold)
        label = f"{number_label(spec, style)} {spec.invoice_number}"
        canvas.text(
            right, margin, f"{label} ({style.labels['continued']})", font, align="right"
        )
        y = margin + style.leading(style.body_pt + 1) + 1.5
        canvas.rule(margin, y, right, y, 0.8)
        return y + 4

    return draw


def page_footer(
    style: Style, margin: float, align: str
) -> Callable[[Canvas, int, int], None]:
    """Print "Page n of N" at the bottom margin, left, centred or right."""

    def draw(canvas: Canvas, number: int, count: int) -> None:
        font = canvas.font(style, max(8.0, style.body_pt - 1))
        text = style.labels["page"].format(n=number, of=count)
        x = {"left": margin, "center": canvas.width_mm / 2}.get(
            align, canvas.width_mm - margin
        )
        canvas.text(x, canvas.height_mm - margin + 3, text, font, align=align)

    return draw


def draw_notes(
    flow: PageFlow,
    spec: InvoiceSpec,
    style: Style,
    rng: random.Random,
    y: float,
    margin: float,
) -> float:
    """Payment details and a courtesy line under the totals, as vendors print them."""
    size = max(8.0, style.body_pt - 1)
    pitch = style.leading(size)
    lines = [f"{style.labels['remit']}: {spec.issuer_name}", _bank_line(spec, rng)]
    if spec.document_type != "statement":
        lines.append(style.labels["thanks"])

    y = flow.ensure(y + 6, pitch * len(lines))
    font = flow.canvas.font(style, size)
    return flow.canvas.lines(margin, y, lines, font, pitch)


def _bank_line(spec: InvoiceSpec, rng: random.Random) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(18))
    if spec.locale == "pt-BR":
        return f"Banco 000 - Agência {digits[:4]} - C/C {digits[4:9]}-{digits[9]}"
    if spec.locale == "es-MX":
        return f"CLABE {digits[:3]} {digits[3:6]} {digits[6:17]} {digits[17]}"
    if spec.locale == "es-ES":
        return f"IBAN ES00 0000 {digits[:4]} {digits[4:6]}{digits[6:8]} {digits[8:18]}"
    if spec.locale == "es-CO":
        return f"Cuenta de ahorros {digits[:3]}-{digits[3:9]}-{digits[9:11]}"
    return f"ACH routing 000{digits[:6]}  Account {digits[6:16]}"
