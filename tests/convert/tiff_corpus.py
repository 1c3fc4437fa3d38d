"""One small TIFF per flavour a scanner or fax writes, with the page it must become."""

from __future__ import annotations

import array
import io
import struct
import zlib
from dataclasses import dataclass, replace
from typing import Any

from PIL import Image, ImageDraw, ImageOps

from .tiff_layout import (
    BITS,
    COMPRESSION,
    EXTRA_SAMPLES,
    FILL_ORDER,
    ORIENTATION,
    PHOTOMETRIC,
    PLANAR,
    RATIONAL,
    RES_UNIT,
    SAMPLES,
    SHORT,
    X_RES,
    Y_RES,
    YCBCR_SUBSAMPLING,
    RawPage,
    Tags,
    read_first_page,
    write_tiff,
)

PAGE_SIZE = (101, 67)
"""Odd on purpose: rows end mid-byte in bilevel data and tiles hang over."""


@dataclass(frozen=True)
class Flavour:
    """A TIFF and what its single page must become as PNG."""

    name: str
    tiff: bytes
    expected: Image.Image
    png_mode: str
    dpi: tuple[float, float] | None = (300.0, 300.0)
    mean_tolerance: float = 0.0


def sample_page() -> Image.Image:
    """A small RGB page: a red mark top left, text bars, a colour ramp."""
    page = Image.new("RGB", PAGE_SIZE, "white")
    draw = ImageDraw.Draw(page)

    draw.rectangle((0, 0, 20, 12), fill=(200, 30, 30))
    draw.rectangle((70, 2, 100, 12), fill=(30, 60, 200))
    for top in range(20, 56, 8):
        draw.rectangle((8, top, 90 - top // 2, top + 3), fill=(20, 20, 20))
    for x in range(PAGE_SIZE[0]):
        draw.line((x, 60, x, 66), fill=(x * 2, 255 - x * 2, 128))

    return page


def bilevel_page() -> Image.Image:
    gray = sample_page().convert("L")
    return gray.point(lambda v: 255 if v > 128 else 0).convert(
        "1", dither=Image.Dither.NONE
    )


def gray_page() -> Image.Image:
    return sample_page().convert("L")


def pillow_tiff(image: Image.Image, **save_options: Any) -> bytes:
    """The image saved as TIFF by Pillow (and libtiff for compressed data)."""
    save_options.setdefault("dpi", (300, 300))
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF", **save_options)
    return buffer.getvalue()


def uncompressed_page(
    image: Image.Image,
    *,
    big_endian: bool = False,
    tile_size: tuple[int, int] | None = None,
    deflate: bool = False,
    extra_tags: Tags | None = None,
) -> RawPage:
    """A page written by hand: strips or tiles, raw or zlib, either byte order."""
    tags = _pixel_tags(image)
    tags.update(_dpi_tags(300.0, 300.0))
    tags[COMPRESSION] = (SHORT, (8 if deflate else 1,))
    tags.update(extra_tags or {})

    if tile_size:
        chunks = [
            _pixel_bytes(image.crop(box), big_endian)
            for box in _tiles(image, tile_size)
        ]
    else:
        chunks = [_pixel_bytes(image, big_endian)]
    if deflate:
        chunks = [zlib.compress(chunk) for chunk in chunks]

    return RawPage(image.width, image.height, tags, chunks, tile_size=tile_size)


def _tiles(
    image: Image.Image, tile_size: tuple[int, int]
) -> list[tuple[int, int, int, int]]:
    tile_width, tile_length = tile_size
    return [
        (left, top, left + tile_width, top + tile_length)
        for top in range(0, image.height, tile_length)
        for left in range(0, image.width, tile_width)
    ]


def _pixel_tags(image: Image.Image) -> Tags:
    layout = {
        "1": (1, (1,)),
        "L": (1, (8,)),
        "La": (1, (8, 8)),
        "I;16": (1, (16,)),
        "RGB": (2, (8, 8, 8)),
    }
    photometric, bits = layout[image.mode]
    tags: Tags = {
        BITS: (SHORT, bits),
        PHOTOMETRIC: (SHORT, (photometric,)),
        SAMPLES: (SHORT, (len(bits),)),
    }
    if image.mode == "La":
        tags[EXTRA_SAMPLES] = (SHORT, (1,))
    return tags


def _pixel_bytes(image: Image.Image, big_endian: bool) -> bytes:
    if image.mode == "I;16":
        return image.tobytes("raw", "I;16B" if big_endian else "I;16")
    return image.tobytes()


def _dpi_tags(x_dpi: float, y_dpi: float, unit: int = 2) -> Tags:
    return {
        X_RES: (RATIONAL, ((round(x_dpi * 100), 100),)),
        Y_RES: (RATIONAL, ((round(y_dpi * 100), 100),)),
        RES_UNIT: (SHORT, (unit,)),
    }


def sixteen_bit_gray_page() -> Image.Image:
    """16-bit samples that scale back exactly to the 8-bit gray page."""
    gray = gray_page()
    wide = Image.new("I;16", gray.size)
    wide.frombytes(array.array("H", [v * 257 for v in gray.tobytes()]).tobytes())
    return wide


def _reverse_bits(data: bytes) -> bytes:
    table = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))
    return data.translate(table)


