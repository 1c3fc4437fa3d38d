"""The layout families, the one held out, and the entry point that draws a spec."""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image

from invoiceflow.samples.fonts import typeface
from invoiceflow.samples.forms import render_boxed
from invoiceflow.samples.letters import (
    render_billship,
    render_classic,
    render_letterhead,
)
from invoiceflow.samples.locales import DATE_STYLES, LOCALES, pick_labels
from invoiceflow.samples.pages import Style
from invoiceflow.samples.receipts import render_receipt
from invoiceflow.samples.spec import InvoiceSpec

Renderer = Callable[[InvoiceSpec, Style, random.Random], list[Image.Image]]

_RENDERERS: dict[str, Renderer] = {
    "classic": render_classic,
    "letterhead": render_letterhead,
    "billship": render_billship,
    "receipt": render_receipt,
    "boxed": render_boxed,
}

LAYOUTS: tuple[str, ...] = tuple(_RENDERERS)

# Extraction rules are developed on the other families only, so that accuracy
# on this one estimates how the extractor copes with a layout it never saw.
HELD_OUT_LAYOUTS: frozenset[str] = frozenset({"boxed"})

_TYPEFACES = {
    "classic": ("dejavu-sans", "liberation-sans"),
    "letterhead": ("liberation-serif", "liberation-sans"),
    "billship": ("liberation-sans", "dejavu-sans"),
    "receipt": ("dejavu-mono", "liberation-mono"),
    "boxed": ("liberation-sans", "dejavu-sans", "liberation-serif"),
}
_BODY_POINTS = {
    "receipt": (9.0, 9.5, 10.0),
    "default": (9.0, 9.5, 10.0, 10.5, 11.0, 12.0),
}


def render_invoice(spec: InvoiceSpec, rng: random.Random) -> list[Image.Image]:
    """Draw the clean pages of `spec` (mode L, at `spec.dpi`) before scan effects.

    Raises:
        ValueError: when `spec.layout` is not one of LAYOUTS.
    """
    renderer = _RENDERERS.get(spec.layout)
    if renderer is None:
        raise ValueError(
            f"Unknown layout {spec.layout!r}; choose one of {', '.join(LAYOUTS)}"
        )

    return renderer(spec, _choose_style(spec, rng), rng)


def _choose_style(spec: InvoiceSpec, rng: random.Random) -> Style:
    sizes = _BODY_POINTS.get(spec.layout, _BODY_POINTS["default"])
    return Style(
        face=typeface(rng.choice(_TYPEFACES[spec.layout])),
        body_pt=rng.choice(sizes),
        labels=pick_labels(spec.language, rng),
        date_style=rng.choice(DATE_STYLES),
        locale=LOCALES[spec.locale],
    )
