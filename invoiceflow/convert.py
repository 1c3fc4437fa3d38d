"""Convert stage: every page of an uploaded TIFF becomes its own PNG."""

from __future__ import annotations

import hashlib
import io
import logging
import math
import struct
import time
from collections.abc import Callable
from typing import Any

from PIL import Image, TiffImagePlugin

from invoiceflow.errors import (
    CorruptInputError,
    LimitExceededError,
    UnsupportedInputError,
)
from invoiceflow.models import ConvertedPage, ConvertManifest, UploadRef
from invoiceflow.naming import page_object_name
from invoiceflow.png_encode import encode_png, png_ready
from invoiceflow.settings import ConvertLimits
from invoiceflow.tiff_detect import SNIFF_BYTES, sniff_format

__all__ = ["PageWriter", "convert_tiff", "page_object_name", "sniff_format"]

logger = logging.getLogger(__name__)

PageWriter = Callable[[str, bytes], None]
"""Stores one page: called with the object name and the PNG bytes."""

_BIG_ENDIAN_BIGTIFF = b"MM\x00+"

_NEW_SUBFILE_TYPE = 254
_OLD_SUBFILE_TYPE = 255
_X_RESOLUTION = 282
_Y_RESOLUTION = 283
_RESOLUTION_UNIT = 296
_ORIENTATION = 274
_ICC_PROFILE = 34675

# NewSubfileType bit 0 marks a reduced-resolution copy (a thumbnail), bit 2 a
# transparency mask; neither is a page of the document.
_NOT_A_PAGE_BITS = 0b101
_OLD_REDUCED_RESOLUTION = 2
# Orientations 5 to 8 turn the page by a quarter, so x and y resolution swap.
_QUARTER_TURN_ORIENTATIONS = frozenset({5, 6, 7, 8})

# Pillow reports malformed TIFF structure and data through several built-in
# exception types rather than one of its own.
_PILLOW_READ_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    TypeError,
    KeyError,
    IndexError,
    ZeroDivisionError,
)


def convert_tiff(
    data: bytes,
    source: UploadRef,
    write_page: PageWriter,
    *,
    processed_bucket: str,
    limits: ConvertLimits | None = None,
) -> ConvertManifest:
    """Write each page of a TIFF as a PNG and describe what was written.

    Every page header is checked against `limits` before the first page is
    decoded, so a file that breaks a limit writes nothing. Pages are then
    decoded, encoded and handed to `write_page` one at a time, so memory holds
    one page, not the document. A page that turns out corrupt while decoding
    stops the stage; pages written before it stay where they are, under this
    upload's generation, where no later upload can pick them up.

    Errors raised by `write_page` (network, storage) pass through unchanged so
    the caller can retry them.

    Raises:
        UnsupportedInputError: the upload is not a TIFF (`kind` "not_tiff"),
            or a page uses a colour space this stage does not convert.
        LimitExceededError: a byte, page or pixel limit is broken.
        CorruptInputError: a page header or its image data cannot be read.
    """
    limits = limits or ConvertLimits()
    started = time.perf_counter()
    logger.info("convert started: %s (%d bytes)", source.uri, len(data))

    _check_source(data, source, limits)
    tiff = _open_tiff(data, source)
    frames = _plan_pages(tiff, source, limits)

    pages: list[ConvertedPage] = []
    for page_number, frame in enumerate(frames, start=1):
        page, png = _convert_page(tiff, frame, page_number, source, limits)
        write_page(page.object_name, png)
        pages.append(page)

    manifest = ConvertManifest(
        source=source.uri,
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_bytes=len(data),
        processed_bucket=processed_bucket,
        pages=pages,
    )
    logger.info(
        "convert finished: %s, %d pages in %.2f s",
        source.uri,
        len(pages),
        time.perf_counter() - started,
    )
    return manifest


