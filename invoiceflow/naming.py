"""Names of the objects the convert stage writes, derived safely from the upload's."""

from __future__ import annotations

import hashlib

from invoiceflow.models import UploadRef

__all__ = ["page_object_name"]

_GCS_MAX_NAME_BYTES = 1024
_NAME_DIGEST_CHARS = 16


def page_object_name(source: UploadRef, page_number: int) -> str:
    """Name of the PNG for one page in the processed bucket.

    `inbox/ACME Inv #7?.TIF` at generation 1712, page 1, becomes
    `inbox/ACME Inv #7?/1712/page-0001.png`: folders are kept, only the final
    extension is dropped, and the generation keeps the pages of two uploads
    of the same name apart.

    The name is derived segment by segment, never by replacing text in the
    whole path: empty segments (from `//` or a leading `/`) are dropped, a
    segment made only of dots (`.`, `..`) becomes as many underscores so no
    local writer or URL normaliser can climb out of the folder, and control
    characters, which GCS rejects or tools mangle, become `_`. Unicode is kept
    as it is, without normalisation, so distinct uploads keep distinct names.

    `#` and `?` are legal in GCS object names and are kept. The identity URI
    `gs://bucket/name#generation` stays unambiguous because its generation
    follows the last `#`, so these names are not percent-encoded here; an
    HTTP URL built from them must percent-encode them, as the GCS client
    libraries do.

    A name that would pass GCS's 1,024-byte limit is cut and given a digest
    of the full upload name, so it stays unique.
    """
    if page_number < 1:
        raise ValueError(f"page_number is 1-based, got {page_number}")

    folder = _document_folder(source.name)
    suffix = f"/{_safe_segment(source.generation)}/page-{page_number:04d}.png"

    return _fit_name_length(folder, suffix, source.name) + suffix


def _document_folder(name: str) -> str:
    segments = [segment for segment in name.split("/") if segment]
    if not segments:
        return "_"

    segments[-1] = _drop_extension(segments[-1])

    return "/".join(_safe_segment(segment) for segment in segments)


def _drop_extension(segment: str) -> str:
    # The rule of pathlib: a leading dot starts a hidden name, not an
    # extension, and a trailing dot is no extension either.
    dot = segment.rfind(".")
    if 0 < dot < len(segment) - 1:
        return segment[:dot]
    return segment


def _safe_segment(segment: str) -> str:
    cleaned = "".join(
        "_" if ord(char) < 0x20 or ord(char) == 0x7F else char for char in segment
    ).replace("/", "_")
    if not cleaned.strip("."):
        return "_" * max(len(cleaned), 1)
    return cleaned


def _fit_name_length(folder: str, suffix: str, full_name: str) -> str:
    budget = _GCS_MAX_NAME_BYTES - len(suffix.encode())
    encoded = folder.encode()
    if len(encoded) <= budget:
        return folder

    digest = hashlib.sha256(full_name.encode()).hexdigest()[:_NAME_DIGEST_CHARS]
    keep_bytes = max(budget - len(digest) - 1, 0)
    kept = encoded[:keep_bytes].decode("utf-8", errors="ignore")

    return f"{kept}~{digest}"
