"""Synthetic scanned invoices and receipts with ground truth, for demos and eval."""

from invoiceflow.samples.corpus import generate_corpus
from invoiceflow.samples.layouts import HELD_OUT_LAYOUTS, LAYOUTS, render_invoice
from invoiceflow.samples.scan import scan, write_tiff
from invoiceflow.samples.spec import InvoiceSpec, LineItemSpec, build_spec, ground_truth

__all__ = [
    "HELD_OUT_LAYOUTS",
    "LAYOUTS",
    "InvoiceSpec",
    "LineItemSpec",
    "build_spec",
    "generate_corpus",
    "ground_truth",
    "render_invoice",
    "scan",
    "write_tiff",
]
