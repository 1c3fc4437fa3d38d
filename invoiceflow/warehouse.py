"""The warehouse table: one row per upload identity, written by idempotent upsert."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb

from invoiceflow.errors import TransientError
from invoiceflow.models import InvoiceResult

logger = logging.getLogger(__name__)

# Declared in DuckDB's dialect; invoiceflow.bigquery maps each type to BigQuery's.
COLUMNS: dict[str, str] = {
    "source": "VARCHAR PRIMARY KEY",
    "bucket": "VARCHAR",
    "object_name": "VARCHAR",
    "generation": "VARCHAR",
    "status": "VARCHAR NOT NULL",
    "error": "VARCHAR",
    "error_kind": "VARCHAR",
    "review_reasons": "JSON",
    "pages": "INTEGER",
    "document_type": "VARCHAR",
    "vendor": "VARCHAR",
    "language": "VARCHAR",
    "invoice_number": "VARCHAR",
    "issuer_name": "VARCHAR",
    "issuer_address": "VARCHAR",
    "issuer_tax_id": "VARCHAR",
    "customer_name": "VARCHAR",
    "invoice_date": "DATE",
    "due_date": "DATE",
    "currency": "VARCHAR",
    "subtotal": "DECIMAL(18, 2)",
    "tax": "DECIMAL(18, 2)",
    "total": "DECIMAL(18, 2)",
    "purchase_order": "VARCHAR",
    "payment_terms": "VARCHAR",
    "line_items": "JSON",
    "confidence": "JSON",
    "source_sha256": "VARCHAR",
    "flow_run_id": "VARCHAR",
    "loaded_at": "TIMESTAMPTZ",
}

INVOICE_FIELDS = (
    "invoice_number",
    "issuer_name",
    "issuer_address",
    "issuer_tax_id",
    "customer_name",
    "invoice_date",
    "due_date",
    "currency",
    "subtotal",
    "tax",
    "total",
    "purchase_order",
    "payment_terms",
)


class Warehouse(Protocol):
    """Where outcomes land: upserted by upload identity and read back as dicts.

    `where` is a SQL clause with `?` placeholders bound to `params`, a form
    both DuckDB and BigQuery accept.
    """

    def upsert(self, row: dict[str, Any]) -> None: ...

    def rows(
        self, where: str = "", params: list[Any] | None = None
    ) -> list[dict[str, Any]]: ...

    def row(self, source: str) -> dict[str, Any] | None: ...


# DuckDB lets one process hold a file for writing; concurrent flow runs on one
# machine wait for each other this long before the task gives up and retries.
_LOCK_WAIT_SECONDS = 20.0


def result_to_row(
    result: InvoiceResult, *, bucket: str, object_name: str, generation: str
) -> dict[str, Any]:
    """Flatten an outcome into the warehouse columns."""
    invoice = result.invoice
    row: dict[str, Any] = {
        "source": result.source,
        "bucket": bucket,
        "object_name": object_name,
        "generation": generation,
        "status": result.status,
        "error": result.error,
        "error_kind": result.error_kind,
        "review_reasons": json.dumps(result.review_reasons),
        "pages": result.pages,
        "document_type": result.document_type,
        "vendor": result.vendor,
        "language": result.language,
        "source_sha256": result.source_sha256,
        "flow_run_id": result.flow_run_id,
        "loaded_at": datetime.now(UTC),
    }
    for field in INVOICE_FIELDS:
        row[field] = getattr(invoice, field) if invoice else None
    row["line_items"] = json.dumps(
        [item.model_dump(mode="json") for item in invoice.line_items] if invoice else []
    )
    row["confidence"] = json.dumps(
        {k: v.confidence for k, v in invoice.evidence.items()} if invoice else {}
    )
    return row


class DuckDbWarehouse:
    """The local stand-in for BigQuery `invoices.extracted_data`."""

    def __init__(self, path: Path, table: str = "extracted_data") -> None:
        self.path = path
        self.table = table

    def __str__(self) -> str:
        return f"DuckDB {self.path} table {self.table}"

    @contextmanager
    def _connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                conn = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() > deadline:
                    raise TransientError(
                        f"warehouse file {self.path} stayed locked by another "
                        f"process for {_LOCK_WAIT_SECONDS:.0f} s."
                    ) from exc
                time.sleep(0.1)
        try:
            yield conn
        finally:
            conn.close()

    def ensure_table(self, conn: duckdb.DuckDBPyConnection) -> None:
        columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({columns})")

    def upsert(self, row: dict[str, Any]) -> None:
        """Insert the row, or replace the one with the same `source`."""
        names = list(COLUMNS)
        placeholders = ", ".join("?" for _ in names)
        sql = (
            f"INSERT OR REPLACE INTO {self.table} ({', '.join(names)}) "
            f"VALUES ({placeholders})"
        )
        with self._connect() as conn:
            self.ensure_table(conn)
            conn.execute(sql, [row.get(name) for name in names])
        logger.info("Upserted %s into %s (%s)", row["source"], self.path, row["status"])

    def rows(
        self, where: str = "", params: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        """Rows as dicts, newest first; an absent warehouse has no rows."""
        if not self.path.exists():
            return []
        with self._connect(read_only=True) as conn:
            exists = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                [self.table],
            ).fetchone()
            if not exists or not exists[0]:
                return []
            cursor = conn.execute(
                f"SELECT * FROM {self.table} {where} ORDER BY loaded_at DESC",
                params or [],
            )
            names = [d[0] for d in cursor.description]
            return [
                dict(zip(names, values, strict=True)) for values in cursor.fetchall()
            ]

    def row(self, source: str) -> dict[str, Any] | None:
        found = self.rows("WHERE source = ?", [source])
        return found[0] if found else None
