"""Extractors behind one interface: OCR words and a classification in, fields out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from invoiceflow.models import Classification, ExtractedInvoice, OcrDocument
from invoiceflow.settings import PipelineSettings

__all__ = [
    "Extractor",
    "PageImageExtractor",
    "get_extractor",
    "known_extractors",
    "register_extractor",
    "run_extractor",
]


@runtime_checkable
class Extractor(Protocol):
    """Turns one classified document into an `ExtractedInvoice`."""

    name: str

    def extract(
        self, document: OcrDocument, classification: Classification
    ) -> ExtractedInvoice: ...


@runtime_checkable
class PageImageExtractor(Extractor, Protocol):
    """An extractor that reads the page images themselves, as cloud services do.

    `pages` are the PNGs the convert stage wrote, in page order; `document`
    still supplies the upload identity and the OCR page sizes.
    """

    def extract_pages(
        self,
        pages: Sequence[bytes],
        document: OcrDocument,
        classification: Classification,
    ) -> ExtractedInvoice: ...


def _local(settings: PipelineSettings) -> Extractor:
    from invoiceflow.extract.rules import LocalExtractor

    return LocalExtractor()


# Importing a cloud adapter imports its SDK, half a second to a second and a
# half; only the configured one is imported.
def _documentai(settings: PipelineSettings) -> Extractor:
    from invoiceflow.extract.documentai import DocumentAiExtractor

    return DocumentAiExtractor.from_settings(settings)


def _gemini(settings: PipelineSettings) -> Extractor:
    from invoiceflow.extract.gemini import GeminiExtractor

    return GeminiExtractor.from_settings(settings)


_FACTORIES: dict[str, Callable[[PipelineSettings], Extractor]] = {
    "local": _local,
    "documentai": _documentai,
    "gemini": _gemini,
}


def register_extractor(
    name: str, factory: Callable[[PipelineSettings], Extractor]
) -> None:
    """Make `get_extractor(name)` build extractors with `factory`."""
    _FACTORIES[name] = factory


def known_extractors() -> list[str]:
    return sorted(_FACTORIES)


def get_extractor(
    name: str = "local", settings: PipelineSettings | None = None
) -> Extractor:
    """The extractor configured as `name`; raises ValueError for an unknown one.

    `settings` configures the cloud adapters (processor, model, region);
    without it they are read from INVOICEFLOW_* variables.
    """
    try:
        factory = _FACTORIES[name]
    except KeyError:
        known = ", ".join(known_extractors())
        raise ValueError(
            f"Unknown extractor {name!r}; known extractors are: {known}."
        ) from None
    return factory(settings if settings is not None else PipelineSettings())


def run_extractor(
    extractor: Extractor,
    document: OcrDocument,
    classification: Classification,
    load_pages: Callable[[], Sequence[bytes]],
) -> ExtractedInvoice:
    """Run `extractor`, loading the page PNGs only for one that reads images."""
    if isinstance(extractor, PageImageExtractor):
        return extractor.extract_pages(load_pages(), document, classification)
    return extractor.extract(document, classification)
