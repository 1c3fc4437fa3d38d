"""The sample generator: deterministic, arithmetically sound, readable scans."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import shutil
import subprocess
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from invoiceflow.samples import (
    HELD_OUT_LAYOUTS,
    LAYOUTS,
    build_spec,
    fonts,
    generate_corpus,
    render_invoice,
    scan,
    write_tiff,
)
from invoiceflow.samples.locales import LOCALES, format_date, format_money
from invoiceflow.samples.spec import line_amount

TRUTH_KEYS = {
    "source_file",
    "layout",
    "document_type",
    "vendor",
    "language",
    "currency",
    "invoice_number",
    "issuer_name",
    "issuer_address",
    "issuer_tax_id",
    "customer_name",
    "invoice_date",
    "due_date",
    "subtotal",
    "tax",
    "total",
    "line_items",
    "purchase_order",
    "payment_terms",
    "pages",
    "dpi",
    "bilevel",
}
MONEY = re.compile(r"^\d+\.\d{2}$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_corpus(tmp_path_factory.mktemp("corpus"), count=6, seed=0)


def _truth(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".json").read_text("utf-8"))
    return data


def _frames(path: Path) -> list[Image.Image]:
    with Image.open(path) as image:
        frames = []
        for number in range(image.n_frames):
            image.seek(number)
            frame = image.copy()
            frame.info["compression"] = image.info.get("compression")
            frame.info["dpi"] = image.info.get("dpi")
            frames.append(frame)
    return frames


def test_same_seed_writes_identical_truth_and_pixels(
    corpus: list[Path], tmp_path: Path
) -> None:
    again = generate_corpus(tmp_path, count=6, seed=0)

    for first, second in zip(corpus, again, strict=True):
        first_json = first.with_suffix(".json").read_bytes()
        assert first_json == second.with_suffix(".json").read_bytes()
        first_pixels = [frame.tobytes() for frame in _frames(first)]
        assert first_pixels == [frame.tobytes() for frame in _frames(second)]


def test_another_seed_writes_other_invoices(tmp_path: Path) -> None:
    other = generate_corpus(tmp_path, count=1, layouts=["receipt"], seed=1)
    same_seed = generate_corpus(tmp_path / "zero", count=1, layouts=["receipt"])

    assert _truth(other[0])["invoice_number"] != _truth(same_seed[0])["invoice_number"]


def test_ground_truth_has_exactly_the_agreed_keys_and_value_shapes(
    corpus: list[Path],
) -> None:
    for path in corpus:
        truth = _truth(path)

        assert set(truth) == TRUTH_KEYS
        assert truth["source_file"] == path.name
        assert truth["layout"] in LAYOUTS
        assert truth["document_type"] in {
            "invoice",
            "credit_note",
            "receipt",
            "statement",
        }
        assert truth["language"] in {"en", "pt", "es"}
        assert re.fullmatch(r"[A-Z]{3}", truth["currency"])
        issued = date.fromisoformat(truth["invoice_date"])
        if truth["due_date"] is not None:
            assert date.fromisoformat(truth["due_date"]) > issued


def test_ground_truth_money_adds_up(corpus: list[Path]) -> None:
    for path in corpus:
        truth = _truth(path)
        subtotal, tax, total = (Decimal(truth[k]) for k in ("subtotal", "tax", "total"))

        for item in truth["line_items"]:
            assert MONEY.match(item["unit_price"]) and MONEY.match(item["amount"])
            product = Decimal(item["quantity"]) * Decimal(item["unit_price"])
            expected = product.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert Decimal(item["amount"]) == expected
        assert all(MONEY.match(truth[k]) for k in ("subtotal", "tax", "total"))
        assert subtotal == sum(Decimal(item["amount"]) for item in truth["line_items"])
        assert total == subtotal + tax


def test_line_amount_rounds_half_cents_up() -> None:
    amount = line_amount(Decimal("2.5"), Decimal("55.99"))

    assert amount == Decimal("139.98")


def test_tiffs_hold_the_pages_their_truth_claims(corpus: list[Path]) -> None:
    page_counts = []
    for path in corpus:
        with Image.open(path) as image:
            page_counts.append(image.n_frames)

    assert page_counts == [_truth(path)["pages"] for path in corpus]
    assert max(page_counts) > 1


def test_bilevel_files_are_mode_1_with_group4_at_their_dpi(corpus: list[Path]) -> None:
    bilevel = [path for path in corpus if _truth(path)["bilevel"]]

    assert bilevel
    for path in bilevel:
        dpi = _truth(path)["dpi"]
        for frame in _frames(path):
            assert frame.mode == "1"
            assert frame.info["compression"] == "group4"
            assert frame.info["dpi"] == (dpi, dpi)


def test_grayscale_files_are_mode_l_with_lzw(corpus: list[Path]) -> None:
    grayscale = [path for path in corpus if not _truth(path)["bilevel"]]

    assert grayscale
    for path in grayscale:
        for frame in _frames(path):
            assert frame.mode == "L"
            assert frame.info["compression"] == "tiff_lzw"


def test_six_files_cover_layouts_languages_modes_and_resolutions(
    corpus: list[Path],
) -> None:
    truths = [_truth(path) for path in corpus]

    assert len({truth["layout"] for truth in truths}) >= 3
    assert {truth["bilevel"] for truth in truths} == {True, False}
    assert {truth["language"] for truth in truths} == {"en", "pt", "es"}
    assert {truth["dpi"] for truth in truths} == {200, 300}
    assert HELD_OUT_LAYOUTS & {truth["layout"] for truth in truths}


def test_one_layout_family_is_held_out_of_at_least_five() -> None:
    assert len(LAYOUTS) >= 5
    assert len(HELD_OUT_LAYOUTS) == 1
    assert HELD_OUT_LAYOUTS.issubset(LAYOUTS)
    assert set(LAYOUTS) - HELD_OUT_LAYOUTS


def test_receipts_are_printed_on_an_80_mm_roll(tmp_path: Path) -> None:
    paths = generate_corpus(tmp_path, count=2, seed=3, layouts=["receipt"])

    for path in paths:
        truth = _truth(path)
        with Image.open(path) as image:
            width, height = image.size
        assert truth["document_type"] == "receipt"
        assert width == round(80 / 25.4 * truth["dpi"])
        assert height > width


def test_unknown_layout_is_rejected_with_the_known_ones_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="classic"):
        generate_corpus(tmp_path, count=1, layouts=["poster"])


def test_render_invoice_rejects_a_spec_with_an_unknown_layout() -> None:
    rng = random.Random(0)
    spec = build_spec(rng, layout="classic", vendor_key="acme-office-supply")

    with pytest.raises(ValueError, match="poster"):
        render_invoice(dataclasses.replace(spec, layout="poster"), rng)


def test_scan_and_write_tiff_keep_every_page_and_the_dpi(tmp_path: Path) -> None:
    rng = random.Random(5)
    spec = build_spec(rng, layout="classic", vendor_key="bluefin-freight", dpi=200)
    clean = render_invoice(spec, rng) * 2
    path = tmp_path / "two.tif"

    pages = scan(clean, rng, dpi=200, bilevel=True, skew_degrees=1.2, noise=0.4)
    write_tiff(pages, path, dpi=200, bilevel=True)

    frames = _frames(path)
    assert len(frames) == 2
    assert [frame.size for frame in frames] == [page.size for page in clean]
    assert {frame.info["dpi"] for frame in frames} == {(200, 200)}
    assert list(tmp_path.iterdir()) == [path]


def test_money_and_dates_follow_the_locale() -> None:
    when = date(2026, 12, 3)

    assert format_money(Decimal("1234.5"), LOCALES["en-US"]) == "$1,234.50"
    assert format_money(Decimal("1234.5"), LOCALES["pt-BR"]) == "R$ 1.234,50"
    assert format_money(Decimal("1234.5"), LOCALES["es-ES"]) == "1.234,50 €"
    assert format_date(when, LOCALES["en-US"], "numeric") == "12/03/2026"
    assert format_date(when, LOCALES["es-MX"], "numeric") == "03/12/2026"
    assert format_date(when, LOCALES["pt-BR"], "long") == "3 de dezembro de 2026"


def test_missing_fonts_raise_a_hint_to_install_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(fonts, "_FONT_DIRS", (str(tmp_path),))
    fonts.typeface.cache_clear()
    fonts._font_files.cache_clear()

    try:
        with pytest.raises(
            RuntimeError, match="fonts-dejavu-core and fonts-liberation"
        ):
            fonts.typeface("dejavu-sans")
    finally:
        monkeypatch.undo()
        fonts.typeface.cache_clear()
        fonts._font_files.cache_clear()


def test_bilevel_300_dpi_scan_is_readable_by_tesseract(
    corpus: list[Path], tmp_path: Path
) -> None:
    path = next(
        p
        for p in corpus
        if _truth(p)["bilevel"] and _truth(p)["dpi"] == 300 and _truth(p)["pages"] == 1
    )
    truth = _truth(path)
    page = tmp_path / "page1.png"
    _frames(path)[0].save(page)
    tesseract = shutil.which("tesseract")
    assert tesseract is not None, "install the Debian package tesseract-ocr"

    completed = subprocess.run(
        [tesseract, str(page), "-", "--psm", "3"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        timeout=120,
    )

    assert truth["invoice_number"] in completed.stdout
    assert _total_spellings(truth["total"]) & _tokens(completed.stdout)


def _total_spellings(total: str) -> set[str]:
    whole, cents = total.split(".")
    grouped = f"{int(whole):,}"
    return {
        f"{grouped}.{cents}",
        f"{grouped.replace(',', '.')},{cents}",
        f"{whole}.{cents}",
        f"{whole},{cents}",
    }


def _tokens(text: str) -> set[str]:
    return {token.strip("$€R") for token in text.split()}
