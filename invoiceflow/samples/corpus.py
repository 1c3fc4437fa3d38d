"""Writes a seeded corpus of scanned sample invoices with ground truth beside each."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from invoiceflow.samples.layouts import LAYOUTS, render_invoice
from invoiceflow.samples.locales import LOCALES
from invoiceflow.samples.scan import scan, write_tiff
from invoiceflow.samples.spec import build_spec, ground_truth
from invoiceflow.samples.vendors import GENERIC_VENDORS, PLATFORMS

logger = logging.getLogger(__name__)

_LANGUAGES = ("en", "pt", "es")


@dataclass(frozen=True)
class _Plan:
    """What one corpus slot holds, fixed by its index before any drawing."""

    index: int
    layout: str
    vendor: str
    long_items: bool
    dpi: int
    bilevel: bool

    @property
    def stem(self) -> str:
        return f"{self.index:04d}-{self.layout}-{self.vendor}"


def generate_corpus(
    out_dir: Path,
    count: int = 6,
    seed: int = 0,
    *,
    layouts: Sequence[str] | None = None,
    on_written: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write `count` scanned invoices (TIFF plus ground-truth JSON) to `out_dir`.

    Slots cycle over the layouts, the three languages, bilevel and grayscale,
    200 and 300 dpi, and long multi-page tables, so that even six files cover
    five layouts, both colour modes and a multi-page invoice; the seed picks
    the vendors and everything drawn on the page. Each slot draws
    from its own generator seeded by `seed` and its index: the first files of
    a larger corpus are byte-identical to a smaller one with the same seed.
    `on_written`, if given, is called with each TIFF path once it is complete.

    Returns:
        The TIFF paths, in slot order.

    Raises:
        ValueError: when `count` is negative or a layout is unknown.
    """
    chosen = _check_layouts(layouts)
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")

    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    logger.info("Generating %d sample invoices in %s (seed %d)", count, out_dir, seed)

    paths = []
    for index in range(count):
        paths.append(_write_one(out_dir, _plan(index, seed, chosen), seed))
        if on_written is not None:
            on_written(paths[-1])

    seconds = time.perf_counter() - started
    logger.info(
        "Wrote %d sample invoices to %s in %.1f s", len(paths), out_dir, seconds
    )
    return paths


def _check_layouts(layouts: Sequence[str] | None) -> tuple[str, ...]:
    if layouts is None:
        return LAYOUTS

    unknown = sorted(set(layouts) - set(LAYOUTS))
    if unknown or not layouts:
        raise ValueError(
            f"Unknown or empty layouts {unknown or list(layouts)}; "
            f"choose from {', '.join(LAYOUTS)}"
        )
    return tuple(layouts)


def _plan(index: int, seed: int, layouts: tuple[str, ...]) -> _Plan:
    layout = layouts[index % len(layouts)]
    language = _LANGUAGES[index % len(_LANGUAGES)]
    vendors = _vendors_for(layout, language)

    return _Plan(
        index=index,
        layout=layout,
        vendor=vendors[(index // len(_LANGUAGES) + seed) % len(vendors)],
        long_items=index % 4 == 1 and layout != "receipt",
        dpi=200 if index % 3 == 2 else 300,
        bilevel=index % 2 == 0,
    )


def _vendors_for(layout: str, language: str) -> list[str]:
    # Receipts come from the delivery platforms; the page-size layouts mostly
    # from generic vendors, with the platforms' merchant invoices after them.
    platforms = [v.key for v in PLATFORMS if LOCALES[v.locale].language == language]
    if layout == "receipt":
        return platforms

    generic = [v.key for v in GENERIC_VENDORS if LOCALES[v.locale].language == language]
    return generic + platforms


def _write_one(out_dir: Path, plan: _Plan, seed: int) -> Path:
    rng = random.Random(f"invoiceflow-samples:{seed}:{plan.index}")
    spec = build_spec(
        rng,
        layout=plan.layout,
        vendor_key=plan.vendor,
        long_items=plan.long_items,
        dpi=plan.dpi,
    )

    clean = render_invoice(spec, rng)
    pages = scan(
        clean,
        rng,
        dpi=plan.dpi,
        bilevel=plan.bilevel,
        skew_degrees=rng.uniform(-1.5, 1.5),
        noise=rng.uniform(0.05, 0.5),
    )

    tiff_path = out_dir / f"{plan.stem}.tif"
    write_tiff(pages, tiff_path, dpi=plan.dpi, bilevel=plan.bilevel)
    truth = ground_truth(
        spec, source_file=tiff_path.name, pages=len(pages), bilevel=plan.bilevel
    )
    text = json.dumps(truth, indent=2, ensure_ascii=False) + "\n"
    tiff_path.with_suffix(".json").write_text(text, encoding="utf-8")
    logger.debug("Wrote %s (%d pages)", tiff_path, len(pages))
    return tiff_path
