"""Small pages drawn with Pillow and DejaVu, to OCR in tests as if scanned."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def font(size_px: int, name: str = "DejaVuSans.ttf") -> ImageFont.FreeTypeFont:
    """A DejaVu face, found by Pillow in the system font folders."""
    try:
        return ImageFont.truetype(name, size_px)
    except OSError as exc:
        raise FileNotFoundError(f"{name} not found; install fonts-dejavu-core") from exc


def render_page(
    lines: list[str],
    size: tuple[int, int] = (1400, 700),
    font_px: int = 40,
    font_name: str = "DejaVuSans.ttf",
) -> Image.Image:
    """Black text on white, one string per line, tagged as a 300 dpi scan."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    face = font(font_px, font_name)
    for number, text in enumerate(lines):
        draw.text((60, 60 + number * int(font_px * 1.8)), text, font=face, fill=0)
    image.info["dpi"] = (300, 300)
    return image


def dotted(image: Image.Image, pitch_px: int = 4, dot_px: int = 2) -> Image.Image:
    """The page as a dot-matrix printer would strike it: ink only on a grid."""
    pixels = np.asarray(image).copy()
    rows, columns = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    on_grid = (rows % pitch_px < dot_px) & (columns % pitch_px < dot_px)
    pixels[~on_grid] = 255
    result = Image.fromarray(pixels)
    result.info["dpi"] = image.info.get("dpi", (300, 300))
    return result
