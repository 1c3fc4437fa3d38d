"""The convert stage on every TIFF flavour: pixels, PNG modes, resolution, manifest."""

from __future__ import annotations

import functools
import hashlib
import io
import logging

import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from invoiceflow.convert import convert_tiff
from invoiceflow.errors import UnsupportedInputError
from invoiceflow.models import ConvertManifest, UploadRef
from invoiceflow.settings import ConvertLimits

from .tiff_corpus import (
    all_flavours,
    bilevel_page,
    fax_page,
    gray_page,
    jpeg_ycbcr_page,
    pillow_tiff,
    sample_page,
    scanner_jpeg,
    uncompressed_page,
)
from .tiff_layout import (
    LONG,
    SUBFILE_TYPE,
    read_first_page,
    write_tiff,
)

FLAVOURS = {flavour.name: flavour for flavour in all_flavours()}


def _upload(name: str = "inbox/scan.tif", generation: str = "1712") -> UploadRef:
    return UploadRef(bucket="invoices-input", name=name, generation=generation)


def _convert(
    data: bytes, source: UploadRef | None = None, limits: ConvertLimits | None = None
) -> tuple[ConvertManifest, dict[str, bytes]]:
    written: dict[str, bytes] = {}
    manifest = convert_tiff(
        data,
        source or _upload(),
        written.__setitem__,
        processed_bucket="invoices-processed",
        limits=limits,
    )
    return manifest, written


@functools.cache
def _converted_flavour(name: str) -> tuple[ConvertManifest, Image.Image]:
    manifest, written = _convert(FLAVOURS[name].tiff)
    png = Image.open(io.BytesIO(written[manifest.pages[0].object_name]))
    png.load()
    return manifest, png


def _difference(actual: Image.Image, expected: Image.Image) -> tuple[float, int]:
    """Mean and largest per-sample difference, compared in RGB."""
    difference = ImageChops.difference(actual.convert("RGB"), expected.convert("RGB"))
    stat = ImageStat.Stat(difference)
    largest = max(int(high) for _, high in stat.extrema)
    return max(stat.mean), largest


def _png_header(png: bytes) -> tuple[int, int]:
    """Bit depth and colour type from the PNG's IHDR chunk."""
    return png[24], png[25]


@pytest.mark.parametrize("name", FLAVOURS)
def test_convert_decodes_each_flavour_to_the_expected_pixels(name: str) -> None:
    flavour = FLAVOURS[name]

    _, png = _converted_flavour(name)

    assert png.size == flavour.expected.size
    mean, largest = _difference(png, flavour.expected)
    if flavour.mean_tolerance:
        assert mean <= flavour.mean_tolerance
    else:
        assert largest == 0


@pytest.mark.parametrize("name", FLAVOURS)
def test_convert_writes_each_flavour_in_a_png_mode_readers_accept(name: str) -> None:
    flavour = FLAVOURS[name]

    manifest, png = _converted_flavour(name)

    assert png.mode == flavour.png_mode
    assert manifest.pages[0].png_mode == flavour.png_mode


@pytest.mark.parametrize("name", FLAVOURS)
def test_convert_carries_resolution_into_png_and_manifest(name: str) -> None:
    flavour = FLAVOURS[name]

    manifest, png = _converted_flavour(name)

    assert manifest.pages[0].dpi == flavour.dpi
    if flavour.dpi is None:
        assert "dpi" not in png.info
    else:
        assert png.info["dpi"] == pytest.approx(flavour.dpi, abs=0.02)


def test_convert_keeps_bilevel_pages_one_bit_deep() -> None:
    data = pillow_tiff(bilevel_page(), compression="group4")

    manifest, written = _convert(data)

    bit_depth, colour_type = _png_header(written[manifest.pages[0].object_name])
    assert (bit_depth, colour_type) == (1, 0)


def test_convert_writes_each_page_of_a_mixed_document_in_order() -> None:
    gray_lzw = read_first_page(pillow_tiff(gray_page(), compression="tiff_lzw"))
    tiled_rgb = uncompressed_page(sample_page(), tile_size=(32, 32))
    data = write_tiff([fax_page(), jpeg_ycbcr_page(), tiled_rgb, gray_lzw])
    jpeg_page = Image.open(io.BytesIO(scanner_jpeg()))
    expected = [bilevel_page(), jpeg_page, sample_page(), gray_page()]

    manifest, written = _convert(data)

    assert [page.object_name for page in manifest.pages] == [
        f"inbox/scan/1712/page-000{number}.png" for number in (1, 2, 3, 4)
    ]
    assert list(written) == [page.object_name for page in manifest.pages]
    for page, image in zip(manifest.pages, expected, strict=True):
        png = Image.open(io.BytesIO(written[page.object_name]))
        assert _difference(png, image)[0] <= 1.0