def _check_source(data: bytes, source: UploadRef, limits: ConvertLimits) -> None:
    if len(data) > limits.max_source_bytes:
        raise LimitExceededError(
            f"{source.uri} is {len(data)} bytes, over the limit of "
            f"{limits.max_source_bytes} (INVOICEFLOW_CONVERT_MAX_SOURCE_BYTES); "
            "check that the upload is a scanned invoice, or raise the limit",
            kind="source_bytes_limit",
        )

    kind = sniff_format(data[:SNIFF_BYTES])
    if kind not in ("tiff", "bigtiff"):
        raise UnsupportedInputError(
            f"{source.uri} is {kind}, not a TIFF; the pipeline accepts TIFF "
            "scans only, so re-export or re-scan the document as TIFF",
            kind="not_tiff",
        )

    # Pillow 13 looks for the BigTIFF marker where little-endian files keep
    # it and so misreads big-endian BigTIFF as a damaged classic TIFF. Such
    # files are rare (BigTIFF is for files over 4 GiB); a Pillow that reads
    # them would lift this.
    if data.startswith(_BIG_ENDIAN_BIGTIFF):
        raise UnsupportedInputError(
            f"{source.uri} is a big-endian BigTIFF, which the decoder cannot "
            "read; re-save it as a classic TIFF or a little-endian BigTIFF",
            kind="unsupported_tiff",
        )


def _open_tiff(data: bytes, source: UploadRef) -> TiffImagePlugin.TiffImageFile:
    # The TIFF class is built directly rather than through Image.open, which
    # would add its own decompression-bomb check on the first page only; the
    # pixel budget is checked here, on every page, from the header.
    try:
        return TiffImagePlugin.TiffImageFile(io.BytesIO(data))
    except _PILLOW_READ_ERRORS as exc:
        raise CorruptInputError(
            f"{source.uri}: the header of page 1 cannot be read ({exc}); "
            "the file is damaged or truncated, re-scan or re-upload it"
        ) from exc


def _plan_pages(
    tiff: TiffImagePlugin.TiffImageFile, source: UploadRef, limits: ConvertLimits
) -> list[int]:
    """Frames holding document pages, after checking every header against limits."""
    frames: list[int] = []
    # Real files carry at most one reduced-resolution copy per page, so twice
    # the page budget bounds the walk over a file of endless tiny images.
    max_frames = 2 * limits.max_pages

    frame = 0
    while _seek_header(tiff, frame, len(frames) + 1, source):
        if frame >= max_frames:
            raise _page_limit_error(
                source, limits, f"{max_frames} images (pages, thumbnails, masks)"
            )
        if _is_document_page(tiff):
            if len(frames) == limits.max_pages:
                raise _page_limit_error(source, limits, f"{limits.max_pages} pages")
            _check_page_header(tiff, len(frames) + 1, source, limits)
            frames.append(frame)
        else:
            logger.debug(
                "%s: image %d is a thumbnail or mask, skipped", source.uri, frame
            )
        frame += 1

    if not frames:
        raise CorruptInputError(
            f"{source.uri} holds no full-resolution page, only thumbnails or "
            "masks; re-scan or re-export the document"
        )
    return frames


def _seek_header(
    tiff: TiffImagePlugin.TiffImageFile,
    frame: int,
    page_number: int,
    source: UploadRef,
) -> bool:
    try:
        tiff.seek(frame)
    except EOFError:
        return False
    except _PILLOW_READ_ERRORS as exc:
        raise CorruptInputError(
            f"{source.uri}: the header of page {page_number} cannot be read "
            f"({exc}); the file is damaged or truncated, re-scan or re-upload it"
        ) from exc
    return True


def _page_limit_error(
    source: UploadRef, limits: ConvertLimits, counted: str
) -> LimitExceededError:
    return LimitExceededError(
        f"{source.uri} holds more than {counted}, over what the page limit of "
        f"{limits.max_pages} allows (INVOICEFLOW_CONVERT_MAX_PAGES); split the "
        "document or raise the limit",
        kind="page_limit",
    )


def _is_document_page(tiff: TiffImagePlugin.TiffImageFile) -> bool:
    new_type = tiff.tag_v2.get(_NEW_SUBFILE_TYPE, 0)
    old_type = tiff.tag_v2.get(_OLD_SUBFILE_TYPE, 1)
    if isinstance(new_type, int) and new_type & _NOT_A_PAGE_BITS:
        return False
    return bool(old_type != _OLD_REDUCED_RESOLUTION)


