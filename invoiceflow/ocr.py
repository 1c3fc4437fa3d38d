"""Tesseract OCR of page images into words with boxes, confidences and page geometry."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from invoiceflow.errors import InvoiceflowError
from invoiceflow.models import OcrDocument, OcrPage, OcrWord

# libgomp reads this once, when libtesseract is loaded; with OpenMP on a 2-core
# machine one page takes several times longer, and pages run in parallel instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

logger = logging.getLogger(__name__)

__all__ = [
    "OcrEngine",
    "TessdataNotFoundError",
    "estimate_skew_degrees",
    "find_tessdata",
    "ocr_document",
]

DEFAULT_DPI = 300
_DPI_RANGE = (200, 400)
_SKEW_MIN_DEGREES = 0.3
# Below this Tesseract follows the slanted lines itself and only the word
# boxes are turned; above it the page is resampled, which costs 0.1 s and the
# speed of 1-bit input.
_ROTATE_IMAGE_DEGREES = 2.0
_SKEW_MAX_DEGREES = 10.0
_BLANK_INK_RATIO = 0.0005
_UNREADABLE_MEAN_CONFIDENCE = 60.0
_FEW_WORDS = 5
_GOOD_WORD_CONFIDENCE = 40.0
_OSD_MIN_CONFIDENCE = 1.5
_INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-por tesseract-ocr-spa"


class TessdataNotFoundError(InvoiceflowError, FileNotFoundError):
    """Tesseract's language data is not installed where the engine looks for it."""


@dataclass(frozen=True)
class _Prepared:
    """A page image ready for Tesseract and how to map its boxes back."""

    image: Image.Image
    gray: Image.Image
    dpi: int
    scale: float
    ink_ratio: float
    skew_degrees: float
    box_skew_degrees: float = 0.0


def find_tessdata(languages: str, tessdata_dir: Path | None = None) -> Path:
    """Return the tessdata folder holding every language in `languages`.

    Looks at `tessdata_dir`, then `TESSDATA_PREFIX`, then the Debian folders
    `/usr/share/tesseract-ocr/<version>/tessdata`, newest version first.
    """
    needed = [lang for lang in languages.split("+") if lang]
    for candidate in _tessdata_candidates(tessdata_dir):
        if all((candidate / f"{lang}.traineddata").is_file() for lang in needed):
            return candidate

    raise TessdataNotFoundError(
        f"Tesseract data for {languages!r} was not found (set TESSDATA_PREFIX or "
        f"run `{_INSTALL_HINT}`)."
    )


def _tessdata_candidates(tessdata_dir: Path | None) -> Iterator[Path]:
    if tessdata_dir is not None:
        yield Path(tessdata_dir)
        return

    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        # Tesseract 3 pointed the variable at the parent of tessdata, 4 and 5
        # at the folder itself; both spellings are still found in the wild.
        yield Path(prefix)
        yield Path(prefix) / "tessdata"

    debian = sorted(
        Path("/usr/share/tesseract-ocr").glob("*/tessdata"),
        key=lambda path: path.parent.name,
        reverse=True,
    )
    yield from debian
    yield Path("/usr/share/tessdata")


def estimate_skew_degrees(image: Image.Image) -> float:
    """Angle of the text lines in degrees, counter-clockwise as Pillow rotates.

    Projection profiles of the ink on a small copy of the page: the angle at
    which rows of ink are sharpest is the skew. Costs tens of milliseconds.
    """
    xs, ys = _ink_points(image)
    if xs.size == 0:
        return 0.0

    coarse = np.arange(-_SKEW_MAX_DEGREES, _SKEW_MAX_DEGREES + 0.01, 0.5)
    best = _best_angle(xs, ys, coarse)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    # Image rows grow downwards, so a line rising to the right has a negative
    # slope in pixel rows; `or 0.0` turns a rounded -0.0 into 0.0.
    return round(-_best_angle(xs, ys, fine), 1) or 0.0


def _ink_points(image: Image.Image, long_side_px: int = 800) -> tuple[Any, Any]:
    small = _small_gray(image, long_side_px)
    ys, xs = np.nonzero(np.asarray(small) < 160)
    return xs.astype(np.float64), ys.astype(np.float64)