def test_convert_manifest_describes_the_source_and_every_page() -> None:
    data = pillow_tiff(
        sample_page(),
        compression="tiff_lzw",
        save_all=True,
        append_images=[sample_page()],
    )

    manifest, written = _convert(data)

    assert manifest.source == "gs://invoices-input/inbox/scan.tif#1712"
    assert manifest.source_sha256 == hashlib.sha256(data).hexdigest()
    assert manifest.source_bytes == len(data)
    assert manifest.processed_bucket == "invoices-processed"
    assert manifest.page_count == 2
    for number, page in enumerate(manifest.pages, start=1):
        assert page.page_number == number
        assert (page.width, page.height) == sample_page().size
        assert (page.source_mode, page.compression) == ("RGB", "tiff_lzw")
        assert page.png_bytes == len(written[page.object_name])


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("inbox/scan.tif", "inbox/scan"),
        ("inbox/scan.TIFF", "inbox/scan"),
        ("inbox/scan.Tif", "inbox/scan"),
        ("inbox/scan", "inbox/scan"),
        ("inbox/scan.pdf", "inbox/scan"),
    ],
)
def test_convert_detects_tiff_by_content_whatever_the_name(
    name: str, folder: str
) -> None:
    data = pillow_tiff(gray_page())

    manifest, written = _convert(data, _upload(name))

    assert list(written) == [f"{folder}/1712/page-0001.png"]
    assert manifest.page_count == 1


def _other_file(image_format: str) -> bytes:
    buffer = io.BytesIO()
    sample_page().save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "description"),
    [
        (_other_file("PDF"), "is a PDF document"),
        (_other_file("PNG"), "is a PNG image"),
        (_other_file("JPEG"), "is a JPEG image"),
        (b"", "is an empty file"),
        (b"<!DOCTYPE html><html>Not Found</html>", "is an HTML page"),
        (b"PK\x03\x04" + bytes(40), "is a ZIP archive or Office document"),
    ],
    ids=["pdf", "png", "jpeg", "empty", "html", "zip"],
)
def test_convert_rejects_a_non_tiff_upload_naming_what_it_is(
    data: bytes, description: str
) -> None:
    written: dict[str, bytes] = {}

    with pytest.raises(UnsupportedInputError) as raised:
        convert_tiff(
            data,
            _upload("inbox/scan.tif"),
            written.__setitem__,
            processed_bucket="invoices-processed",
        )

    assert raised.value.kind == "not_tiff"
    assert f"gs://invoices-input/inbox/scan.tif#1712 {description}" in str(raised.value)
    assert written == {}


def test_convert_skips_thumbnails_and_transparency_masks() -> None:
    page = read_first_page(pillow_tiff(bilevel_page(), compression="group4"))
    thumbnail = read_first_page(pillow_tiff(bilevel_page().resize((25, 17))))
    thumbnail.tags[SUBFILE_TYPE] = (LONG, (1,))
    mask = read_first_page(pillow_tiff(bilevel_page()))
    mask.tags[SUBFILE_TYPE] = (LONG, (4,))
    data = write_tiff([page, thumbnail, page, mask])

    manifest, written = _convert(data)

    assert manifest.page_count == 2
    assert all(page.width == bilevel_page().width for page in manifest.pages)
    assert len(written) == 2


def test_convert_carries_the_colour_profile_of_an_rgb_scan() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = pillow_tiff(sample_page(), compression="tiff_lzw", icc_profile=profile)

    manifest, written = _convert(data)

    png = Image.open(io.BytesIO(written[manifest.pages[0].object_name]))
    assert png.info["icc_profile"] == profile


def test_convert_drops_a_cmyk_profile_from_the_rgb_page() -> None:
    cmyk = sample_page().convert("CMYK")
    data = pillow_tiff(cmyk, compression="tiff_lzw", icc_profile=b"not rgb profile")

    manifest, written = _convert(data)

    png = Image.open(io.BytesIO(written[manifest.pages[0].object_name]))
    assert png.mode == "RGB"
    assert "icc_profile" not in png.info


def test_convert_honours_the_configured_png_compression_level() -> None:
    data = pillow_tiff(sample_page())

    stored, _ = _convert(data, limits=ConvertLimits(png_compress_level=0))
    squeezed, _ = _convert(data, limits=ConvertLimits(png_compress_level=9))

    assert stored.pages[0].png_bytes > 2 * squeezed.pages[0].png_bytes


def test_convert_logs_start_and_end_with_source_and_page_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = pillow_tiff(gray_page(), save_all=True, append_images=[gray_page()])
    caplog.set_level(logging.INFO, logger="invoiceflow.convert")

    _convert(data)

    messages = [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.INFO
    ]
    assert messages[0].startswith(
        "convert started: gs://invoices-input/inbox/scan.tif#1712"
    )
    assert messages[-1].startswith(
        "convert finished: gs://invoices-input/inbox/scan.tif#1712, 2 pages in "
    )
    assert messages[-1].endswith(" s")
