"""Drawing in millimetres on pages rendered at the scan's dpi, and page breaks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from invoiceflow.samples.fonts import Typeface
from invoiceflow.samples.locales import (
    Locale,
    format_date,
    format_money,
    format_quantity,
    format_rate,
)

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
PAPER_MM = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}

Font = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class Style:
    """The per-document choices a printer would make: typeface, size, wording."""

    face: Typeface
    body_pt: float
    labels: dict[str, str]
    date_style: str
    locale: Locale

    def money(self, value: Decimal, *, symbol: bool = False) -> str:
        return format_money(value, self.locale, symbol=symbol)

    def quantity(self, value: Decimal) -> str:
        return format_quantity(value, self.locale)

    def rate(self, value: Decimal) -> str:
        return format_rate(value, self.locale)

    def date(self, value: date) -> str:
        return format_date(value, self.locale, self.date_style)

    def leading(self, size_pt: float | None = None) -> float:
        """Line pitch in millimetres for text of `size_pt` (body size by default)."""
        return (size_pt or self.body_pt) * 1.45 * MM_PER_INCH / POINTS_PER_INCH


class Canvas:
    """One white page in mode L whose drawing calls take millimetres."""

    def __init__(self, width_mm: float, height_mm: float, dpi: int) -> None:
        self.dpi = dpi
        self.width_mm = width_mm
        self.height_mm = height_mm
        self.image = Image.new("L", (self.px(width_mm), self.px(height_mm)), 255)
        self._draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def font(self, style: Style, size_pt: float, *, bold: bool = False) -> Font:
        return style.face.font(size_pt, self.dpi, bold=bold)

    def width(self, text: str, font: Font) -> float:
        """Printed width of `text` in millimetres."""
        return font.getlength(text) * MM_PER_INCH / self.dpi

    def fit_size(
        self, style: Style, text: str, width_mm: float, largest_pt: float
    ) -> float:
        """The largest bold size, from `largest_pt` down to body size, that fits."""
        size = largest_pt
        while size > style.body_pt:
            if self.width(text, self.font(style, size, bold=True)) <= width_mm:
                break
            size -= 0.5
        return max(size, style.body_pt)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: Font,
        *,
        align: str = "left",
        fill: int = 0,
    ) -> None:
        """Draw one line with its top at `y`; `x` is its left, right or centre."""
        anchor = {"left": "la", "right": "ra", "center": "ma"}[align]
        self._draw.text(
            (self.px(x), self.px(y)), text, font=font, fill=fill, anchor=anchor
        )

    def lines(
        self,
        x: float,
        y: float,
        lines: Sequence[str],
        font: Font,
        pitch: float,
        *,
        align: str = "left",
    ) -> float:
        """Draw lines one `pitch` apart and return the y below the last."""
        for line in lines:
            self.text(x, y, line, font, align=align)
            y += pitch
        return y

    def rule(
        self, x0: float, y0: float, x1: float, y1: float, weight_pt: float = 0.6
    ) -> None:
        width = max(1, round(weight_pt * self.dpi / POINTS_PER_INCH))
        self._draw.line(
            (self.px(x0), self.px(y0), self.px(x1), self.px(y1)), fill=0, width=width
        )

    def box(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        weight_pt: float = 0.6,
        fill: int | None = None,
    ) -> None:
        width = max(1, round(weight_pt * self.dpi / POINTS_PER_INCH))
        outline = 0 if weight_pt > 0 else None
        self._draw.rectangle(
            (self.px(x0), self.px(y0), self.px(x1), self.px(y1)),
            fill=fill,
            outline=outline,
            width=width,
        )

    def dashes(self, x0: float, x1: float, y: float, dash: float = 1.2) -> None:
        x = x0
        while x < x1:
            self.rule(x, y, min(x + dash, x1), y, 0.5)
            x += dash * 2

    def crop_height(self, height_mm: float) -> None:
        """Cut the page to `height_mm`, as a thermal printer cuts its roll."""
        self.height_mm = height_mm
        self.image = self.image.crop((0, 0, self.image.width, self.px(height_mm)))
        self._draw = ImageDraw.Draw(self.image)


def wrap(canvas: Canvas, text: str, font: Font, width_mm: float) -> list[str]:
    """Break `text` at spaces so that every line fits `width_mm`."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and canvas.width(candidate, font) > width_mm:
            lines.append(current)
            candidate = word
        current = candidate
    return [*lines, current] if current else lines


class PageFlow:
    """A growing list of same-size pages with a fixed printable bottom.

    `continuation` draws the short header of page two onward and returns the y
    where content may start; `footer` runs once per page at the end, when the
    page count is known.
    """

    def __init__(
        self,
        size_mm: tuple[float, float],
        dpi: int,
        *,
        top_mm: float,
        bottom_mm: float,
        continuation: Callable[[Canvas], float],
    ) -> None:
        self.size_mm = size_mm
        self.dpi = dpi
        self.top_mm = top_mm
        self.bottom = size_mm[1] - bottom_mm
        self._continuation = continuation
        self.pages: list[Canvas] = []
        self.new_page()

    @property
    def canvas(self) -> Canvas:
        return self.pages[-1]

    def new_page(self) -> float:
        """Start a page and return the y where its content begins."""
        self.pages.append(Canvas(*self.size_mm, self.dpi))
        if len(self.pages) == 1:
            return self.top_mm
        return self._continuation(self.canvas)

    def ensure(self, y: float, height_mm: float) -> float:
        """Return `y` if `height_mm` still fits on this page, else a new page's top."""
        if y + height_mm <= self.bottom:
            return y
        return self.new_page()

    def images(self, footer: Callable[[Canvas, int, int], None]) -> list[Image.Image]:
        for number, canvas in enumerate(self.pages, start=1):
            footer(canvas, number, len(self.pages))
        return [canvas.image for canvas in self.pages]
