"""Hostile and damaged TIFFs: limits, truncation, garbage, loops."""

from __future__ import annotations

import pytest
from PIL import Image

from invoiceflow.convert import convert_tiff
from invoiceflow.errors import (
    CorruptInputError,
    LimitExceededError,
    UnsupportedInputError,
)
from invoiceflow.models import ConvertManifest, UploadRef
from invoiceflow.settings import ConvertLimits

from .tiff_corpus import (
    bilevel_page,
    gray_page,
    pillow_tiff,
    sample_page,
    uncompressed_page,
)
from .tiff_layout import (
    LONG,
    SUBFILE_TYPE,
    RawPage,
    read_first_page,
    write_tiff,
)

SOURCE = UploadRef(bucket="invoices-input", name="inbox/scan.tif", generation="7")


def _convert(
    data: bytes, written: dict[str, bytes], limits: ConvertLimits | None = None
) -> ConvertManifest:
    return convert_tiff(
        data,
        SOURCE,
        written.__setitem__,
        processed_bucket="invoices-processed",
        limits=limits,
    )


def _g4_page() -> RawPage:
    return read_first_page(pillow_tiff(bilevel_page(), compression="group4"))


def _lzw_page() -> RawPage:
    return read_first_page(pillow_tiff(sample_page(), compression="tiff_lzw"))


def _declaring(page: RawPage, width: int, height: int) -> RawPage:
    """The same data under a header that claims another size."""
    return RawPage(width, height, page.tags, page.chunks)


def test_convert_refuses_a_source_over_the_byte_limit() -> None:
    data = pillow_tiff(gray_page())
    written: dict[str, bytes] = {}

    with pytest.raises(LimitExceededError) as raised:
        _convert(data, written, ConvertLimits(max_source_bytes=len(data) - 1))

    assert raised.value.kind == "source_bytes_limit"
    assert "INVOICEFLOW_CONVERT_MAX_SOURCE_BYTES" in str(raised.value)
    assert written == {}


def test_convert_refuses_a_file_over_the_page_limit_before_writing() -> None:
    data = write_tiff([_g4_page()] * 5)
    written: dict[str, bytes] = {}

    with pytest.raises(LimitExceededError) as raised:
        _convert(data, written, ConvertLimits(max_pages=4))

    assert raised.value.kind == "page_limit"
    assert "more than 4 pages" in str(raised.value)
    assert written == {}


def test_convert_accepts_a_file_exactly_at_the_page_limit() -> None:
    data = write_tiff([_g4_page()] * 4)

    manifest = _convert(data, {}, ConvertLimits(max_pages=4))

    assert manifest.page_count == 4


def test_convert_bounds_the_walk_over_endless_thumbnails() -> None:
    thumbnail = _g4_page()
    thumbnail.tags[SUBFILE_TYPE] = (LONG, (1,))
    data = write_tiff([_g4_page()] + [thumbnail] * 20)

    with pytest.raises(LimitExceededError) as raised:
        _convert(data, {}, ConvertLimits(max_pages=4))

    assert raised.value.kind == "page_limit"
    assert "more than 8 images" in str(raised.value)


def test_convert_refuses_a_pixel_bomb_on_a_later_page_before_writing() -> None:
    bomb = _declaring(_g4_page(), 200_000, 200_000)
    data = write_tiff([_g4_page(), bomb])
    written: dict[str, bytes] = {}

    with pytest.raises(LimitExceededError) as raised:
        _convert(data, written)

    assert raised.value.kind == "pixel_limit"
    message = str(raised.value)
    assert "gs://invoices-input/inbox/scan.tif#7: page 2 is 200000x200000" in message
    assert "INVOICEFLOW_CONVERT_MAX_PIXELS_PER_PAGE" in message
    assert written == {}


def test_convert_accepts_a_page_exactly_at_the_pixel_limit() -> None:
    data = pillow_tiff(gray_page())
    width, height = gray_page().size

    manifest = _convert(data, {}, ConvertLimits(max_pixels_per_page=width * height))

    assert manifest.page_count == 1


def test_convert_refuses_a_page_one_pixel_over_the_limit() -> None:
    data = pillow_tiff(gray_page())
    width, height = gray_page().size

    with pytest.raises(LimitExceededError):
        _convert(data, {}, ConvertLimits(max_pixels_per_page=width * height - 1))


def test_convert_reports_pillows_global_guard_as_a_pixel_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The configured budget allows the page; the process-wide guard does not.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    data = pillow_tiff(gray_page())

    with pytest.raises(LimitExceededError) as raised:
        _convert(data, {})

    assert raised.value.kind == "pixel_limit"
    assert "Image.MAX_IMAGE_PIXELS" in str(raised.value)


