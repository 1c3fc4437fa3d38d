"""Recognise a TIFF by its first bytes, and name what an upload is when it is not."""

from __future__ import annotations

import codecs

__all__ = ["SNIFF_BYTES", "sniff_format"]

SNIFF_BYTES = 16
"""How many leading bytes `sniff_format` looks at."""

_TIFF_MAGIC = {
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
    b"II+\x00": "bigtiff",
    b"MM\x00+": "bigtiff",
}

_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image"),
    (b"\xffO\xffQ", "a JPEG 2000 codestream"),
    (b"\x97JB2\r\n\x1a\n", "a JBIG2 image"),
    (b"AT&TFORM", "a DjVu document"),
    (b"%!PS", "a PostScript document"),
    (b"8BPS", "a Photoshop document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive"),
)

_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1"})


def sniff_format(head: bytes) -> str | None:
    """What the first bytes of a file say it is.

    Returns "tiff" (classic) or "bigtiff" for the two TIFF headers in either
    byte order; otherwise a short phrase that fits "the upload is ...", such
    as "a PDF document", "a PNG image" or "an empty file". The first
    `SNIFF_BYTES` bytes are enough; more are ignored.
    """
    head = head[:SNIFF_BYTES]
    if not head:
        return "an empty file"
    if head[:4] in _TIFF_MAGIC:
        return _TIFF_MAGIC[head[:4]]

    for signature, description in _SIGNATURES:
        if head.startswith(signature):
            return description

    return _describe_container(head) or _describe_text(head) or _unknown(head)


def _describe_container(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"avif":
            return "an AVIF image"
        if brand in _HEIF_BRANDS:
            return "a HEIF image"
        return "an MP4 or other ISO media file"
    # "BM" alone would match any text starting with those letters; the size
    # of the header that follows the file header confirms a bitmap.
    info_header_bytes = int.from_bytes(head[14:16], "little")
    if head[:2] == b"BM" and info_header_bytes in _BMP_HEADER_SIZES:
        return "a BMP image"
    return None


def _describe_text(head: bytes) -> str | None:
    # An incremental decoder forgives a character cut off by the 16-byte
    # window, which a plain decode would reject.
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    if not all(char.isprintable() or char in "\t\r\n\f" for char in text):
        return None

    lowered = text.lstrip(" \t\r\n").lower()
    if lowered.startswith(("<!doctype", "<html")):
        return "an HTML page"
    if lowered.startswith("<"):
        return "an XML document"
    return "a text file"


def _unknown(head: bytes) -> str:
    return f"data of an unknown type (first bytes {head[:8].hex(' ')})"
