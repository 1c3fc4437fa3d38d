"""Object storage behind one interface: Google Cloud Storage, or a local folder."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Protocol

from google.api_core import exceptions as gexc

from invoiceflow.errors import PermanentError

logger = logging.getLogger(__name__)


class ObjectNotFoundError(PermanentError):
    """The object named by an event is gone; there is nothing left to process."""

    kind = "object_not_found"


class ObjectStore(Protocol):
    """The few storage operations the stages need."""

    def read(self, bucket: str, name: str) -> bytes: ...

    def write(self, bucket: str, name: str, data: bytes, content_type: str) -> None: ...

    def create_if_absent(self, bucket: str, name: str, data: bytes) -> bool: ...

    def replace_if_unchanged(
        self, bucket: str, name: str, data: bytes, expected: bytes
    ) -> bool: ...

    def generation(self, bucket: str, name: str) -> str | None: ...


class GcsStore:
    """Google Cloud Storage; honours STORAGE_EMULATOR_HOST for fake-gcs-server."""

    def __init__(self, client: Any = None, project: str | None = None) -> None:
        from invoiceflow.gcp import storage

        self._client = client or storage.Client(project=project)

    def read(self, bucket: str, name: str) -> bytes:
        try:
            data: bytes = self._client.bucket(bucket).blob(name).download_as_bytes()
        except gexc.NotFound as exc:
            raise ObjectNotFoundError(
                f"gs://{bucket}/{name} does not exist; it was deleted or renamed "
                "after the upload event was sent."
            ) from exc
        return data

    def write(self, bucket: str, name: str, data: bytes, content_type: str) -> None:
        blob = self._client.bucket(bucket).blob(name)
        blob.upload_from_string(data, content_type=content_type)

    def create_if_absent(self, bucket: str, name: str, data: bytes) -> bool:
        blob = self._client.bucket(bucket).blob(name)
        try:
            blob.upload_from_string(
                data, content_type="application/json", if_generation_match=0
            )
        except gexc.PreconditionFailed:
            return False
        return True

    def replace_if_unchanged(
        self, bucket: str, name: str, data: bytes, expected: bytes
    ) -> bool:
        """Overwrite only if the object still holds `expected` (compare-and-swap)."""
        blob = self._client.bucket(bucket).get_blob(name)
        if (
            blob is None
            or blob.download_as_bytes(if_generation_match=blob.generation) != expected
        ):
            return False
        try:
            blob.upload_from_string(
                data,
                content_type="application/json",
                if_generation_match=blob.generation,
            )
        except gexc.PreconditionFailed:
            return False
        return True

    def generation(self, bucket: str, name: str) -> str | None:
        blob = self._client.bucket(bucket).get_blob(name)
        return None if blob is None else str(blob.generation)


class LocalStore:
    """A folder per bucket under `root`; an absolute bucket path is used as is.

    `invoiceflow run` reads the user's files through it (the bucket is their
    folder) and writes pages, claims and reports under `root`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, bucket: str, name: str) -> Path:
        base = Path(bucket) if os.path.isabs(bucket) else self.root / bucket
        path = (base / name).resolve()
        if not path.is_relative_to(base.resolve()):
            raise PermanentError(f"object name {name!r} escapes bucket {bucket!r}.")
        return path

    def read(self, bucket: str, name: str) -> bytes:
        path = self._path(bucket, name)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise ObjectNotFoundError(f"{path} does not exist.") from exc

    def write(self, bucket: str, name: str, data: bytes, content_type: str) -> None:
        path = self._path(bucket, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".partial")
        tmp.write_bytes(data)
        tmp.replace(path)

    def create_if_absent(self, bucket: str, name: str, data: bytes) -> bool:
        path = self._path(bucket, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            return False
        return True

    def replace_if_unchanged(
        self, bucket: str, name: str, data: bytes, expected: bytes
    ) -> bool:
        # One process runs `invoiceflow run`, so read-compare-write is enough here.
        path = self._path(bucket, name)
        if not path.exists() or path.read_bytes() != expected:
            return False
        self.write(bucket, name, data, "application/json")
        return True

    def generation(self, bucket: str, name: str) -> str | None:
        path = self._path(bucket, name)
        return str(path.stat().st_mtime_ns) if path.exists() else None