def fax_page() -> RawPage:
    """Group 4 the way fax software writes it.

    MinIsWhite, bits stored least significant first, 204x196 dpi; the coded
    data comes from libtiff through Pillow, the directory is written here.
    """
    inverted = ImageOps.invert(bilevel_page().convert("L")).convert(
        "1", dither=Image.Dither.NONE
    )
    coded = read_first_page(pillow_tiff(inverted, compression="group4"))

    coded.chunks = [_reverse_bits(chunk) for chunk in coded.chunks]
    coded.tags[PHOTOMETRIC] = (SHORT, (0,))
    coded.tags[FILL_ORDER] = (SHORT, (2,))
    coded.tags.update(_dpi_tags(204.0, 196.0))
    return coded


def scanner_jpeg() -> bytes:
    """The sample page as JPEG with 2x2 chroma subsampling, as scanners encode it."""
    buffer = io.BytesIO()
    sample_page().save(buffer, format="JPEG", quality=95, subsampling="4:2:0")
    return buffer.getvalue()


def jpeg_ycbcr_page() -> RawPage:
    """JPEG-in-TIFF as scanners write it: one YCbCr JPEG stream per strip."""
    tags: Tags = {
        BITS: (SHORT, (8, 8, 8)),
        COMPRESSION: (SHORT, (7,)),
        PHOTOMETRIC: (SHORT, (6,)),
        SAMPLES: (SHORT, (3,)),
        PLANAR: (SHORT, (1,)),
        YCBCR_SUBSAMPLING: (SHORT, (2, 2)),
        **_dpi_tags(300.0, 300.0),
    }
    return RawPage(PAGE_SIZE[0], PAGE_SIZE[1], tags, [scanner_jpeg()])


def sixteen_bit_rgb_page(big_endian: bool) -> RawPage:
    samples = array.array("H", [v * 257 for v in sample_page().tobytes()])
    if big_endian != (struct.pack("=H", 1) == b"\x00\x01"):
        samples.byteswap()
    tags: Tags = {
        BITS: (SHORT, (16, 16, 16)),
        COMPRESSION: (SHORT, (1,)),
        PHOTOMETRIC: (SHORT, (2,)),
        SAMPLES: (SHORT, (3,)),
        **_dpi_tags(300.0, 300.0),
    }
    return RawPage(PAGE_SIZE[0], PAGE_SIZE[1], tags, [samples.tobytes()])


def planar_rgb_page() -> RawPage:
    """RGB stored plane by plane (PlanarConfiguration 2), one strip per plane."""
    page = uncompressed_page(sample_page(), extra_tags={PLANAR: (SHORT, (2,))})
    page.chunks = [band.tobytes() for band in sample_page().split()]
    return page


def _alpha_page(mode: str) -> Image.Image:
    # Transparent pixels hide black samples, the case where a naive
    # conversion paints the page black.
    colour = sample_page() if mode == "RGBA" else gray_page()
    alpha = Image.new("L", PAGE_SIZE, 255)
    ImageDraw.Draw(alpha).rectangle((50, 30, 100, 66), fill=0)
    ImageDraw.Draw(alpha).rectangle((0, 30, 49, 66), fill=128)
    black = Image.new(colour.mode, PAGE_SIZE, 0)
    colour = Image.composite(colour, black, alpha.point(lambda v: 255 if v else 0))
    colour.putalpha(alpha)
    return colour


