"""Finds the TrueType fonts samples are drawn with and loads them at a given dpi."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

logger = logging.getLogger(__name__)

# Typeface key -> (fontconfig family, regular file, bold file). The file names
# pin the exact fonts so that a seed draws the same pixels on every machine.
TYPEFACES: dict[str, tuple[str, str, str]] = {
    "dejavu-sans": ("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "liberation-sans": (
        "Liberation Sans",
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
    ),
    "liberation-serif": (
        "Liberation Serif",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
    ),
    "dejavu-mono": (
        "DejaVu Sans Mono",
        "DejaVuSansMono.ttf",
        "DejaVuSansMono-Bold.ttf",
    ),
    "liberation-mono": (
        "Liberation Mono",
        "LiberationMono-Regular.ttf",
        "LiberationMono-Bold.ttf",
    ),
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts")
_MISSING = (
    "No usable TrueType font was found; install the Debian packages "
    "fonts-dejavu-core and fonts-liberation."
)


@dataclass(frozen=True)
class Typeface:
    """A regular and a bold font file of one family."""

    key: str
    regular: Path
    bold: Path

    def font(
        self, size_pt: float, dpi: int, *, bold: bool = False
    ) -> ImageFont.FreeTypeFont:
        """The font at `size_pt` points, converted to pixels at `dpi`."""
        size_px = max(6, round(size_pt * dpi / 72))
        return _load(self.bold if bold else self.regular, size_px)


@functools.cache
def typeface(key: str) -> Typeface:
    """Resolve a key of TYPEFACES, falling back to any other installed typeface.

    Raises:
        RuntimeError: when none of the fonts is installed.
    """
    for candidate in (key, *TYPEFACES):
        family, regular_name, bold_name = TYPEFACES[candidate]
        regular = _locate(family, "Regular", regular_name)
        bold = _locate(family, "Bold", bold_name)
        if regular is not None and bold is not None:
            if candidate != key:
                logger.warning("Font %s is missing; drawing with %s", key, candidate)
            return Typeface(candidate, regular, bold)

    raise RuntimeError(_MISSING)


@functools.lru_cache(maxsize=64)
def _load(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine draws the same glyph positions with or without
    # libraqm, which keeps generated pixels identical across installations.
    return ImageFont.truetype(str(path), size_px, layout_engine=ImageFont.Layout.BASIC)


def _locate(family: str, style: str, file_name: str) -> Path | None:
    matched = _fc_match(f"{family}:style={style}")
    if matched is not None and matched.name == file_name:
        return matched
    return _font_files().get(file_name)


def _fc_match(pattern: str) -> Path | None:
    executable = shutil.which("fc-match")
    if executable is None:
        return None

    try:
        completed = subprocess.run(
            [executable, "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None

    path = Path(completed.stdout.strip())
    return path if completed.returncode == 0 and path.is_file() else None


@functools.lru_cache(maxsize=1)
def _font_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in _FONT_DIRS:
        for root, _, names in os.walk(os.path.expanduser(folder)):
            for name in names:
                found.setdefault(name, Path(root) / name)
    return found
