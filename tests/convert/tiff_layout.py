"""Reads and writes TIFF directories byte by byte, for files Pillow cannot write."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

# TIFF field types, by the numbers the specification gives them.
BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, LONG8 = 1, 2, 3, 4, 5, 7, 16
_FORMATS = {BYTE: "B", SHORT: "H", LONG: "I", LONG8: "Q"}
_SIZES = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1, LONG8: 8}

WIDTH, LENGTH, BITS, COMPRESSION, PHOTOMETRIC = 256, 257, 258, 259, 262
FILL_ORDER, STRIP_OFFSETS, ORIENTATION, SAMPLES = 266, 273, 274, 277
ROWS_PER_STRIP, STRIP_BYTES, X_RES, Y_RES, PLANAR = 278, 279, 282, 283, 284
RES_UNIT, TILE_WIDTH, TILE_LENGTH, TILE_OFFSETS, TILE_BYTES = 296, 322, 323, 324, 325
SUBFILE_TYPE, EXTRA_SAMPLES, YCBCR_SUBSAMPLING = 254, 338, 530
_LAYOUT_TAGS = {
    WIDTH,
    LENGTH,
    STRIP_OFFSETS,
    STRIP_BYTES,
    ROWS_PER_STRIP,
    TILE_WIDTH,
    TILE_LENGTH,
    TILE_OFFSETS,
    TILE_BYTES,
}

Tags = dict[int, tuple[int, Any]]
"""Tag number -> (field type, values); bytes for BYTE, ASCII and UNDEFINED."""


@dataclass
class RawPage:
    """One image file directory and its pixel data, ready to be laid out."""

    width: int
    height: int
    tags: Tags
    chunks: list[bytes]
    tile_size: tuple[int, int] | None = None
    rows_per_strip: int | None = None


def read_first_page(data: bytes) -> RawPage:
    """Parse the first directory of a TIFF into a RawPage, data included."""
    order = "<" if data[:2] == b"II" else ">"
    bigtiff = struct.unpack(order + "H", data[2:4])[0] == 43
    offset_format = "Q" if bigtiff else "I"
    ifd = struct.unpack_from(order + offset_format, data, 8 if bigtiff else 4)[0]

    count_format, entry_size = ("Q", 20) if bigtiff else ("H", 12)
    (count,) = struct.unpack_from(order + count_format, data, ifd)
    first_entry = ifd + (8 if bigtiff else 2)
    tags: Tags = {}
    for index in range(count):
        position = first_entry + index * entry_size
        tag, kind, values = _read_entry(data, position, order, bigtiff)
        tags[tag] = (kind, values)

    return _raw_page_from_tags(data, tags)


def _read_entry(
    data: bytes, position: int, order: str, bigtiff: bool
) -> tuple[int, int, Any]:
    header_format = "HHQ" if bigtiff else "HHI"
    tag, kind, count = struct.unpack_from(order + header_format, data, position)
    value_position = position + (12 if bigtiff else 8)
    size = _SIZES[kind] * count
    if size > (8 if bigtiff else 4):
        offset_format = "Q" if bigtiff else "I"
        (value_position,) = struct.unpack_from(
            order + offset_format, data, value_position
        )
    raw = data[value_position : value_position + size]

    if kind in (ASCII, UNDEFINED):
        return tag, kind, raw
    if kind == RATIONAL:
        numbers = struct.unpack(f"{order}{2 * count}I", raw)
        return tag, kind, tuple(zip(numbers[::2], numbers[1::2], strict=True))
    return tag, kind, struct.unpack(f"{order}{count}{_FORMATS[kind]}", raw)


def _raw_page_from_tags(data: bytes, tags: Tags) -> RawPage:
    width = tags[WIDTH][1][0]
    height = tags[LENGTH][1][0]
    tiled = TILE_OFFSETS in tags
    offsets = tags[TILE_OFFSETS if tiled else STRIP_OFFSETS][1]
    sizes = tags[TILE_BYTES if tiled else STRIP_BYTES][1]
    chunks = [data[o : o + n] for o, n in zip(offsets, sizes, strict=True)]

    page = RawPage(
        width=width,
        height=height,
        tags={tag: value for tag, value in tags.items() if tag not in _LAYOUT_TAGS},
        chunks=chunks,
    )
    if tiled:
        page.tile_size = (tags[TILE_WIDTH][1][0], tags[TILE_LENGTH][1][0])
    else:
        page.rows_per_strip = tags.get(ROWS_PER_STRIP, (LONG, (height,)))[1][0]
    return page


def write_tiff(
    pages: list[RawPage],
    *,
    big_endian: bool = False,
    bigtiff: bool = False,
    loop_to_first: bool = False,
) -> bytes:
    """Lay pages out as one TIFF; `loop_to_first` points the last IFD at the first."""
    order = ">" if big_endian else "<"
    out = bytearray(b"MM" if big_endian else b"II")
    if bigtiff:
        out += struct.pack(order + "HHHQ", 43, 8, 0, 0)
        pointer_at = 8
    else:
        out += struct.pack(order + "HI", 42, 0)
        pointer_at = 4

    first_ifd = 0
    for page in pages:
        ifd, pointer_at = _append_page(out, page, order, bigtiff, pointer_at)
        first_ifd = first_ifd or ifd

    if loop_to_first:
        _patch_offset(out, pointer_at, first_ifd, order, bigtiff)
    return bytes(out)


def _append_page(
    out: bytearray, page: RawPage, order: str, bigtiff: bool, pointer_at: int
) -> tuple[int, int]:
    chunk_offsets = []
    for chunk in page.chunks:
        _align(out)
        chunk_offsets.append(len(out))
        out += chunk

    offset_kind = LONG8 if bigtiff else LONG
    tags = dict(page.tags)
    tags[WIDTH] = (LONG, (page.width,))
    tags[LENGTH] = (LONG, (page.height,))
    sizes = tuple(len(chunk) for chunk in page.chunks)
    if page.tile_size:
        tags[TILE_WIDTH] = (LONG, (page.tile_size[0],))
        tags[TILE_LENGTH] = (LONG, (page.tile_size[1],))
        tags[TILE_OFFSETS] = (offset_kind, tuple(chunk_offsets))
        tags[TILE_BYTES] = (offset_kind, sizes)
    else:
        tags[ROWS_PER_STRIP] = (LONG, (page.rows_per_strip or page.height,))
        tags[STRIP_OFFSETS] = (offset_kind, tuple(chunk_offsets))
        tags[STRIP_BYTES] = (offset_kind, sizes)

    _align(out)
    ifd = len(out)
    _patch_offset(out, pointer_at, ifd, order, bigtiff)
    next_pointer = _append_ifd(out, tags, order, bigtiff)
    return ifd, next_pointer


def _append_ifd(out: bytearray, tags: Tags, order: str, bigtiff: bool) -> int:
    entry_size, inline_size = (20, 8) if bigtiff else (12, 4)
    count_format = "Q" if bigtiff else "H"
    pointer_size = 8 if bigtiff else 4
    start = len(out)
    extra_at = start + struct.calcsize(count_format) + entry_size * len(tags)
    extra_at += pointer_size

    entries = bytearray(struct.pack(order + count_format, len(tags)))
    extra = bytearray()
    for tag in sorted(tags):
        kind, values = tags[tag]
        payload = _encode_values(kind, values, order)
        count = len(payload) // _SIZES[kind]
        if len(payload) <= inline_size:
            field_value = payload.ljust(inline_size, b"\x00")
        else:
            field_value = _pack_offset(extra_at + len(extra), order, bigtiff)
            extra += payload + (b"\x00" if len(payload) % 2 else b"")
        header = struct.pack(order + ("HHQ" if bigtiff else "HHI"), tag, kind, count)
        entries += header + field_value

    out += entries
    next_pointer = len(out)
    out += bytes(pointer_size)
    out += extra
    return next_pointer


def _encode_values(kind: int, values: Any, order: str) -> bytes:
    if kind in (ASCII, UNDEFINED) or isinstance(values, bytes):
        return bytes(values)
    if kind == RATIONAL:
        flat = [number for pair in values for number in pair]
        return struct.pack(f"{order}{len(flat)}I", *flat)
    return struct.pack(f"{order}{len(values)}{_FORMATS[kind]}", *values)


def _pack_offset(offset: int, order: str, bigtiff: bool) -> bytes:
    return struct.pack(order + ("Q" if bigtiff else "I"), offset)


def _patch_offset(
    out: bytearray, at: int, offset: int, order: str, bigtiff: bool
) -> None:
    packed = _pack_offset(offset, order, bigtiff)
    out[at : at + len(packed)] = packed


def _align(out: bytearray) -> None:
    if len(out) % 2:
        out += b"\x00"
