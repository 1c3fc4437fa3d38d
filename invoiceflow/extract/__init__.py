"""Extractors behind one interface: OCR words and a classification in, fields out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from invoiceflow.models import Classification, ExtractedInvoice, OcrDocument

__all__ = ["Extractor", "get_extractor", "known_extractors", "register_extractor"]


@runtime_checkable
class Extractor(Protocol):
    """Turns one classified document into an `ExtractedInvoice`."""

    name: str

    def extract(
        self, document: OcrDocument, classification: Classification
    ) -> ExtractedInvoice: ...


def _local() -> Extractor:
    from invoiceflow.extract.rules import LocalExtractor

    return LocalExtractor()


_FACTORIES: dict[str, Callable[[], Extractor]] = {"local": _local}


def register_extractor(name: str, factory: Callable[[], Extractor]) -> None:
    """Make `get_extractor(name)` build extractors with `factory`."""
    _FACTORIES[name] = factory


def known_extractors() -> list[str]:
    return sorted(_FACTORIES)


def get_extractor(name: str = "local") -> Extractor:
    """The extractor configured as `name`; raises ValueError for an unknown one."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        known = ", ".join(known_extractors())
        raise ValueError(
            f"Unknown extractor {name!r}; known extractors are: {known}."
        ) from None
    return factory()