def _on_white(image: Image.Image) -> Image.Image:
    paper = Image.new("RGBA", image.size, "white")
    flat = Image.alpha_composite(paper, image.convert("RGBA")).convert("RGB")
    return flat.convert("L") if image.mode == "LA" else flat


def _big_endian_sixteen_bit_gray() -> Image.Image:
    wide = sixteen_bit_gray_page()
    return Image.frombytes("I;16B", wide.size, wide.tobytes("raw", "I;16B"))


def _without_resolution(page: RawPage) -> RawPage:
    tags = {t: v for t, v in page.tags.items() if t not in (X_RES, Y_RES, RES_UNIT)}
    return replace(page, tags=tags)


def pillow_flavours() -> list[Flavour]:
    """Flavours Pillow and libtiff write directly."""
    rgb, gray, bilevel = sample_page(), gray_page(), bilevel_page()
    palette = rgb.quantize(colors=16, dither=Image.Dither.NONE)
    cmyk = rgb.convert("CMYK")
    wide = sixteen_bit_gray_page()
    rgba, gray_alpha = _alpha_page("RGBA"), _alpha_page("LA")

    return [
        Flavour("bilevel-raw", pillow_tiff(bilevel), bilevel, "1"),
        Flavour("bilevel-g3", pillow_tiff(bilevel, compression="group3"), bilevel, "1"),
        Flavour("bilevel-g4", pillow_tiff(bilevel, compression="group4"), bilevel, "1"),
        Flavour(
            "bilevel-packbits",
            pillow_tiff(bilevel, compression="packbits"),
            bilevel,
            "1",
        ),
        Flavour("gray8-raw", pillow_tiff(gray), gray, "L"),
        Flavour("gray8-lzw", pillow_tiff(gray, compression="tiff_lzw"), gray, "L"),
        Flavour(
            "gray8-jpeg",
            pillow_tiff(gray, compression="jpeg", quality=95),
            gray,
            "L",
            mean_tolerance=2.0,
        ),
        Flavour("gray16-little-endian", pillow_tiff(wide), gray, "L"),
        Flavour(
            "gray16-big-endian", pillow_tiff(_big_endian_sixteen_bit_gray()), gray, "L"
        ),
        Flavour(
            "gray16-deflate",
            pillow_tiff(wide, compression="tiff_adobe_deflate"),
            gray,
            "L",
        ),
        Flavour(
            "palette-lzw", pillow_tiff(palette, compression="tiff_lzw"), palette, "P"
        ),
        Flavour("rgb-raw", pillow_tiff(rgb), rgb, "RGB"),
        Flavour("rgb-lzw", pillow_tiff(rgb, compression="tiff_lzw"), rgb, "RGB"),
        Flavour(
            "rgb-deflate",
            pillow_tiff(rgb, compression="tiff_adobe_deflate"),
            rgb,
            "RGB",
        ),
        Flavour(
            "rgb-jpeg",
            pillow_tiff(rgb, compression="jpeg", quality=95),
            rgb,
            "RGB",
            mean_tolerance=3.0,
        ),
        Flavour(
            "rgb-many-strips",
            pillow_tiff(rgb, compression="packbits", strip_size=1024),
            rgb,
            "RGB",
        ),
        Flavour(
            "cmyk-lzw",
            pillow_tiff(cmyk, compression="tiff_lzw"),
            cmyk.convert("RGB"),
            "RGB",
        ),
        Flavour(
            "rgba-deflate",
            pillow_tiff(rgba, compression="tiff_adobe_deflate"),
            _on_white(rgba),
            "RGB",
        ),
        Flavour("gray-alpha-raw", pillow_tiff(gray_alpha), _on_white(gray_alpha), "L"),
        Flavour(
            "bigtiff-little-endian",
            pillow_tiff(gray, compression="tiff_lzw", big_tiff=True),
            gray,
            "L",
        ),
    ]


