"""The BigQuery warehouse's requests: MERGE text, typed parameters, table, errors.

No BigQuery runs on this machine (no emulator installs, no network), so these
tests check what the adapter asks of BigQuery through a stand-in client that
records each request, not how BigQuery executes it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from google.api_core import exceptions as gexc
from google.cloud import bigquery

from blocks.pipeline_settings import InvoiceflowSettings
from invoiceflow.bigquery import (
    BigQueryWarehouse,
    WarehouseConfigError,
    qualified_table_id,
    table_schema,
)
from invoiceflow.errors import PermanentError, TransientError, is_transient
from invoiceflow.models import ExtractedInvoice, FieldEvidence, InvoiceResult, LineItem
from invoiceflow.runtime import warehouse_for
from invoiceflow.settings import PipelineSettings
from invoiceflow.warehouse import COLUMNS, DuckDbWarehouse, result_to_row

TABLE_ID = "acme-prod.invoices.extracted_data"


class _Job:
    def __init__(self, rows: list[bigquery.Row], error: Exception | None) -> None:
        self._rows = rows
        self._error = error

    def result(self) -> list[bigquery.Row]:
        if self._error is not None:
            raise self._error
        return self._rows


class StandInClient:
    """Answers the calls the adapter makes of `bigquery.Client`, recording each."""

    def __init__(
        self,
        table: bigquery.Table | None = None,
        rows: list[bigquery.Row] | None = None,
        query_error: Exception | None = None,
        create_error: Exception | None = None,
    ) -> None:
        self.table = table
        self.rows = rows or []
        self.query_error = query_error
        self.create_error = create_error
        self.queries: list[tuple[str, bigquery.QueryJobConfig]] = []
        self.created: list[bigquery.Table] = []
        self.table_lookups = 0

    def get_table(self, table_id: str) -> bigquery.Table:
        self.table_lookups += 1
        if self.table is None:
            raise gexc.NotFound(f"Not found: Table {table_id}")
        return self.table

    def create_table(
        self, table: bigquery.Table, exists_ok: bool = False
    ) -> bigquery.Table:
        if self.create_error is not None:
            raise self.create_error
        self.created.append(table)
        self.table = table
        return table

    def query(self, sql: str, job_config: bigquery.QueryJobConfig) -> _Job:
        self.queries.append((sql, job_config))
        return _Job(self.rows, self.query_error)


def _existing_table() -> bigquery.Table:
    return bigquery.Table(TABLE_ID, schema=table_schema())


def _row(invoice_number: str = "INV-1") -> dict[str, Any]:
    invoice = ExtractedInvoice(
        invoice_number=invoice_number,
        issuer_name="Acme",
        invoice_date=date(2026, 3, 1),
        currency="USD",
        subtotal=Decimal("100.00"),
        tax=Decimal("10.00"),
        total=Decimal("110.00"),
        line_items=[
            LineItem(description="Paper", quantity=Decimal(2), amount=Decimal(100))
        ],
        evidence={
            "total": FieldEvidence(confidence=0.9, page_number=1, bbox=(1, 2, 3, 4))
        },
    )
    result = InvoiceResult(
        source="gs://in/a.tif#5", status="ok", pages=1, invoice=invoice
    )
    return result_to_row(result, bucket="in", object_name="a.tif", generation="5")


def _parameters(job_config: bigquery.QueryJobConfig) -> dict[str, Any]:
    return {p.name: p for p in job_config.query_parameters}


def _upsert(client: StandInClient, row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    BigQueryWarehouse(TABLE_ID, client=client).upsert(row)
    sql, job_config = client.queries[-1]
    return sql, _parameters(job_config)


def test_upsert_is_one_merge_keyed_on_source() -> None:
    client = StandInClient(table=_existing_table())

    sql, _ = _upsert(client, _row())

    assert len(client.queries) == 1
    assert sql.startswith(f"MERGE `{TABLE_ID}` AS target")
    assert "ON target.source = incoming.source" in sql
    assert "WHEN MATCHED THEN UPDATE SET" in sql
    assert "WHEN NOT MATCHED THEN INSERT" in sql
    assert "source = incoming.source," not in sql.split("UPDATE SET")[1]


def test_merge_binds_every_column_to_a_named_parameter() -> None:
    client = StandInClient(table=_existing_table())

    sql, parameters = _upsert(client, _row())

    assert set(parameters) == set(COLUMNS)
    assert set(re.findall(r"@(\w+)", sql)) == set(COLUMNS)
    insert_columns = sql.split("INSERT (")[1].split(")")[0].split(", ")
    assert insert_columns == list(COLUMNS)


def test_merge_parameters_carry_bigquery_types_and_python_values() -> None:
    client = StandInClient(table=_existing_table())

    _, parameters = _upsert(client, _row())

    types = {name: parameter.type_ for name, parameter in parameters.items()}
    assert types["source"] == "STRING"
    assert types["pages"] == "INT64"
    assert {types[name] for name in ("subtotal", "tax", "total")} == {"NUMERIC"}
    assert {types["invoice_date"], types["due_date"]} == {"DATE"}
    assert types["loaded_at"] == "TIMESTAMP"
    assert {types[n] for n in ("line_items", "confidence", "review_reasons")} == {
        "JSON"
    }
    assert parameters["total"].value == Decimal("110.00")
    assert parameters["invoice_date"].value == date(2026, 3, 1)
    assert parameters["due_date"].value is None


def test_json_columns_are_sent_as_json_documents_not_quoted_text() -> None:
    client = StandInClient(table=_existing_table())

    _, parameters = _upsert(client, _row())

    sent = parameters["line_items"].to_api_repr()["parameterValue"]["value"]
    assert json.loads(sent)[0]["description"] == "Paper"
    confidence = parameters["confidence"].to_api_repr()["parameterValue"]["value"]
    assert json.loads(confidence) == {"total": 0.9}


def test_row_values_never_reach_the_sql_text() -> None:
    client = StandInClient(table=_existing_table())
    hostile = "x'); DROP TABLE invoices.extracted_data; --"

    sql, parameters = _upsert(client, _row(invoice_number=hostile))

    assert "DROP TABLE" not in sql
    assert "x'" not in sql
    assert parameters["invoice_number"].value == hostile


def test_missing_table_is_created_partitioned_by_day_and_clustered_by_source() -> None:
    client = StandInClient()

    _upsert(client, _row())

    assert len(client.created) == 1
    table = client.created[0]
    assert [field.name for field in table.schema] == list(COLUMNS)
    assert table.time_partitioning.type_ == bigquery.TimePartitioningType.DAY
    assert table.time_partitioning.field == "loaded_at"
    assert table.clustering_fields == ["source"]


def test_created_schema_maps_duckdb_types_and_required_columns() -> None:
    fields = {field.name: field for field in table_schema()}

    assert fields["source"].field_type == "STRING"
    assert fields["source"].mode == "REQUIRED"
    assert fields["status"].mode == "REQUIRED"
    assert fields["error"].mode == "NULLABLE"
    assert fields["pages"].field_type == "INT64"
    assert fields["invoice_date"].field_type == "DATE"
    assert fields["total"].field_type == "NUMERIC"
    assert (fields["total"].precision, fields["total"].scale) == (18, 2)
    assert fields["line_items"].field_type == "JSON"
    assert fields["loaded_at"].field_type == "TIMESTAMP"


def test_table_is_checked_once_per_warehouse_not_per_upsert() -> None:
    client = StandInClient()
    warehouse = BigQueryWarehouse(TABLE_ID, client=client)

    warehouse.upsert(_row())
    warehouse.upsert(_row())

    assert client.table_lookups == 1
    assert len(client.created) == 1
    assert len(client.queries) == 2


def test_existing_table_is_left_as_it_is() -> None:
    client = StandInClient(table=_existing_table())

    _upsert(client, _row())

    assert client.created == []


def test_existing_table_without_a_new_column_is_a_configuration_error() -> None:
    schema = [field for field in table_schema() if field.name != "flow_run_id"]
    client = StandInClient(table=bigquery.Table(TABLE_ID, schema=schema))

    with pytest.raises(WarehouseConfigError, match="flow_run_id"):
        _upsert(client, _row())

    assert client.queries == []


def test_missing_dataset_fails_without_retry_or_quarantine() -> None:
    missing = gexc.NotFound("Not found: Dataset acme-prod:invoices")
    client = StandInClient(create_error=missing)

    with pytest.raises(WarehouseConfigError, match="does not exist") as caught:
        _upsert(client, _row())

    assert not is_transient(caught.value)
    assert not isinstance(caught.value, PermanentError)


def test_denied_access_names_the_roles_to_grant() -> None:
    denied = gexc.Forbidden("Access Denied", errors=[{"reason": "accessDenied"}])
    client = StandInClient(table=_existing_table(), query_error=denied)

    with pytest.raises(WarehouseConfigError, match="bigquery.jobUser") as caught:
        _upsert(client, _row())

    assert not is_transient(caught.value)


def test_rate_limit_refusal_is_retried() -> None:
    limited = gexc.Forbidden(
        "Exceeded rate limits", errors=[{"reason": "rateLimitExceeded"}]
    )
    client = StandInClient(table=_existing_table(), query_error=limited)

    with pytest.raises(TransientError) as caught:
        _upsert(client, _row())

    assert is_transient(caught.value)


def test_concurrent_update_conflict_is_retried() -> None:
    conflict = gexc.BadRequest(
        "Could not serialize access to table acme-prod:invoices.extracted_data "
        "due to concurrent update",
        errors=[{"reason": "invalidQuery"}],
    )
    client = StandInClient(table=_existing_table(), query_error=conflict)

    with pytest.raises(TransientError):
        _upsert(client, _row())


def test_bad_query_propagates_unchanged_and_is_not_retried() -> None:
    bad = gexc.BadRequest("Syntax error: Unexpected keyword WHEN at [4:1]")
    client = StandInClient(table=_existing_table(), query_error=bad)

    with pytest.raises(gexc.BadRequest) as caught:
        _upsert(client, _row())

    assert not is_transient(caught.value)


def test_row_lookup_binds_the_source_as_a_positional_parameter() -> None:
    found = bigquery.Row(
        ("gs://in/a.tif#5", "ok", [{"description": "Paper"}], {"total": 0.9}),
        {"source": 0, "status": 1, "line_items": 2, "confidence": 3},
    )
    client = StandInClient(rows=[found])

    row = BigQueryWarehouse(TABLE_ID, client=client).row("gs://in/a.tif#5")

    sql, job_config = client.queries[0]
    assert "WHERE source = ?" in sql
    assert "gs://in/a.tif" not in sql
    [parameter] = job_config.query_parameters
    assert (parameter.name, parameter.type_) == (None, "STRING")
    assert parameter.value == "gs://in/a.tif#5"
    assert row is not None
    assert json.loads(row["line_items"])[0]["description"] == "Paper"
    assert json.loads(row["confidence"]) == {"total": 0.9}


def test_absent_table_reads_as_empty() -> None:
    client = StandInClient(query_error=gexc.NotFound("Not found: Table"))

    rows = BigQueryWarehouse(TABLE_ID, client=client).rows()

    assert rows == []


def test_table_without_project_takes_the_settings_project() -> None:
    assert qualified_table_id("invoices.extracted_data", "acme-prod") == TABLE_ID
    assert qualified_table_id("other.invoices.t", "acme-prod") == "other.invoices.t"
    with pytest.raises(ValueError, match="DATASET.TABLE"):
        qualified_table_id("extracted_data", "acme-prod")


def test_runtime_uses_bigquery_only_when_settings_choose_it() -> None:
    chosen = PipelineSettings(warehouse="bigquery", project_id="acme-prod")

    cloud = warehouse_for(chosen, "gs")
    local_file = warehouse_for(chosen, "file")
    default = warehouse_for(PipelineSettings(), "gs")

    assert isinstance(cloud, BigQueryWarehouse)
    assert cloud.table_id == TABLE_ID
    assert isinstance(local_file, DuckDbWarehouse)
    assert isinstance(default, DuckDbWarehouse)


def test_warehouse_choice_comes_from_environment_and_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INVOICEFLOW_WAREHOUSE", "bigquery")
    monkeypatch.setenv("INVOICEFLOW_BIGQUERY_TABLE", "other.invoices.rows")
    block = InvoiceflowSettings(warehouse="bigquery", bigquery_table="ds.t")

    from_env = PipelineSettings()
    from_block = block.to_settings()

    assert (from_env.warehouse, from_env.bigquery_table) == (
        "bigquery",
        "other.invoices.rows",
    )
    assert (from_block.warehouse, from_block.bigquery_table) == ("bigquery", "ds.t")
