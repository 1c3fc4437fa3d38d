"""Decoded page images turned into PNG bytes that OCR and viewers read alike."""

from __future__ import annotations

import io

from PIL import Image

from invoiceflow.errors import UnsupportedInputError
from invoiceflow.models import UploadRef

__all__ = ["encode_png", "png_ready"]

_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_PNG_NATIVE_MODES = frozenset({"1", "L", "P", "RGB"})
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})


def png_ready(image: Image.Image, page_number: int, source: UploadRef) -> Image.Image:
    """The page in a PNG mode that OCR and viewers read the same way."""
    mode = image.mode
    if mode in _PNG_NATIVE_MODES:
        return image
    if mode in _SIXTEEN_BIT_MODES:
        return _sixteen_to_eight_bits(image)
    if mode in _ALPHA_MODES:
        return _flatten_on_white(image)
    if mode in ("RGBX", "CMYK", "YCbCr"):
        # CMYK is converted with Pillow's device formula, not through an ICC
        # profile; colours shift a little, text and layout do not.
        return image.convert("RGB")

    raise UnsupportedInputError(
        f"{source.uri}: page {page_number} uses pixel mode {mode}, which the "
        "converter does not turn into PNG; re-export the scan as bilevel, "
        "8- or 16-bit gray, palette, RGB or CMYK",
        kind="unsupported_pixel_mode",
    )


def encode_png(
    image: Image.Image,
    dpi: tuple[float, float] | None,
    icc_profile: bytes | None,
    source_mode: str,
    compress_level: int,
) -> bytes:
    """PNG bytes of `image`, tagged with the scan's resolution and colour profile."""
    # A CMYK profile does not describe the RGB pixels made from it; every
    # other conversion here keeps the colour space the profile describes.
    if source_mode == "CMYK" or not isinstance(icc_profile, bytes):
        icc_profile = None

    buffer = io.BytesIO()
    image.save(
        buffer,
        format="PNG",
        compress_level=compress_level,
        dpi=dpi,
        icc_profile=icc_profile,
    )
    return buffer.getvalue()


def _sixteen_to_eight_bits(image: Image.Image) -> Image.Image:
    # Pillow clips 16-bit samples at 255 when converting to "L", so the range
    # is scaled instead: 65535 / 257 = 255, rounded to the nearest level.
    # Eight bits are all a scan needs, and several readers reject 16-bit PNG.
    wide = image.convert("I")
    return wide.point(lambda value: value * (1 / 257) + 0.5).convert("L")


def _flatten_on_white(image: Image.Image) -> Image.Image:
    # A page is paper: transparent areas become white rather than whatever
    # colour the hidden samples hold, which is often black.
    if image.mode == "La":
        # Pillow converts premultiplied gray only to straight gray and alpha.
        image = image.convert("LA")

    paper = Image.new("RGBA", image.size, "white")
    flat = Image.alpha_composite(paper, image.convert("RGBA")).convert("RGB")

    return flat.convert("L") if image.mode == "LA" else flat
