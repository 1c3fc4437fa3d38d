"""The clients one flow-run process needs, built once from settings and reused."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from invoiceflow.models import UploadRef
from invoiceflow.settings import PipelineSettings
from invoiceflow.storage import GcsStore, LocalStore, ObjectStore
from invoiceflow.warehouse import DuckDbWarehouse, Warehouse

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: PipelineSettings
    store: ObjectStore
    warehouse: Warehouse

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        """Publish JSON to a Pub/Sub topic and wait until it is accepted."""
        publisher = _publisher()
        path = publisher.topic_path(self.settings.project_id, topic)
        publisher.publish(path, json.dumps(payload).encode()).result(timeout=30)


def runtime_for(settings: PipelineSettings, ref: UploadRef) -> Runtime:
    """Local folders for `file://` uploads, Cloud Storage for `gs://` ones."""
    return _runtime(settings.model_dump_json(), ref.scheme)


@lru_cache(maxsize=4)
def _runtime(settings_json: str, scheme: str) -> Runtime:
    settings = PipelineSettings.model_validate_json(settings_json)
    store: ObjectStore
    if scheme == "file":
        store = LocalStore(settings.local_root)
    else:
        store = GcsStore(project=settings.project_id)
    warehouse = warehouse_for(settings, scheme)
    return Runtime(settings=settings, store=store, warehouse=warehouse)


def warehouse_for(settings: PipelineSettings, scheme: str) -> Warehouse:
    """BigQuery when settings ask for it; DuckDB otherwise and for local files."""
    if scheme == "file" or settings.warehouse == "duckdb":
        return DuckDbWarehouse(settings.warehouse_path, settings.warehouse_table)

    from invoiceflow.bigquery import BigQueryWarehouse, qualified_table_id

    table_id = qualified_table_id(settings.bigquery_table, settings.project_id)
    return BigQueryWarehouse(table_id)


@lru_cache(maxsize=1)
def _publisher() -> Any:
    from invoiceflow.gcp import pubsub_v1

    return pubsub_v1.PublisherClient()