def _check_page_header(
    tiff: TiffImagePlugin.TiffImageFile,
    page_number: int,
    source: UploadRef,
    limits: ConvertLimits,
) -> None:
    width, height = tiff.size
    if width < 1 or height < 1:
        raise CorruptInputError(
            f"{source.uri}: page {page_number} declares a size of "
            f"{width}x{height} pixels; the file is damaged, re-scan it"
        )

    if width * height > limits.max_pixels_per_page:
        raise LimitExceededError(
            f"{source.uri}: page {page_number} is {width}x{height} = "
            f"{width * height} pixels, over the limit of "
            f"{limits.max_pixels_per_page} (INVOICEFLOW_CONVERT_MAX_PIXELS_PER_PAGE); "
            "check the scan resolution or raise the limit",
            kind="pixel_limit",
        )


def _convert_page(
    tiff: TiffImagePlugin.TiffImageFile,
    frame: int,
    page_number: int,
    source: UploadRef,
    limits: ConvertLimits,
) -> tuple[ConvertedPage, bytes]:
    _seek_header(tiff, frame, page_number, source)
    # Tags are read before decoding: Pillow applies the orientation while
    # loading and then deletes the tag.
    dpi = _page_dpi(tiff.tag_v2)
    icc_profile = tiff.tag_v2.get(_ICC_PROFILE)
    source_mode = tiff.mode
    compression = tiff.info.get("compression")

    _load_page(tiff, page_number, source, limits)
    image = png_ready(tiff, page_number, source)
    png = encode_png(image, dpi, icc_profile, source_mode, limits.png_compress_level)

    page = ConvertedPage(
        page_number=page_number,
        object_name=page_object_name(source, page_number),
        width=image.width,
        height=image.height,
        dpi=dpi,
        source_mode=source_mode,
        png_mode=image.mode,
        png_bytes=len(png),
        compression=compression,
    )
    logger.debug(
        "%s: page %d %dx%d %s -> %s, %d bytes",
        source.uri,
        page_number,
        page.width,
        page.height,
        source_mode,
        page.png_mode,
        page.png_bytes,
    )
    return page, png


def _page_dpi(
    tags: TiffImagePlugin.ImageFileDirectory_v2,
) -> tuple[float, float] | None:
    """Resolution in dots per inch after orientation, or None when unknown."""
    # Pillow reports (1, 1) dpi for a page without resolution tags, so the
    # tags are read here instead of trusting `info["dpi"]`.
    unit = tags.get(_RESOLUTION_UNIT, 2)
    per_inch = {2: 1.0, 3: 2.54}.get(unit)
    x_resolution = _positive_number(tags.get(_X_RESOLUTION))
    y_resolution = _positive_number(tags.get(_Y_RESOLUTION))
    if per_inch is None or x_resolution is None or y_resolution is None:
        return None

    dpi = (round(x_resolution * per_inch, 2), round(y_resolution * per_inch, 2))

    if tags.get(_ORIENTATION, 1) in _QUARTER_TURN_ORIENTATIONS:
        return dpi[1], dpi[0]
    return dpi


def _positive_number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _load_page(
    tiff: TiffImagePlugin.TiffImageFile,
    page_number: int,
    source: UploadRef,
    limits: ConvertLimits,
) -> None:
    # Loading a TIFF page also runs Pillow's process-wide guard,
    # Image.MAX_IMAGE_PIXELS: a warning above it and DecompressionBombError
    # above twice it. The global is left alone, since other code in the
    # process relies on it; a budget set above the guard's error threshold is
    # therefore capped by it, and reported as the same limit error.
    # Truncated data is caught only while ImageFile.LOAD_TRUNCATED_IMAGES
    # keeps its default, False; code that turns it on for the whole process
    # makes a truncated uncompressed page decode with its missing rows blank.
    try:
        tiff.load()
    except Image.DecompressionBombError as exc:
        raise LimitExceededError(
            f"{source.uri}: page {page_number} is {tiff.width}x{tiff.height} "
            "pixels, over Pillow's process-wide Image.MAX_IMAGE_PIXELS guard "
            f"({Image.MAX_IMAGE_PIXELS}, which caps the configured "
            f"{limits.max_pixels_per_page}); lower the scan resolution or "
            "raise both limits",
            kind="pixel_limit",
        ) from exc
    except _PILLOW_READ_ERRORS as exc:
        raise CorruptInputError(
            f"{source.uri}: page {page_number} cannot be decoded ({exc}); the "
            "file is damaged or truncated, re-scan or re-upload it"
        ) from exc
