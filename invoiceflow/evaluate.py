"""`invoiceflow eval DIR`: extraction accuracy against ground truth beside each TIFF."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from invoiceflow.classify import KNOWN_VENDORS
from invoiceflow.models import ExtractedInvoice, UploadRef

FIELDS = (
    "invoice_number",
    "issuer_name",
    "invoice_date",
    "total",
    "subtotal",
    "tax",
    "currency",
    "due_date",
    "issuer_tax_id",
    "customer_name",
    "vendor",
    "document_type",
    "language",
)
KEY_FIELDS = ("invoice_number", "issuer_name", "invoice_date", "total")


@dataclass
class Score:
    """Hits and tries per field, for one group of documents."""

    hits: dict[str, int] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, hit: bool) -> None:
        self.tries[name] = self.tries.get(name, 0) + 1
        self.hits[name] = self.hits.get(name, 0) + int(hit)

    def accuracy(self, name: str) -> float | None:
        tries = self.tries.get(name, 0)
        return self.hits.get(name, 0) / tries if tries else None

    def key_accuracy(self) -> float:
        hits = sum(self.hits.get(name, 0) for name in KEY_FIELDS)
        tries = sum(self.tries.get(name, 0) for name in KEY_FIELDS)
        return hits / tries if tries else 0.0


def normalise(value: Any) -> str:
    """Comparable text: case, accents, spacing and trailing punctuation ignored."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\s+", " ", text).strip(" .,:;").casefold()
    return text


def same(name: str, expected: Any, found: Any) -> bool:
    if name in ("total", "subtotal", "tax"):
        return _decimal(expected) == _decimal(found)
    return normalise(expected) == normalise(found)


def _decimal(value: Any) -> Decimal | None:
    try:
        return (
            Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None
        )
    except InvalidOperation:
        return None


def score_document(
    truth: dict[str, Any], found: dict[str, Any], score: Score
) -> list[str]:
    """Add one document to `score`; returns the names of the fields it got wrong."""
    score.documents += 1
    truth = dict(truth)
    # Only vendors with a template or a known platform can be named; any
    # other issuer is rightly classified as "unknown".
    if truth.get("vendor") not in KNOWN_VENDORS:
        truth["vendor"] = "unknown"
    wrong = []
    for name in FIELDS:
        if name not in truth or truth[name] in (None, ""):
            continue
        hit = same(name, truth[name], found.get(name))
        score.add(name, hit)
        if not hit:
            wrong.append(name)
    return wrong


def extract_file(path: Path, languages: str, workers: int) -> dict[str, Any]:
    """OCR, classify and extract one TIFF the way the flow does, without Prefect."""
    from PIL import Image

    from invoiceflow.classify import classify
    from invoiceflow.convert import convert_tiff
    from invoiceflow.extract import get_extractor
    from invoiceflow.ocr import ocr_document

    ref = UploadRef(
        scheme="file", bucket=str(path.parent), name=path.name, generation="0"
    )
    pages: dict[str, bytes] = {}
    convert_tiff(path.read_bytes(), ref, pages.__setitem__, processed_bucket="eval")
    images = [Image.open(io.BytesIO(png)) for png in pages.values()]
    document = ocr_document(ref.uri, images, languages=languages, workers=workers)
    classification = classify(document)
    invoice: ExtractedInvoice = get_extractor("local").extract(document, classification)
    found = invoice.model_dump(mode="json")
    found.update(
        vendor=classification.vendor,
        document_type=classification.document_type,
        language=classification.language,
    )
    return found


def evaluate(
    paths: Iterable[Path], *, held_out: frozenset[str], languages: str, workers: int
) -> dict[str, Score]:
    """Scores for development layouts (`seen`) and held-out ones (`held_out`)."""
    scores = {"seen": Score(), "held_out": Score()}
    for path in paths:
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        group = "held_out" if truth.get("layout") in held_out else "seen"
        found = extract_file(path, languages, workers)
        wrong = score_document(truth, found, scores[group])
        if wrong:
            scores[group].misses[path.name] = wrong
    return scores


def find_corpus(folder: Path) -> list[Path]:
    """TIFFs in `folder` that have a ground-truth JSON beside them."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in (".tif", ".tiff")
        and path.with_suffix(".json").exists()
    )
