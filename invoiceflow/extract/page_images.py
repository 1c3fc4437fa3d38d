"""What extractors that read page images share: they refuse OCR words alone."""

from __future__ import annotations

from invoiceflow.errors import PermanentError
from invoiceflow.models import Classification, ExtractedInvoice, OcrDocument


class ReadsPageImages:
    """Base of the cloud extractors, which are handed page PNGs, not OCR words."""

    name: str

    def extract(
        self, document: OcrDocument, classification: Classification
    ) -> ExtractedInvoice:
        raise PermanentError(
            f"{document.source}: the {self.name} extractor reads the page images, "
            "not OCR words; call extract_pages() with the page PNGs, as "
            "invoiceflow.extract.run_extractor does",
            kind="extractor_config",
        )
