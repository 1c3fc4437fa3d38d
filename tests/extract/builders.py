"""Hand-built OCR documents: words placed where a 300 dpi scan would put them."""

from __future__ import annotations

from invoiceflow.models import Classification, OcrDocument, OcrPage, OcrWord

CHAR_WIDTH_PX = 18
WORD_SPACE_PX = 12
TEXT_HEIGHT_PX = 30


def placed(
    x: int, y: int, text: str, block: int, confidence: float = 95.0
) -> list[OcrWord]:
    """The words of `text` as one OCR line starting at (x, y)."""
    words = []
    left = x
    for word in text.split():
        right = left + CHAR_WIDTH_PX * len(word)
        words.append(
            OcrWord(
                text=word,
                confidence=confidence,
                bbox=(left, y, right, y + TEXT_HEIGHT_PX),
                block_number=block,
                line_number=1,
            )
        )
        left = right + WORD_SPACE_PX
    return words


def page(
    *lines: tuple[int, int, str], page_number: int = 1, confidence: float = 95.0
) -> OcrPage:
    """A letter page at 300 dpi; each (x, y, text) is its own OCR block."""
    words = [
        word
        for block, (x, y, text) in enumerate(lines, start=1)
        for word in placed(x, y, text, block, confidence)
    ]
    return OcrPage(page_number=page_number, width=2550, height=3300, words=words)


def document(*pages: OcrPage) -> OcrDocument:
    return OcrDocument(source="gs://invoices-input/test.tif#1", pages=list(pages))


def classification(
    language: str = "en",
    currency: str | None = "USD",
    document_type: str = "invoice",
    vendor: str = "unknown",
) -> Classification:
    return Classification(
        document_type=document_type,  # type: ignore[arg-type]
        vendor=vendor,
        language=language,
        currency=currency,
        confidence={"currency": 0.95},
    )