def handmade_flavours() -> list[Flavour]:
    """Flavours Pillow cannot write: big-endian, tiled, fax, YCbCr, planar."""
    rgb, gray, bilevel = sample_page(), gray_page(), bilevel_page()
    wide = sixteen_bit_gray_page()
    inverted_gray = ImageOps.invert(gray)
    premultiplied = _alpha_page("LA").convert("La")
    min_is_white = {PHOTOMETRIC: (SHORT, (0,))}

    return [
        Flavour(
            "fax-g4-min-is-white-lsb-first",
            write_tiff([fax_page()], big_endian=True),
            bilevel,
            "1",
            dpi=(204.0, 196.0),
        ),
        Flavour(
            "jpeg-ycbcr-subsampled",
            write_tiff([jpeg_ycbcr_page()]),
            Image.open(io.BytesIO(scanner_jpeg())).convert("RGB"),
            "RGB",
            mean_tolerance=1.0,
        ),
        Flavour(
            "gray8-min-is-white",
            write_tiff([uncompressed_page(inverted_gray, extra_tags=min_is_white)]),
            gray,
            "L",
        ),
        Flavour(
            "tiled-rgb-big-endian",
            write_tiff(
                [uncompressed_page(rgb, big_endian=True, tile_size=(32, 32))],
                big_endian=True,
            ),
            rgb,
            "RGB",
        ),
        Flavour(
            "tiled-gray-deflate",
            write_tiff([uncompressed_page(gray, tile_size=(16, 48), deflate=True)]),
            gray,
            "L",
        ),
        Flavour(
            "tiled-bilevel",
            write_tiff([uncompressed_page(bilevel, tile_size=(32, 16))]),
            bilevel,
            "1",
        ),
        Flavour(
            "tiled-gray16-big-endian-deflate",
            write_tiff(
                [
                    uncompressed_page(
                        wide, big_endian=True, tile_size=(48, 32), deflate=True
                    )
                ],
                big_endian=True,
            ),
            gray,
            "L",
        ),
        Flavour(
            "rgb16-little-endian",
            write_tiff([sixteen_bit_rgb_page(big_endian=False)]),
            rgb,
            "RGB",
        ),
        Flavour(
            "rgb16-big-endian",
            write_tiff([sixteen_bit_rgb_page(big_endian=True)], big_endian=True),
            rgb,
            "RGB",
        ),
        Flavour("rgb-planar-separate", write_tiff([planar_rgb_page()]), rgb, "RGB"),
        Flavour(
            "gray-premultiplied-alpha",
            write_tiff([uncompressed_page(premultiplied)]),
            _on_white(premultiplied.convert("LA")),
            "L",
        ),
    ]


def orientation_and_resolution_flavours() -> list[Flavour]:
    """Pages stored turned or mirrored, and resolution in every unit."""
    rgb, gray, bilevel = sample_page(), gray_page(), bilevel_page()
    turned_left = {ORIENTATION: (SHORT, (8,)), **_dpi_tags(200.0, 100.0)}
    centimetres = _dpi_tags(118.11, 118.11, unit=3)
    no_unit = _dpi_tags(300.0, 300.0, unit=1)

    return [
        Flavour(
            "orientation-6-rotated",
            pillow_tiff(rgb, tiffinfo={ORIENTATION: 6}, dpi=(300, 150)),
            rgb.transpose(Image.Transpose.ROTATE_270),
            "RGB",
            dpi=(150.0, 300.0),
        ),
        Flavour(
            "orientation-3-upside-down-g4",
            pillow_tiff(bilevel, compression="group4", tiffinfo={ORIENTATION: 3}),
            bilevel.transpose(Image.Transpose.ROTATE_180),
            "1",
        ),
        Flavour(
            "orientation-2-mirrored",
            pillow_tiff(gray, compression="tiff_lzw", tiffinfo={ORIENTATION: 2}),
            gray.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            "L",
        ),
        Flavour(
            "orientation-8-tiled-big-endian",
            write_tiff(
                [
                    uncompressed_page(
                        gray,
                        big_endian=True,
                        tile_size=(32, 32),
                        extra_tags=turned_left,
                    )
                ],
                big_endian=True,
            ),
            gray.transpose(Image.Transpose.ROTATE_90),
            "L",
            dpi=(100.0, 200.0),
        ),
        Flavour(
            "resolution-in-centimetres",
            write_tiff([uncompressed_page(gray, extra_tags=centimetres)]),
            gray,
            "L",
        ),
        Flavour(
            "resolution-without-unit",
            write_tiff([uncompressed_page(gray, extra_tags=no_unit)]),
            gray,
            "L",
            dpi=None,
        ),
        Flavour(
            "no-resolution",
            write_tiff([_without_resolution(uncompressed_page(gray))]),
            gray,
            "L",
            dpi=None,
        ),
    ]


def all_flavours() -> list[Flavour]:
    return (
        pillow_flavours() + handmade_flavours() + orientation_and_resolution_flavours()
    )