def _small_gray(image: Image.Image, long_side_px: int) -> Image.Image:
    gray = image if image.mode == "L" else image.convert("L")
    factor = max(gray.width, gray.height) / long_side_px
    if factor <= 1:
        return gray
    size = (max(1, round(gray.width / factor)), max(1, round(gray.height / factor)))
    return gray.resize(size, Image.Resampling.BOX)


def _best_angle(xs: Any, ys: Any, angles: Any) -> float:
    scores = [_profile_sharpness(xs, ys, float(angle)) for angle in angles]
    return float(angles[int(np.argmax(scores))])


def _profile_sharpness(xs: Any, ys: Any, degrees: float) -> float:
    rows = np.round(ys - xs * np.tan(np.radians(degrees))).astype(np.int64)
    histogram = np.bincount(rows - rows.min()).astype(np.float64)
    return float(np.sum(np.diff(histogram) ** 2))


class OcrEngine:
    """One Tesseract instance, reused across pages.

    Not thread-safe: Tesseract's API object keeps per-page state, so each
    worker thread needs an engine of its own (``ocr_document`` does this).
    """

    def __init__(
        self, languages: str = "eng+por+spa", tessdata_dir: Path | None = None
    ) -> None:
        import tesserocr

        self.languages = languages
        self.tessdata_dir = find_tessdata(languages, tessdata_dir)
        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(
            path=str(self.tessdata_dir), lang=languages, psm=tesserocr.PSM.AUTO
        )
        self._osd_api: Any = None

    def __enter__(self) -> OcrEngine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Free Tesseract's memory; the engine cannot be used afterwards."""
        self._api.End()
        if self._osd_api is not None:
            self._osd_api.End()

    def read_page(
        self, image: Image.Image, page_number: int, *, source: str = ""
    ) -> OcrPage:
        """OCR one page: deskewed, turned upright when needed, dot prints joined.

        Word boxes are in the pixels of `image` after deskewing and turning, so
        they line up with `rotation_degrees` and `skew_degrees` of the result.
        """
        prepared = _prepare(image)
        if prepared.ink_ratio < _BLANK_INK_RATIO:
            logger.debug("%s page %d is blank, not read", source, page_number)
            return self._page(image, prepared, page_number, [], 0)

        words = self._recognize(prepared)
        rotation = 0
        if _looks_unreadable(words):
            words, rotation, prepared = self._read_turned(prepared, words)
            if rotation:
                logger.warning(
                    "%s page %d was turned %d degrees", source, page_number, rotation
                )

        if _count_good(words) < _FEW_WORDS:
            words = self._read_dot_matrix(prepared, words, source, page_number)

        return self._page(image, prepared, page_number, words, rotation)

    def _page(
        self,
        image: Image.Image,
        prepared: _Prepared,
        page_number: int,
        words: list[OcrWord],
        rotation: int,
    ) -> OcrPage:
        width, height = image.size
        if rotation in (90, 270):
            width, height = height, width

        return OcrPage(
            page_number=page_number,
            width=width,
            height=height,
            words=words,
            rotation_degrees=rotation,
            skew_degrees=prepared.skew_degrees,
        )

    def _recognize(
        self, prepared: _Prepared, image: Image.Image | None = None
    ) -> list[OcrWord]:
        tesserocr = self._tesserocr
        api = self._api
        api.SetImage(prepared.image if image is None else image)
        api.SetVariable("user_defined_dpi", str(prepared.dpi))
        api.Recognize()

        words = list(_iterate_words(api.GetIterator(), tesserocr.RIL))
        if prepared.box_skew_degrees:
            size = (prepared.image.width, prepared.image.height)
            words = [_straightened(w, prepared.box_skew_degrees, size) for w in words]
        if prepared.scale != 1.0:
            words = [_rescaled(word, 1 / prepared.scale) for word in words]
        return words

    def _read_turned(
        self, prepared: _Prepared, words: list[OcrWord]
    ) -> tuple[list[OcrWord], int, _Prepared]:
        """Ask Tesseract's orientation model, and re-read if the page is turned."""
        rotation = self._detect_orientation(prepared.image)
        if rotation == 0:
            return words, 0, prepared

        turned = _Prepared(
            image=prepared.image.rotate(rotation, expand=True),
            gray=prepared.gray.rotate(rotation, expand=True),
            dpi=prepared.dpi,
            scale=prepared.scale,
            ink_ratio=prepared.ink_ratio,
            skew_degrees=prepared.skew_degrees,
        )
        turned_words = self._recognize(turned)
        if _score(turned_words) <= _score(words):
            return words, 0, prepared
        return turned_words, rotation, turned

    def _detect_orientation(self, image: Image.Image) -> int:
        tesserocr = self._tesserocr
        if self._osd_api is None:
            self._osd_api = tesserocr.PyTessBaseAPI(
                path=str(self.tessdata_dir),
                lang="osd",
                psm=tesserocr.PSM.OSD_ONLY,
            )

        self._osd_api.SetImage(image)
        result = self._osd_api.DetectOrientationScript()
        if not result or result.get("orient_conf", 0) < _OSD_MIN_CONFIDENCE:
            return 0
        return int(result["orient_deg"]) % 360

    def _read_dot_matrix(
        self,
        prepared: _Prepared,
        words: list[OcrWord],
        source: str,
        page_number: int,
    ) -> list[OcrWord]:
        """Re-read a page with ink but hardly any words, with the dots joined.

        Dot-matrix and thermal prints break glyphs into dots that page
        segmentation does not take for text; a minimum filter grows the dark
        dots into strokes, in steps sized to the scan's resolution.
        """
        best = words
        for size in _filter_sizes(prepared.dpi):
            joined = prepared.gray.filter(ImageFilter.MinFilter(size))
            candidate = self._recognize(prepared, joined)
            if _score(candidate) > _score(best):
                best = candidate
            if _count_good(best) >= _FEW_WORDS:
                break

        if best is not words:
            logger.warning(
                "%s page %d read with joined dots: %d words instead of %d",
                source,
                page_number,
                len(best),
                len(words),
            )
        return best


