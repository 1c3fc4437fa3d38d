"""Finding the folder that holds Tesseract's language data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from invoiceflow.errors import InvoiceflowError

__all__ = ["TessdataNotFoundError", "find_tessdata"]

_INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-por tesseract-ocr-spa"


class TessdataNotFoundError(InvoiceflowError, FileNotFoundError):
    """Tesseract's language data is not installed where the engine looks for it."""


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
