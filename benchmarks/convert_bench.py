"""Convert stage benchmark: PNG level per page kind, stage cost against raw Pillow.

Run from the repository root: `python benchmarks/convert_bench.py`. It prints
the machine, a table of PNG encode time and size per zlib level, and the
stage's cost per page against Pillow's own open + load + save PNG of the same
pages. The exit status is 1 when any stage/raw ratio exceeds the 1.2 budget.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageOps, features

from invoiceflow.convert import convert_tiff
from invoiceflow.models import UploadRef
from invoiceflow.samples import generate_corpus
from invoiceflow.settings import ConvertLimits

RATIO_BUDGET = 1.2
LEVELS = (0, 1, 3, 6, 9)


@dataclass(frozen=True)
class Sample:
    """A realistic upload: its TIFF bytes and what it holds."""

    name: str
    tiff: bytes
    pages: int
    description: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per figure")
    parser.add_argument("--seed", type=int, default=0, help="sample corpus seed")
    parser.add_argument("--peak-rss-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.peak_rss_of:
        print(_extra_peak_kib(args.peak_rss_of.read_bytes()))
        return 0

    samples = realistic_samples(args.seed)
    print_machine()
    print_samples(samples)
    print_level_table(samples, args.repeats)
    ratios = print_stage_against_raw(samples, args.repeats)
    print_peak_memory(samples[1])

    worst = max(ratios)
    print(f"\nworst stage/raw ratio {worst:.3f} (budget {RATIO_BUDGET})")
    return 0 if worst <= RATIO_BUDGET else 1


def realistic_samples(seed: int) -> list[Sample]:
    """A bilevel and a gray upload from the sample corpus, and an RGB scan."""
    with tempfile.TemporaryDirectory() as folder:
        paths = generate_corpus(Path(folder), count=4, seed=seed)
        uploads = [path.read_bytes() for path in paths]

    bilevel = next(data for data in uploads if _first_page(data).mode == "1")
    gray = next(data for data in uploads if _first_page(data).mode == "L")
    rgb = _rgb_scan(gray)

    return [
        _sample("bilevel", bilevel),
        _sample("gray", gray),
        _sample("rgb", rgb),
    ]


def _first_page(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def _sample(name: str, data: bytes) -> Sample:
    image = _first_page(data)
    dpi = round(float(image.info["dpi"][0]))
    description = (
        f"{image.width}x{image.height} px, {dpi} dpi, mode {image.mode}, "
        f"{image.info['compression']}, {len(data) / 1024:.0f} KiB"
    )
    return Sample(name, data, _page_count(image), description)


def _page_count(image: Image.Image) -> int:
    return int(getattr(image, "n_frames", 1))


def _rgb_scan(gray_tiff: bytes) -> bytes:
    # Colour scanners tint the paper, add sensor noise per channel and
    # usually store JPEG; this turns the first gray page into such a scan.
    gray = _first_page(gray_tiff).convert("L")
    tinted = ImageOps.colorize(gray, black=(24, 28, 44), white=(250, 245, 232))
    noise = Image.merge(
        "RGB", [Image.effect_noise(gray.size, 6).convert("L") for _ in range(3)]
    )
    scan = Image.blend(tinted, noise, 0.04)

    buffer = io.BytesIO()
    scan.save(buffer, format="TIFF", compression="jpeg", quality=90, dpi=(300, 300))
    return buffer.getvalue()


def print_machine() -> None:
    libraries = ", ".join(
        f"{name} {features.version(feature)}"
        for name, feature in (
            ("libtiff", "libtiff"),
            ("zlib", "zlib"),
            ("libjpeg", "jpg"),
        )
    )
    print("## Machine\n")
    print(f"- CPU: {_cpu_model()}, {_cpu_count()} cores visible")
    print(f"- Python {platform.python_version()} on {platform.system()}")
    print(f"- Pillow {PIL.__version__} with {libraries}")


def print_samples(samples: list[Sample]) -> None:
    print("\n## Samples\n")
    for sample in samples:
        print(f"- {sample.name}: {sample.pages} page(s), first {sample.description}")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def print_level_table(samples: list[Sample], repeats: int) -> None:
    """PNG encode time (median ms) and size per zlib level, first page of each."""
    print(f"\n## PNG encode per zlib level (first page, median of {repeats} runs)\n")
    print("| page | level | encode ms | PNG KiB | vs level 6 time | vs level 6 size |")
    print("| --- | --- | --- | --- | --- | --- |")
    for sample in samples:
        image = Image.open(io.BytesIO(sample.tiff))
        image.load()
        figures = _level_figures(image, repeats)
        base_ms, base_bytes = figures[6]
        for level, (ms, size) in figures.items():
            print(
                f"| {sample.name} {image.mode} | {level} | {ms:.1f} | "
                f"{size / 1024:.0f} | {ms / base_ms:.2f} | {size / base_bytes:.2f} |"
            )


def _level_figures(image: Image.Image, repeats: int) -> dict[int, tuple[float, int]]:
    times: dict[int, list[float]] = {level: [] for level in LEVELS}
    sizes: dict[int, int] = {}

    # Levels take turns within each round, so drift over the run, or other
    # load on the machine, falls on all of them alike.
    for _ in range(repeats):
        for level in LEVELS:
            milliseconds, sizes[level] = _encode_once(image, level)
            times[level].append(milliseconds)

    return {level: (statistics.median(times[level]), sizes[level]) for level in LEVELS}


def _encode_once(image: Image.Image, level: int) -> tuple[float, int]:
    buffer = io.BytesIO()
    milliseconds = _time_ms(
        lambda: image.save(buffer, format="PNG", compress_level=level)
    )
    return milliseconds, buffer.tell()


def print_stage_against_raw(samples: list[Sample], repeats: int) -> list[float]:
    """Stage cost per page over raw open + load + save PNG, same pages and level."""
    level = ConvertLimits().png_compress_level
    print(f"\n## Stage against raw Pillow (PNG level {level}, per page)\n")
    print("| upload | pages | raw ms/page | stage ms/page | stage/raw |")
    print("| --- | --- | --- | --- | --- |")

    ratios = []
    for sample in samples:
        raw_ms, stage_ms = _interleaved(
            functools.partial(_raw_convert, sample.tiff, level),
            functools.partial(_stage_convert, sample.tiff),
            repeats,
        )
        ratio = stage_ms / raw_ms
        ratios.append(ratio)
        print(
            f"| {sample.name} | {sample.pages} | "
            f"{raw_ms / sample.pages:.1f} | {stage_ms / sample.pages:.1f} | "
            f"{ratio:.3f} |"
        )
    return ratios


def _raw_convert(data: bytes, level: int) -> None:
    image = Image.open(io.BytesIO(data))
    for frame in range(_page_count(image)):
        image.seek(frame)
        image.load()
        image.save(io.BytesIO(), format="PNG", compress_level=level)


def _stage_convert(data: bytes) -> None:
    source = UploadRef(bucket="invoices-input", name="bench/scan.tif", generation="1")
    convert_tiff(data, source, _discard, processed_bucket="invoices-processed")


def _discard(object_name: str, png: bytes) -> None:
    del object_name, png


def print_peak_memory(
    sample: Sample, page_counts: tuple[int, ...] = (1, 8, 24)
) -> None:
    """Extra peak memory of the stage as one page is repeated into longer files."""
    page = Image.open(io.BytesIO(sample.tiff))
    page.load()
    megapixels = page.width * page.height / 1e6
    print(f"\n## Peak memory against page count ({sample.name}, {megapixels:.1f} MP)\n")
    print("| pages | file MiB | extra peak RSS during the stage, MiB |")
    print("| --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for count in page_counts:
            path = Path(folder) / f"{count}.tif"
            page.save(
                path,
                format="TIFF",
                compression="tiff_lzw",
                save_all=True,
                append_images=[page] * (count - 1),
            )
            extra_kib = _extra_peak_in_fresh_process(path)
            size_mib = path.stat().st_size / 1024**2
            print(f"| {count} | {size_mib:.1f} | {extra_kib / 1024:.1f} |")


def _extra_peak_in_fresh_process(path: Path) -> int:
    # A fresh interpreter per file, so one run's peak cannot hide another's.
    command = [sys.executable, __file__, "--peak-rss-of", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(result.stdout)


def _extra_peak_kib(data: bytes) -> int:
    """How far converting `data` lifts resident memory above where it started."""
    _stage_convert(_tiny_tiff())
    # Writing 5 to clear_refs resets the kernel's peak-RSS mark (VmHWM), so
    # the peak of imports and of reading the file does not hide the stage's.
    Path("/proc/self/clear_refs").write_text("5")
    before = _proc_status_kib("VmRSS")
    _stage_convert(data)
    return _proc_status_kib("VmHWM") - before


def _proc_status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}; this needs Linux")


def _tiny_tiff() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (8, 8), 1).save(buffer, format="TIFF", compression="group4")
    return buffer.getvalue()


def _interleaved(
    first: Callable[[], None], second: Callable[[], None], repeats: int
) -> tuple[float, float]:
    # Alternating the two keeps drift in clock speed or cache state from
    # favouring whichever runs last.
    first()
    second()
    first_ms, second_ms = [], []
    for _ in range(repeats):
        first_ms.append(_time_ms(first))
        second_ms.append(_time_ms(second))
    return statistics.median(first_ms), statistics.median(second_ms)


def _time_ms(action: Callable[[], None]) -> float:
    # CPU time of this process: on a shared machine it does not count the
    # time other processes hold the cores. The stage and the raw baseline are
    # single-threaded, so on an idle machine it equals wall time.
    started = time.process_time()
    action()
    return (time.process_time() - started) * 1000


if __name__ == "__main__":
    sys.exit(main())