def _prepare(image: Image.Image) -> _Prepared:
    """Gray page near 300 dpi with its skew removed."""
    gray = _as_gray(image)
    dpi = _image_dpi(image)
    scale = 1.0
    if not _DPI_RANGE[0] <= dpi <= _DPI_RANGE[1]:
        scale = DEFAULT_DPI / dpi
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        dpi = DEFAULT_DPI

    small = np.asarray(_small_gray(gray, 800))
    ink_ratio = float(np.count_nonzero(small < 160)) / max(1, small.size)
    skew = estimate_skew_degrees(gray) if ink_ratio >= _BLANK_INK_RATIO else 0.0
    if abs(skew) < _SKEW_MIN_DEGREES:
        skew = 0.0
    rotate_image = abs(skew) >= _ROTATE_IMAGE_DEGREES
    if rotate_image:
        gray = gray.rotate(
            -skew, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=False
        )

    # Tesseract reads a 1-bit page faster than its gray copy (no thresholding),
    # so a bilevel scan goes in as it came unless it had to be resampled.
    untouched = scale == 1.0 and not rotate_image and image.mode == "1"
    return _Prepared(
        image=image if untouched else gray,
        gray=gray,
        dpi=dpi,
        scale=scale,
        ink_ratio=ink_ratio,
        skew_degrees=skew,
        box_skew_degrees=0.0 if rotate_image else skew,
    )


def _straightened(word: OcrWord, skew_degrees: float, size: tuple[int, int]) -> OcrWord:
    """The word's box moved as if the page had been turned by -`skew_degrees`."""
    left, top, right, bottom = word.bbox
    centre_x, centre_y = size[0] / 2, size[1] / 2
    dx = (left + right) / 2 - centre_x
    dy = (top + bottom) / 2 - centre_y
    theta = np.radians(-skew_degrees)
    # Pillow turns counter-clockwise on screen, with y growing downwards.
    new_x = centre_x + dx * np.cos(theta) + dy * np.sin(theta)
    new_y = centre_y - dx * np.sin(theta) + dy * np.cos(theta)
    half_w, half_h = (right - left) / 2, (bottom - top) / 2
    box = (
        round(new_x - half_w),
        round(new_y - half_h),
        round(new_x + half_w),
        round(new_y + half_h),
    )
    return word.model_copy(update={"bbox": box})


