"""What the CLI shows of a warehouse row: the JSON contract and the table."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from invoiceflow.warehouse import INVOICE_FIELDS

TABLE_COLUMNS = (
    "status",
    "vendor",
    "invoice_number",
    "issuer_name",
    "invoice_date",
    "currency",
    "total",
    "pages",
)


def row_to_output(row: dict[str, Any]) -> dict[str, Any]:
    """The `run --json` object: one per input, the keys scripts rely on."""
    out: dict[str, Any] = {
        "source": row["source"],
        "status": row["status"],
        "error": row.get("error"),
        "review_reasons": _json(row.get("review_reasons"), []),
        "pages": row.get("pages"),
        "document_type": row.get("document_type"),
        "vendor": row.get("vendor"),
        "language": row.get("language"),
    }
    for key in INVOICE_FIELDS:
        out[key] = _plain(row.get(key))
    out["line_items"] = _json(row.get("line_items"), [])
    out["confidence"] = _json(row.get("confidence"), {})
    return out


def failed_output(source: str, error: str) -> dict[str, Any]:
    """The object for an input that never reached the warehouse."""
    return {"source": source, "status": "failed", "error": error, "pages": 0}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _json(value: Any, default: Any) -> Any:
    if value is None:
        return default
    return json.loads(value) if isinstance(value, str) else value
