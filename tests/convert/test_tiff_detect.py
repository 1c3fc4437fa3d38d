"""Recognising TIFF, and naming other uploads, from their first bytes."""

from __future__ import annotations

import io

import pytest

from invoiceflow.tiff_detect import sniff_format

from .tiff_corpus import gray_page, pillow_tiff, sample_page


def _saved(image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    sample_page().save(buffer, format=image_format, **options)
    return buffer.getvalue()


def test_sniff_format_recognises_classic_tiff_in_both_byte_orders() -> None:
    little_endian = pillow_tiff(gray_page())
    big_endian = b"MM\x00*\x00\x00\x00\x08" + bytes(8)

    kinds = sniff_format(little_endian), sniff_format(big_endian)

    assert kinds == ("tiff", "tiff")


def test_sniff_format_recognises_bigtiff_in_both_byte_orders() -> None:
    little_endian = pillow_tiff(gray_page(), big_tiff=True)
    big_endian = b"MM\x00+\x00\x08\x00\x00" + bytes(8)

    kinds = sniff_format(little_endian), sniff_format(big_endian)

    assert kinds == ("bigtiff", "bigtiff")


@pytest.mark.parametrize(
    ("image_format", "description"),
    [
        ("PDF", "a PDF document"),
        ("PNG", "a PNG image"),
        ("JPEG", "a JPEG image"),
        ("GIF", "a GIF image"),
        ("BMP", "a BMP image"),
        ("WEBP", "a WebP image"),
        ("JPEG2000", "a JPEG 2000 image"),
        ("AVIF", "an AVIF image"),
    ],
)
def test_sniff_format_names_common_image_and_document_files(
    image_format: str, description: str
) -> None:
    data = _saved(image_format)

    kind = sniff_format(data)

    assert kind == description


@pytest.mark.parametrize(
    ("head", "description"),
    [
        (b"", "an empty file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive or Office document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
        (b"\x1f\x8b\x08\x00", "a gzip archive"),
        (b"\xef\xbb\xbf<!DOCTYPE html>", "an HTML page"),
        (b"<?xml version='1.0'?>", "an XML document"),
        (b"Invoice 2024-001\n", "a text file"),
    ],
    ids=["empty", "zip", "ole", "gzip", "html", "xml", "text"],
)
def test_sniff_format_names_archives_and_text(head: bytes, description: str) -> None:
    kind = sniff_format(head)

    assert kind == description


def test_sniff_format_does_not_take_text_starting_with_bm_for_a_bitmap() -> None:
    head = b"BMW invoice 2024 March"

    kind = sniff_format(head)

    assert kind == "a text file"


def test_sniff_format_reads_text_cut_inside_a_character() -> None:
    head = "Fatura número ção 12".encode()
    assert head[15:17] == "ç".encode()

    kind = sniff_format(head)

    assert kind == "a text file"


def test_sniff_format_shows_the_first_bytes_of_unknown_data() -> None:
    head = bytes([0, 1, 2, 3, 250, 251, 252, 253, 9, 9])

    kind = sniff_format(head)

    assert kind == "data of an unknown type (first bytes 00 01 02 03 fa fb fc fd)"
