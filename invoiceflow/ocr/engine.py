"""The tesserocr engine, a pool of engines per thread, and OCR of whole documents."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from PIL import Image

from invoiceflow.models import OcrDocument, OcrPage, OcrWord
from invoiceflow.ocr.prepare import (
    PreparedPage,
    dot_joined_images,
    prepare_page,
    to_page_boxes,
    turned_page,
)
from invoiceflow.ocr.tessdata import find_tessdata

# libgomp reads this once, when libtesseract is loaded; with OpenMP on a 2-core
# machine one page takes several times longer, and pages run in parallel instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

logger = logging.getLogger(__name__)

__all__ = ["OcrEngine", "ocr_document"]

_UNREADABLE_MEAN_CONFIDENCE = 60.0
_FEW_WORDS = 5
_GOOD_WORD_CONFIDENCE = 40.0
_OSD_MIN_CONFIDENCE = 1.5


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
        prepared = prepare_page(image)
        if prepared.is_blank:
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
        prepared: PreparedPage,
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
        self, prepared: PreparedPage, image: Image.Image | None = None
    ) -> list[OcrWord]:
        tesserocr = self._tesserocr
        api = self._api
        api.SetImage(prepared.image if image is None else image)
        api.SetVariable("user_defined_dpi", str(prepared.dpi))
        api.Recognize()

        words = list(_iterate_words(api.GetIterator(), tesserocr.RIL))
        return to_page_boxes(words, prepared)

    def _read_turned(
        self, prepared: PreparedPage, words: list[OcrWord]
    ) -> tuple[list[OcrWord], int, PreparedPage]:
        """Ask Tesseract's orientation model, and re-read if the page is turned."""
        rotation = self._detect_orientation(prepared.image)
        if rotation == 0:
            return words, 0, prepared

        turned = turned_page(prepared, rotation)
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
        prepared: PreparedPage,
        words: list[OcrWord],
        source: str,
        page_number: int,
    ) -> list[OcrWord]:
        """Re-read a page with ink but hardly any words, with the dots joined."""
        best = words
        for joined in dot_joined_images(prepared):
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
