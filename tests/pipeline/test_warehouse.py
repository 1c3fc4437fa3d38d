from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from invoiceflow.models import ExtractedInvoice, FieldEvidence, InvoiceResult, LineItem
from invoiceflow.warehouse import DuckDbWarehouse, result_to_row


def _result(total: str = "110.00") -> InvoiceResult:
    invoice = ExtractedInvoice(
        invoice_number="INV-1",
        issuer_name="Acme",
        invoice_date=date(2026, 3, 1),
        currency="USD",
        subtotal=Decimal("100.00"),
        tax=Decimal("10.00"),
        total=Decimal(total),
        line_items=[
            LineItem(description="Paper", quantity=Decimal(2), amount=Decimal(100))
        ],
        evidence={
            "total": FieldEvidence(confidence=0.9, page_number=1, bbox=(1, 2, 3, 4))
        },
    )
    return InvoiceResult(
        source="gs://in/a.tif#5", status="ok", pages=1, invoice=invoice
    )


def _upsert(warehouse: DuckDbWarehouse, result: InvoiceResult) -> None:
    row = result_to_row(result, bucket="in", object_name="a.tif", generation="5")
    warehouse.upsert(row)


def test_upsert_of_the_same_identity_keeps_one_row(tmp_path: Path) -> None:
    warehouse = DuckDbWarehouse(tmp_path / "w.duckdb")

    _upsert(warehouse, _result("110.00"))
    _upsert(warehouse, _result("111.00"))

    rows = warehouse.rows()
    assert len(rows) == 1
    assert rows[0]["total"] == Decimal("111.00")


def test_row_keeps_money_dates_items_and_confidence(tmp_path: Path) -> None:
    warehouse = DuckDbWarehouse(tmp_path / "w.duckdb")

    _upsert(warehouse, _result())

    row = warehouse.row("gs://in/a.tif#5")
    assert row is not None
    assert row["invoice_date"] == date(2026, 3, 1)
    assert row["subtotal"] == Decimal("100.00")
    assert json.loads(row["line_items"])[0]["description"] == "Paper"
    assert json.loads(row["confidence"]) == {"total": 0.9}


def test_missing_warehouse_reads_as_empty(tmp_path: Path) -> None:
    warehouse = DuckDbWarehouse(tmp_path / "absent.duckdb")

    assert warehouse.rows() == []
