"""Page images made ready for Tesseract, and word boxes mapped back to the page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from invoiceflow.models import OcrWord
from invoiceflow.ocr.skew import estimate_skew_degrees, small_gray

__all__ = [
    "DEFAULT_DPI",
    "PreparedPage",
    "dot_joined_images",
    "prepare_page",
    "to_page_boxes",
    "turned_page",
]

DEFAULT_DPI = 300
_DPI_RANGE = (200, 400)
_SKEW_MIN_DEGREES = 0.3
# Below this Tesseract follows the slanted lines itself and only the word
# boxes are turned; above it the page is resampled, which costs 0.1 s and the
# speed of 1-bit input.
_ROTATE_IMAGE_DEGREES = 2.0
_BLANK_INK_RATIO = 0.0005


@dataclass(frozen=True)
class PreparedPage:
    """A page image ready for Tesseract and how to map its boxes back."""

    image: Image.Image
    gray: Image.Image
    dpi: int
    scale: float
    ink_ratio: float
    skew_degrees: float
    box_skew_degrees: float = 0.0

    @property
    def is_blank(self) -> bool:
        """Whether the page holds too little ink to be worth reading."""
        return self.ink_ratio < _BLANK_INK_RATIO


def prepare_page(image: Image.Image) -> PreparedPage:
    """Gray page near 300 dpi with its skew removed."""
    gray = _as_gray(image)
    dpi = _image_dpi(image)
    scale = 1.0
    if not _DPI_RANGE[0] <= dpi <= _DPI_RANGE[1]:
        scale = DEFAULT_DPI / dpi
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        dpi = DEFAULT_DPI

    small = np.asarray(small_gray(gray, 800))
    ink_ratio = float(np.count_nonzero(small < 160)) / max(1, small.size)
    skew = estimate_skew_degrees(gray) if ink_ratio >= _BLANK_INK_RATIO else 0.0
    if abs(skew) < _SKEW_MIN_DEGREES:
        skew = 0.0
    rotate_image = abs(skew) >= _ROTATE_IMAGE_DEGREES
    if rotate_image:
        gray = gray.rotate(
            -skew, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=False
        )

    # Tesseract reads a 1-bit page faster than its gray copy (no thresholding),
    # so a bilevel scan goes in as it came unless it had to be resampled.
    untouched = scale == 1.0 and not rotate_image and image.mode == "1"
    return PreparedPage(
        image=image if untouched else gray,
        gray=gray,
        dpi=dpi,
        scale=scale,
        ink_ratio=ink_ratio,
        skew_degrees=skew,
        box_skew_degrees=0.0 if rotate_image else skew,
    )


def turned_page(prepared: PreparedPage, rotation: int) -> PreparedPage:
    """The prepared page turned by `rotation` degrees counter-clockwise."""
    # Boxes of a turned page are not straightened: a page that is turned and
    # also skewed by less than 2 degrees keeps its word boxes tilted by that
    # skew. After a half turn the skew is unchanged and could be kept; after a
    # quarter turn it would have to be measured again.
    return PreparedPage(
        image=prepared.image.rotate(rotation, expand=True),
        gray=prepared.gray.rotate(rotation, expand=True),
        dpi=prepared.dpi,
        scale=prepared.scale,
        ink_ratio=prepared.ink_ratio,
        skew_degrees=prepared.skew_degrees,
    )


def to_page_boxes(words: list[OcrWord], prepared: PreparedPage) -> list[OcrWord]:
    """Words with boxes moved from the prepared image to the page as given."""
    if prepared.box_skew_degrees:
        size = (prepared.image.width, prepared.image.height)
        words = [_straightened(w, prepared.box_skew_degrees, size) for w in words]
    if prepared.scale != 1.0:
        words = [_rescaled(word, 1 / prepared.scale) for word in words]
    return words


def dot_joined_images(prepared: PreparedPage) -> Iterator[Image.Image]:
    """The gray page with its dots joined into strokes, gentlest filter first.

    Dot-matrix and thermal prints break glyphs into dots that page
    segmentation does not take for text; a minimum filter grows the dark
    dots into strokes, in steps sized to the scan's resolution.
    """
    for size in _filter_sizes(prepared.dpi):
        yield prepared.gray.filter(ImageFilter.MinFilter(size))


def _as_gray(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # Pillow clips 16-bit samples when converting to 8 bits; scale instead.
        wide = np.asarray(image.convert("I"), dtype=np.float64)
        peak = 65535.0 if wide.max(initial=0) > 255 else 255.0
        return Image.fromarray((wide * (255.0 / peak)).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image.convert("RGBA")).convert("L")
    return image.convert("L")


def _image_dpi(image: Image.Image) -> int:
    # Fax pages with unequal resolutions (204 x 98 dpi) are read with their
    # squashed pixels as they are; resampling them to square pixels first
    # would need separate x and y scales for the word boxes.
    dpi = image.info.get("dpi")
    try:
        value = round(float(min(dpi)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_DPI
    # Pages without a resolution tag report 1 or 72 dpi; trust only real values.
    return value if value >= 100 else DEFAULT_DPI


def _filter_sizes(dpi: int) -> list[int]:
    sizes = []
    for size_at_300 in (3, 5):
        size = max(3, round(size_at_300 * dpi / DEFAULT_DPI))
        sizes.append(size if size % 2 else size + 1)
    return sorted(set(sizes))


def _straightened(word: OcrWord, skew_degrees: float, size: tuple[int, int]) -> OcrWord:
    """The word's box moved as if the page had been turned by -`skew_degrees`."""
    left, top, right, bottom = word.bbox
    centre_x, centre_y = size[0] / 2, size[1] / 2
    dx = (left + right) / 2 - centre_x
    dy = (top + bottom) / 2 - centre_y
    theta = np.radians(-skew_degrees)
    # Pillow turns counter-clockwise on screen, with y growing downwards.
    new_x = centre_x + dx * np.cos(theta) + dy * np.sin(theta)
    new_y = centre_y - dx * np.sin(theta) + dy * np.cos(theta)
    half_w, half_h = (right - left) / 2, (bottom - top) / 2
    box = (
        round(new_x - half_w),
        round(new_y - half_h),
        round(new_x + half_w),
        round(new_y + half_h),
    )
    return word.model_copy(update={"bbox": box})


def _rescaled(word: OcrWord, factor: float) -> OcrWord:
    box = tuple(round(v * factor) for v in word.bbox)
    return word.model_copy(update={"bbox": box})
