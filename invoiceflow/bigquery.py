"""BigQuery `invoices.extracted_data`: the production warehouse, upserted by MERGE."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import bigquery

from invoiceflow.errors import TransientError, WarehouseConfigError
from invoiceflow.warehouse import COLUMNS

__all__ = [
    "BigQueryWarehouse",
    "WarehouseConfigError",
    "qualified_table_id",
    "table_schema",
]

logger = logging.getLogger(__name__)

# The DuckDB declarations of `COLUMNS` in BigQuery's terms, key modifiers aside.
_BIGQUERY_TYPES = {
    "VARCHAR": "STRING",
    "INTEGER": "INT64",
    "DATE": "DATE",
    "DECIMAL(18, 2)": "NUMERIC",
    "JSON": "JSON",
    "TIMESTAMPTZ": "TIMESTAMP",
}

# Money keeps DuckDB's DECIMAL(18, 2); BigQuery rounds extra decimals half away
# from zero on write, as DuckDB's cast does.
_MONEY_PRECISION = 18
_MONEY_SCALE = 2

# BigQuery answers 403 with these reasons when a quota or rate limit, not a
# missing permission, refused the job; they pass once the rate drops.
_RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "quotaExceeded", "jobRateLimitExceeded"}
)


def _base_type(declaration: str) -> str:
    return declaration.removesuffix(" PRIMARY KEY").removesuffix(" NOT NULL")


_TYPES: dict[str, str] = {
    name: _BIGQUERY_TYPES[_base_type(declaration)]
    for name, declaration in COLUMNS.items()
}
_JSON_COLUMNS = frozenset(name for name, kind in _TYPES.items() if kind == "JSON")


def table_schema() -> list[bigquery.SchemaField]:
    """The warehouse columns as BigQuery fields, in the DuckDB table's order."""
    fields = []
    for name, declaration in COLUMNS.items():
        required = declaration != _base_type(declaration)
        mode = "REQUIRED" if required else "NULLABLE"
        if _TYPES[name] == "NUMERIC":
            field = bigquery.SchemaField(
                name,
                "NUMERIC",
                mode=mode,
                precision=_MONEY_PRECISION,
                scale=_MONEY_SCALE,
            )
        else:
            field = bigquery.SchemaField(name, _TYPES[name], mode=mode)
        fields.append(field)
    return fields


def qualified_table_id(table: str, project_id: str) -> str:
    """`project.dataset.table`, taking the project from `project_id` if absent."""
    parts = table.split(".")
    if "`" in table or len(parts) < 2 or not all(parts):
        raise ValueError(
            f"BigQuery table {table!r} is not DATASET.TABLE or "
            "PROJECT.DATASET.TABLE; check INVOICEFLOW_BIGQUERY_TABLE."
        )

    if len(parts) == 2:
        return f"{project_id}.{table}"
    return table


