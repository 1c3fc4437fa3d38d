"""Prefect block types of invoiceflow and their registration."""