def _as_gray(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # Pillow clips 16-bit samples when converting to 8 bits; scale instead.
        wide = np.asarray(image.convert("I"), dtype=np.float64)
        peak = 65535.0 if wide.max(initial=0) > 255 else 255.0
        return Image.fromarray((wide * (255.0 / peak)).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image.convert("RGBA")).convert("L")
    return image.convert("L")


def _image_dpi(image: Image.Image) -> int:
    # Fax pages with unequal resolutions (204 x 98 dpi) are read with their
    # squashed pixels as they are; resampling them to square pixels first
    # would need separate x and y scales for the word boxes.
    dpi = image.info.get("dpi")
    try:
        value = round(float(min(dpi)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_DPI
    # Pages without a resolution tag report 1 or 72 dpi; trust only real values.
    return value if value >= 100 else DEFAULT_DPI


def _filter_sizes(dpi: int) -> list[int]:
    sizes = []
    for size_at_300 in (3, 5):
        size = max(3, round(size_at_300 * dpi / DEFAULT_DPI))
        sizes.append(size if size % 2 else size + 1)
    return sorted(set(sizes))


def _iterate_words(iterator: Any, ril: Any) -> Iterator[OcrWord]:
    if iterator is None:
        return

    block_number = 0
    line_number = 0
    while True:
        if iterator.IsAtBeginningOf(ril.BLOCK):
            block_number += 1
            line_number = 0
        if iterator.IsAtBeginningOf(ril.TEXTLINE):
            line_number += 1

        word = _word_at(iterator, ril.WORD, block_number, line_number)
        if word is not None:
            yield word
        if not iterator.Next(ril.WORD):
            return


def _word_at(
    iterator: Any, level: Any, block_number: int, line_number: int
) -> OcrWord | None:
    try:
        text = iterator.GetUTF8Text(level)
    except RuntimeError:
        return None
    box = iterator.BoundingBox(level)
    if not text or not text.strip() or box is None:
        return None

    return OcrWord(
        text=text.strip(),
        confidence=min(100.0, max(0.0, float(iterator.Confidence(level)))),
        bbox=tuple(int(v) for v in box),  # type: ignore[arg-type]
        block_number=block_number,
        line_number=line_number,
    )


def _rescaled(word: OcrWord, factor: float) -> OcrWord:
    box = tuple(round(v * factor) for v in word.bbox)
    return word.model_copy(update={"bbox": box})


def _count_good(words: Sequence[OcrWord]) -> int:
    return sum(1 for word in words if word.confidence >= _GOOD_WORD_CONFIDENCE)


def _score(words: Sequence[OcrWord]) -> float:
    """Confident characters read: more text, read more surely, scores higher."""
    return sum(
        len(word.text) * word.confidence / 100
        for word in words
        if word.confidence >= _GOOD_WORD_CONFIDENCE
    )


def _looks_unreadable(words: Sequence[OcrWord]) -> bool:
    """Whether a page turned sideways or upside down is the likely cause."""
    if len(words) < _FEW_WORDS:
        return False
    mean = sum(word.confidence for word in words) / len(words)
    return mean < _UNREADABLE_MEAN_CONFIDENCE


class _EnginePool:
    """Engines kept between documents, each used by one thread at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, Path | None], queue.SimpleQueue[OcrEngine]] = {}

    @contextmanager
    def engine(
        self, languages: str, tessdata_dir: Path | None = None
    ) -> Iterator[OcrEngine]:
        key = (languages, tessdata_dir)
        with self._lock:
            idle = self._idle.setdefault(key, queue.SimpleQueue())
        try:
            engine = idle.get_nowait()
        except queue.Empty:
            engine = OcrEngine(languages, tessdata_dir)

        try:
            yield engine
        finally:
            idle.put(engine)


_POOL = _EnginePool()


def ocr_document(
    source: str,
    images: Sequence[Image.Image],
    *,
    languages: str = "eng+por+spa",
    workers: int = 2,
) -> OcrDocument:
    """OCR every page, `workers` pages at a time, one single-threaded engine each."""
    started = time.perf_counter()
    logger.info("%s OCR of %d page(s) started", source, len(images))

    def read(page_number: int, image: Image.Image) -> OcrPage:
        with _POOL.engine(languages) as engine:
            return engine.read_page(image, page_number, source=source)

    numbered = list(enumerate(images, start=1))
    if workers <= 1 or len(numbered) <= 1:
        pages = [read(number, image) for number, image in numbered]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(numbered))) as pool:
            pages = list(pool.map(lambda item: read(*item), numbered))

    logger.info(
        "%s OCR finished: %d page(s), %d words, %.2f s",
        source,
        len(pages),
        sum(len(page.words) for page in pages),
        time.perf_counter() - started,
    )
    return OcrDocument(source=source, pages=pages)
