from __future__ import annotations

from pathlib import Path

import pytest

from invoiceflow.devstack.tools import (
    MissingPrerequisiteError,
    pubsub_emulator_command,
    require_tesseract,
)


def test_emulator_without_java_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(MissingPrerequisiteError, match="needs Java"):
        pubsub_emulator_command("127.0.0.1", 8085)


def test_missing_tessdata_names_the_debian_packages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr("invoiceflow.devstack.tools.glob.glob", lambda pattern: [])

    with pytest.raises(MissingPrerequisiteError, match="tesseract-ocr-por"):
        require_tesseract()
