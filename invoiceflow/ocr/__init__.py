"""Tesseract OCR of page images into words with boxes, confidences and page geometry."""

from invoiceflow.ocr.engine import OcrEngine, ocr_document
from invoiceflow.ocr.skew import estimate_skew_degrees
from invoiceflow.ocr.tessdata import TessdataNotFoundError, find_tessdata

__all__ = [
    "OcrEngine",
    "TessdataNotFoundError",
    "estimate_skew_degrees",
    "find_tessdata",
    "ocr_document",
]