class BigQueryWarehouse:
    """The production warehouse: one row per upload identity in a BigQuery table.

    Each upsert is one MERGE job. BigQuery runs two mutating DML jobs per table
    at a time and queues 20 more, and concurrent MERGEs into today's partition
    conflict and are retried, so a burst of flow runs waits on the warehouse.
    Volumes beyond a few invoices a second would need batched loads into a
    staging table, merged on a schedule.
    """

    def __init__(self, table_id: str, client: Any | None = None) -> None:
        if table_id.count(".") < 2 or "`" in table_id:
            raise ValueError(
                f"BigQuery table id {table_id!r} must be PROJECT.DATASET.TABLE; "
                "build it with qualified_table_id()."
            )
        self.table_id = table_id
        self._client = client
        self._table_ready = False
        self._lock = threading.Lock()
        self._merge_sql = _merge_sql(table_id)

    def __str__(self) -> str:
        return f"BigQuery {self.table_id}"

    @property
    def client(self) -> Any:
        # Built on first use, so choosing BigQuery in settings costs no
        # credential lookup until a row is actually written or read.
        if self._client is None:
            project = self.table_id.rsplit(".", 2)[0]
            self._client = bigquery.Client(project=project)
        return self._client

    def ensure_table(self) -> None:
        """Create the table if it is missing; check an existing one has every column.

        Raises:
            WarehouseConfigError: the dataset is missing, access is denied, or
                the existing table lacks columns this version writes.
        """
        with _translated(self.table_id):
            existing = self._existing_table()
            if existing is None:
                self.client.create_table(_table_spec(self.table_id), exists_ok=True)
                logger.info("Created BigQuery table %s", self.table_id)
                return

        present = {field.name for field in existing.schema}
        missing = [name for name in COLUMNS if name not in present]
        if missing:
            raise WarehouseConfigError(
                f"BigQuery table {self.table_id} lacks columns {', '.join(missing)}; "
                "add them with ALTER TABLE ... ADD COLUMN (types as in "
                "invoiceflow.bigquery.table_schema())."
            )

    def upsert(self, row: dict[str, Any]) -> None:
        """Insert the row, or update the one with the same `source`, in one MERGE."""
        self._ensure_table_once()
        job_config = bigquery.QueryJobConfig(query_parameters=_merge_parameters(row))

        with _translated(self.table_id):
            self.client.query(self._merge_sql, job_config=job_config).result()

        logger.info(
            "Upserted %s into %s (%s)", row["source"], self.table_id, row["status"]
        )

    def rows(
        self, where: str = "", params: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        """Rows as dicts, newest first; an absent table has no rows.

        JSON columns come back as JSON text, as they do from DuckDB.
        """
        sql = f"SELECT * FROM `{self.table_id}` {where} ORDER BY loaded_at DESC"
        positional = [_positional_parameter(value) for value in params or []]
        job_config = bigquery.QueryJobConfig(query_parameters=positional)

        with _translated(self.table_id):
            try:
                result = self.client.query(sql, job_config=job_config).result()
            except gexc.NotFound:
                return []
        return [_from_bigquery(dict(found.items())) for found in result]

    def row(self, source: str) -> dict[str, Any] | None:
        """The row of one upload identity, if it was loaded."""
        found = self.rows("WHERE source = ?", [source])
        return found[0] if found else None

    def _ensure_table_once(self) -> None:
        # Once per process: a get_table call per invoice would add a round trip
        # and count against the table metadata read quota for nothing.
        with self._lock:
            if not self._table_ready:
                self.ensure_table()
                self._table_ready = True

    def _existing_table(self) -> Any | None:
        try:
            return self.client.get_table(self.table_id)
        except gexc.NotFound:
            return None


def _merge_parameters(row: dict[str, Any]) -> list[bigquery.ScalarQueryParameter]:
    """One typed named parameter per warehouse column, null where the row lacks it."""
    parameters = []
    for name, kind in _TYPES.items():
        value = row.get(name)
        if name in _JSON_COLUMNS and isinstance(value, str):
            # The client serialises JSON parameters itself; passing the text
            # would store a JSON string instead of the array or object.
            value = json.loads(value)
        parameters.append(bigquery.ScalarQueryParameter(name, kind, value))
    return parameters


def _merge_sql(table_id: str) -> str:
    names = list(COLUMNS)
    selected = ", ".join(f"@{name} AS {name}" for name in names)
    updates = ", ".join(f"{name} = incoming.{name}" for name in names[1:])
    inserted = ", ".join(f"incoming.{name}" for name in names)
    return (
        f"MERGE `{table_id}` AS target\n"
        f"USING (SELECT {selected}) AS incoming\n"
        "ON target.source = incoming.source\n"
        f"WHEN MATCHED THEN UPDATE SET {updates}\n"
        f"WHEN NOT MATCHED THEN INSERT ({', '.join(names)}) VALUES ({inserted})"
    )


def _table_spec(table_id: str) -> bigquery.Table:
    table = bigquery.Table(table_id, schema=table_schema())
    table.time_partitioning = bigquery.TimePartitioning(
        type_=bigquery.TimePartitioningType.DAY, field="loaded_at"
    )
    # Every MERGE and every reconcile lookup filters on `source`; clustering
    # on it lets BigQuery read a few blocks instead of whole partitions.
    table.clustering_fields = ["source"]
    return table


def _positional_parameter(value: Any) -> bigquery.ScalarQueryParameter:
    return bigquery.ScalarQueryParameter(None, _parameter_type(value), value)


def _parameter_type(value: Any) -> str:
    # bool before int and datetime before date: each is a subclass of the other.
    checks: list[tuple[type, str]] = [
        (bool, "BOOL"),
        (int, "INT64"),
        (float, "FLOAT64"),
        (Decimal, "NUMERIC"),
        (datetime, "TIMESTAMP"),
        (date, "DATE"),
        (str, "STRING"),
    ]
    for python_type, kind in checks:
        if isinstance(value, python_type):
            return kind
    raise TypeError(f"no BigQuery parameter type for {type(value).__name__}")


def _from_bigquery(found: dict[str, Any]) -> dict[str, Any]:
    for name in _JSON_COLUMNS:
        if found.get(name) is not None:
            found[name] = json.dumps(found[name])
    return found


def _reasons(exc: gexc.GoogleAPICallError) -> set[str]:
    return {
        str(error.get("reason"))
        for error in exc.errors or []
        if isinstance(error, dict)
    }


@contextmanager
def _translated(table_id: str) -> Iterator[None]:
    """Turn BigQuery's answers into the pipeline's error family where it matters.

    5xx, 429 and deadlines pass through unchanged: `is_transient` already
    retries them. A plain 400 is a bug in the query and propagates as well.
    """
    try:
        yield
    except gexc.Forbidden as exc:
        if _reasons(exc) & _RATE_LIMIT_REASONS:
            raise TransientError(
                f"BigQuery rate-limited jobs on {table_id}: {exc.message}"
            ) from exc
        raise WarehouseConfigError(
            f"BigQuery denied access to {table_id}: {exc.message}. Grant the flow "
            "run's service account roles/bigquery.dataEditor on the dataset and "
            "roles/bigquery.jobUser on the project."
        ) from exc
    except gexc.NotFound as exc:
        raise WarehouseConfigError(
            f"BigQuery table {table_id} or its dataset does not exist: "
            f"{exc.message}. Create the dataset, or point "
            "INVOICEFLOW_BIGQUERY_TABLE at an existing one."
        ) from exc
    except gexc.BadRequest as exc:
        # Concurrent MERGEs on one partition abort each other after BigQuery's
        # own retries; the conflict passes, so it is transient, not a bad query.
        if "concurrent update" not in str(exc):
            raise
        raise TransientError(
            f"BigQuery aborted a write to {table_id} for a concurrent update"
        ) from exc