def test_convert_leaves_pillows_global_guard_as_it_found_it() -> None:
    before = Image.MAX_IMAGE_PIXELS
    data = pillow_tiff(gray_page(), save_all=True, append_images=[gray_page()])

    _convert(data, {}, ConvertLimits(max_pixels_per_page=10**12))

    assert before == Image.MAX_IMAGE_PIXELS


def test_convert_rejects_an_uncompressed_page_cut_short() -> None:
    data = pillow_tiff(sample_page())

    with pytest.raises(CorruptInputError) as raised:
        _convert(data[: len(data) // 2], {})

    assert "page 1 cannot be decoded" in str(raised.value)
    assert "truncated" in str(raised.value)


def test_convert_rejects_a_compressed_strip_cut_short() -> None:
    page = _lzw_page()
    page.chunks = [page.chunks[0][: len(page.chunks[0]) // 2]]
    data = write_tiff([page])

    with pytest.raises(CorruptInputError, match="page 1 cannot be decoded"):
        _convert(data, {})


def test_convert_rejects_garbage_in_place_of_g4_data() -> None:
    page = _g4_page()
    page.chunks = [bytes(range(256)) * 3]
    data = write_tiff([page])

    with pytest.raises(CorruptInputError, match="page 1 cannot be decoded"):
        _convert(data, {})


def test_convert_names_the_page_whose_header_is_cut_off() -> None:
    data = write_tiff([_g4_page(), _lzw_page()])
    written: dict[str, bytes] = {}

    with pytest.raises(CorruptInputError) as raised:
        _convert(data[:-60], written)

    assert "the header of page 2 cannot be read" in str(raised.value)
    assert written == {}


def test_convert_names_the_corrupt_page_after_writing_the_pages_before_it() -> None:
    broken = _lzw_page()
    broken.chunks = [bytes(len(broken.chunks[0]))]
    data = write_tiff([_g4_page(), broken])
    written: dict[str, bytes] = {}

    with pytest.raises(CorruptInputError) as raised:
        _convert(data, written)

    assert "gs://invoices-input/inbox/scan.tif#7: page 2 cannot be decoded" in str(
        raised.value
    )
    assert list(written) == ["inbox/scan/7/page-0001.png"]


def test_convert_rejects_a_header_pointing_past_the_end() -> None:
    data = b"II*\x00" + (10**6).to_bytes(4, "little") + bytes(64)

    with pytest.raises(CorruptInputError, match="header of page 1 cannot be read"):
        _convert(data, {})


def test_convert_rejects_a_bare_tiff_header() -> None:
    data = b"II*\x00\x08\x00\x00\x00"

    with pytest.raises(CorruptInputError):
        _convert(data, {})


def test_convert_rejects_a_page_of_zero_width() -> None:
    data = write_tiff([_declaring(_g4_page(), 0, 67)])

    with pytest.raises(CorruptInputError, match="page 1"):
        _convert(data, {})


def test_convert_rejects_a_file_of_thumbnails_only() -> None:
    thumbnail = _g4_page()
    thumbnail.tags[SUBFILE_TYPE] = (LONG, (1,))
    data = write_tiff([thumbnail])

    with pytest.raises(CorruptInputError, match="no full-resolution page"):
        _convert(data, {})


@pytest.mark.parametrize("page_count", [1, 2, 3])
def test_convert_reads_each_page_once_when_directories_loop(page_count: int) -> None:
    data = write_tiff([_g4_page()] * page_count, loop_to_first=True)

    manifest = _convert(data, {})

    assert manifest.page_count == page_count


def test_convert_refuses_big_endian_bigtiff_clearly() -> None:
    page = uncompressed_page(gray_page(), big_endian=True)
    data = write_tiff([page], big_endian=True, bigtiff=True)

    with pytest.raises(UnsupportedInputError) as raised:
        _convert(data, {})

    assert raised.value.kind == "unsupported_tiff"
    assert "big-endian BigTIFF" in str(raised.value)


@pytest.mark.parametrize("mode", ["F", "I", "LAB"])
def test_convert_refuses_pixel_modes_it_cannot_turn_into_png(mode: str) -> None:
    source = sample_page() if mode == "LAB" else gray_page()
    data = pillow_tiff(source.convert(mode))

    with pytest.raises(UnsupportedInputError) as raised:
        _convert(data, {})

    assert raised.value.kind == "unsupported_pixel_mode"
    assert f"page 1 uses pixel mode {mode}" in str(raised.value)
