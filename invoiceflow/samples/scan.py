"""Scanner effects on clean pages (skew, blur, grain, dust) and multi-page TIFFs."""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from pathlib import Path
from statistics import NormalDist

from PIL import Image, ImageChops, ImageDraw, ImageFilter

_MM_PER_INCH = 25.4
# Grain sigma in grey levels at noise 1. Bilevel scans take more, since the
# threshold turns it into ragged stroke edges rather than grey speckle.
_MAX_GRAIN_SIGMA = {True: 34.0, False: 10.0}
_SPECKS_PER_SQUARE_INCH = 5.0


def scan(
    pages: Sequence[Image.Image],
    rng: random.Random,
    *,
    dpi: int,
    bilevel: bool,
    skew_degrees: float,
    noise: float,
) -> list[Image.Image]:
    """Make clean pages look fed through an office scanner.

    `noise` runs from 0 (clean) to 1 (a poor scan) and scales both the grain
    and the dust. Every sheet after the first is skewed a little differently
    from `skew_degrees`, as a document feeder does. Pages come back in mode
    "1" when `bilevel`, else in mode "L".
    """
    scanned = []
    for number, page in enumerate(pages):
        skew = skew_degrees if number == 0 else skew_degrees + rng.uniform(-0.4, 0.4)
        scanned.append(_scan_page(page, rng, dpi, bilevel, skew, noise))
    return scanned


def write_tiff(
    pages: Sequence[Image.Image], path: Path, *, dpi: int, bilevel: bool
) -> None:
    """Write all pages to one TIFF: CCITT group 4 when bilevel, else 8-bit LZW.

    The file appears under its name only once complete, so a watcher never
    picks up half a scan.
    """
    mode = "1" if bilevel else "L"
    frames = [page if page.mode == mode else _to_mode(page, mode) for page in pages]
    partial = path.with_name(f".{path.name}.partial")

    frames[0].save(
        partial,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="group4" if bilevel else "tiff_lzw",
        dpi=(dpi, dpi),
    )
    os.replace(partial, path)


def _scan_page(
    page: Image.Image,
    rng: random.Random,
    dpi: int,
    bilevel: bool,
    skew_degrees: float,
    noise: float,
) -> Image.Image:
    page = _dust(page.convert("L"), rng, dpi, noise)
    blur_px = rng.uniform(0.45, 0.85) * dpi / 300
    page = page.filter(ImageFilter.GaussianBlur(blur_px))
    # Bilinear is twice as fast as bicubic here and the blur hides the difference.
    page = page.rotate(skew_degrees, resample=Image.Resampling.BILINEAR, fillcolor=255)
    if rng.random() < 0.2:
        page = _scanner_edge(page, rng, dpi)

    sigma = 2 + noise * _MAX_GRAIN_SIGMA[bilevel]
    if bilevel:
        return _threshold(_grain(page, rng, sigma), rng.randint(130, 165))

    ink, paper = rng.randint(15, 55), rng.randint(222, 246)
    page = _grain(_tone(page, ink, paper), rng, sigma)
    if rng.random() < 0.5:
        page = _flatten_background(page, paper, round(paper - 3 * sigma))
    return page


def _dust(page: Image.Image, rng: random.Random, dpi: int, noise: float) -> Image.Image:
    # Dust on the glass shows as dark specks of a fraction of a millimetre.
    area_square_inches = page.width * page.height / dpi**2
    specks = int(noise * _SPECKS_PER_SQUARE_INCH * area_square_inches)
    draw = ImageDraw.Draw(page)
    for _ in range(specks):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        radius = rng.uniform(0.05, 0.18) * dpi / _MM_PER_INCH
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=rng.randint(0, 90)
        )
    return page


def _scanner_edge(page: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    # A sheet fed slightly off the guide leaves the dark scanner lid visible
    # along its left or right edge.
    depth = round(rng.uniform(0.6, 2.5) * dpi / _MM_PER_INCH)
    left = rng.choice((0, page.width - depth))
    box = (left, 0, left + depth, page.height)
    ImageDraw.Draw(page).rectangle(box, fill=rng.randint(20, 70))
    return page


def _tone(page: Image.Image, ink: int, paper: int) -> Image.Image:
    # Scanned paper is never pure white, nor toner pure black.
    scale = (paper - ink) / 255
    return page.point([round(ink + value * scale) for value in range(256)])


def _flatten_background(page: Image.Image, paper: int, level: int) -> Image.Image:
    # Office scanners' background removal: a flat paper tone keeps LZW files a
    # tenth the size of raw grain, which otherwise costs about 6 MB a page.
    return page.point([paper if value >= level else value for value in range(256)])


def _grain(page: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    # Pillow's effect_noise draws from the C library's global generator, so
    # the grain comes from the seeded rng as bytes mapped onto a normal curve.
    normal = NormalDist(128, sigma)
    table = [
        min(255, max(0, round(normal.inv_cdf((level + 0.5) / 256))))
        for level in range(256)
    ]
    uniform = Image.frombytes("L", page.size, rng.randbytes(page.width * page.height))
    return ImageChops.add(page, uniform.point(table), scale=1.0, offset=-128)


def _threshold(page: Image.Image, level: int) -> Image.Image:
    return page.point([255 if value >= level else 0 for value in range(256)], "1")


def _to_mode(page: Image.Image, mode: str) -> Image.Image:
    if mode == "1":
        return _threshold(page.convert("L"), 128)
    return page.convert(mode)
