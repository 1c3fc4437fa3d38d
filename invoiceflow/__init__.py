"""invoiceflow: scanned invoices from a bucket to a warehouse row, one flow run each."""

__version__ = "0.1.0"
