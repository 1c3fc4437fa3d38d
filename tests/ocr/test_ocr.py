"""OCR with the real Tesseract: words, boxes, skew, orientation and dot prints."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from invoiceflow.ocr import (
    OcrEngine,
    TessdataNotFoundError,
    estimate_skew_degrees,
    find_tessdata,
    ocr_document,
)
from tests.ocr.rendering import dotted, font, render_page

LINES = ["INVOICE", "Invoice No: INV-1042", "Total due: 1,234.56"]


@pytest.fixture(scope="module")
def engine() -> Iterator[OcrEngine]:
    with OcrEngine() as instance:
        yield instance


def _words(page_text: str) -> set[str]:
    return set(page_text.split())


def test_find_tessdata_names_the_install_command_when_data_is_missing(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "tessdata"
    empty.mkdir()

    with pytest.raises(TessdataNotFoundError) as caught:
        find_tessdata("eng+por", empty)

    assert "apt-get install tesseract-ocr tesseract-ocr-por" in str(caught.value)


def test_find_tessdata_accepts_prefix_pointing_at_the_parent_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = find_tessdata("eng")
    monkeypatch.setenv("TESSDATA_PREFIX", str(installed.parent))

    found = find_tessdata("eng")

    assert found == installed.parent / "tessdata"


def test_importing_ocr_limits_openmp_to_one_thread() -> None:
    env = {key: value for key, value in os.environ.items() if key != "OMP_THREAD_LIMIT"}
    script = "import os, invoiceflow.ocr; print(os.environ['OMP_THREAD_LIMIT'])"

    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True
    )

    assert result.stdout.strip() == "1"


@pytest.mark.parametrize("degrees", [-3.0, 1.5, 4.0])
def test_estimate_skew_degrees_measures_rotated_text(degrees: float) -> None:
    page = render_page(LINES * 3, size=(1400, 1400))
    rotated = page.rotate(degrees, fillcolor=255, expand=True)

    estimate = estimate_skew_degrees(rotated)

    assert estimate == pytest.approx(degrees, abs=0.2)


def test_read_page_returns_words_with_boxes_and_confidences(
    engine: OcrEngine,
) -> None:
    image = render_page(LINES)

    page = engine.read_page(image, page_number=3)

    number = next(word for word in page.words if word.text == "INV-1042")
    left, top, right, bottom = number.bbox
    assert page.page_number == 3
    assert (page.width, page.height) == image.size
    assert 0 <= left < right <= image.width and 0 <= top < bottom <= image.height
    assert number.confidence > 80
    assert {"INVOICE", "1,234.56"} <= _words(page.text)


@pytest.mark.parametrize("degrees", [-1.5, 3.0])
def test_read_page_straightens_a_skewed_scan(engine: OcrEngine, degrees: float) -> None:
    image = render_page(LINES).rotate(degrees, fillcolor=255, expand=True)

    page = engine.read_page(image, page_number=1)

    label = next(word for word in page.words if word.text == "due:")
    value = next(word for word in page.words if word.text == "1,234.56")
    assert page.skew_degrees == pytest.approx(degrees, abs=0.3)
    assert abs(label.bbox[1] - value.bbox[1]) < 8


def test_read_page_turns_an_upside_down_page(engine: OcrEngine) -> None:
    image = render_page(LINES * 2, size=(1400, 1200)).rotate(180)

    page = engine.read_page(image, page_number=1)

    assert page.rotation_degrees == 180
    assert "INV-1042" in _words(page.text)


def test_read_page_joins_the_dots_of_a_dot_matrix_print(engine: OcrEngine) -> None:
    receipt = render_page(
        ["SUPERMERCADO LA ESQUINA", "FOLIO 004512", "TOTAL A PAGAR 136.40"],
        font_name="DejaVuSansMono.ttf",
    )

    page = engine.read_page(dotted(receipt), page_number=1)

    assert {"SUPERMERCADO", "FOLIO", "TOTAL"} <= _words(page.text)


def test_read_page_reads_nothing_on_a_blank_page(engine: OcrEngine) -> None:
    blank = Image.new("L", (1200, 1600), 255)

    page = engine.read_page(blank, page_number=2)

    assert page.words == []


def test_read_page_accepts_sixteen_bit_gray(engine: OcrEngine) -> None:
    eight_bit = np.asarray(render_page(LINES), dtype=np.uint16)
    wide = Image.fromarray(eight_bit * 257)

    page = engine.read_page(wide, page_number=1)

    assert "INV-1042" in _words(page.text)


def test_read_page_maps_boxes_back_from_a_downscaled_600_dpi_scan(
    engine: OcrEngine,
) -> None:
    image = render_page(LINES, size=(2800, 1400), font_px=80)
    image.info["dpi"] = (600, 600)
    printed_right = 60 + font(80).getlength(LINES[1])

    page = engine.read_page(image, page_number=1)

    number = next(word for word in page.words if word.text == "INV-1042")
    assert number.bbox[2] == pytest.approx(printed_right, abs=12)
    assert (page.width, page.height) == (2800, 1400)


def test_ocr_document_keeps_page_order_with_two_workers() -> None:
    images = [render_page([f"Page marker {n}"], size=(1000, 300)) for n in range(4)]

    document = ocr_document("gs://bucket/scan.tif#1", images, workers=2)

    assert document.source == "gs://bucket/scan.tif#1"
    assert [page.page_number for page in document.pages] == [1, 2, 3, 4]
    assert [page.text.split()[-1] for page in document.pages] == ["0", "1", "2", "3"]
