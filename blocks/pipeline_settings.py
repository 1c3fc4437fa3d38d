"""Block `invoiceflow-settings`: the pipeline settings, editable in the Prefect UI."""

from __future__ import annotations

import logging
import os
from typing import Literal

from prefect.blocks.core import Block
from pydantic import Field

from invoiceflow.settings import PipelineSettings

logger = logging.getLogger(__name__)

DEFAULT_BLOCK_NAME = "invoiceflow"


class InvoiceflowSettings(Block):
    """Bucket, topic and warehouse names and the stage limits for one environment.

    Unset fields fall back to INVOICEFLOW_* environment variables and then to
    the defaults of `invoiceflow.settings.PipelineSettings`.
    """

    _block_type_name = "Invoiceflow Settings"
    _block_type_slug = "invoiceflow-settings"
    _description = "Names and limits of the invoiceflow pipeline for one environment."

    project_id: str | None = Field(default=None, description="GCP project id")
    input_bucket: str | None = None
    processed_bucket: str | None = None
    failed_bucket: str | None = None
    input_prefix: str | None = None
    dead_letter_topic: str | None = None
    stage_topics: dict[str, str] | None = Field(
        default=None, description="stage name -> Pub/Sub topic to mirror its event to"
    )
    warehouse: Literal["duckdb", "bigquery"] | None = Field(
        default=None, description="duckdb, or bigquery for gs:// uploads"
    )
    bigquery_table: str | None = Field(
        default=None, description="DATASET.TABLE or PROJECT.DATASET.TABLE"
    )
    warehouse_path: str | None = Field(default=None, description="DuckDB file")
    warehouse_table: str | None = None
    ocr_languages: str | None = None
    ocr_workers: int | None = Field(default=None, ge=1)
    review_confidence: float | None = Field(default=None, ge=0, le=1)
    extractor: str | None = Field(
        default=None, description="local, documentai or gemini"
    )
    documentai_processor: str | None = Field(
        default=None,
        description="projects/PROJECT/locations/LOCATION/processors/ID",
    )
    gemini_model: str | None = None
    gemini_location: str | None = None
    cloud_timeout_seconds: float | None = Field(default=None, gt=0, le=900)

    def to_settings(self) -> PipelineSettings:
        overrides = {
            key: value
            for key, value in self.model_dump(exclude={"block_type_slug"}).items()
            if value is not None and key in PipelineSettings.model_fields
        }
        return PipelineSettings(**overrides)


def load_pipeline_settings() -> PipelineSettings:
    """Settings from the block INVOICEFLOW_SETTINGS_BLOCK names, else from env."""
    name = os.environ.get("INVOICEFLOW_SETTINGS_BLOCK")
    if not name:
        return PipelineSettings()
    block: InvoiceflowSettings = InvoiceflowSettings.load(name)  # type: ignore[assignment]
    return block.to_settings()
