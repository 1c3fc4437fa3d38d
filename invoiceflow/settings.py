"""Pipeline settings: one model, from INVOICEFLOW_* variables or a Prefect block."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConvertLimits(BaseSettings):
    """Bounds that keep a hostile TIFF from exhausting the worker."""

    model_config = SettingsConfigDict(env_prefix="INVOICEFLOW_CONVERT_")

    max_pixels_per_page: int = Field(
        default=100_000_000,
        gt=0,
        description="pixels in one decoded page; 100 MP is A3 at about 720 dpi",
    )
    max_pages: int = Field(default=200, gt=0, description="pages in one file")
    max_source_bytes: int = Field(
        default=512 * 1024 * 1024, gt=0, description="bytes of the uploaded file"
    )
    png_compress_level: int = Field(
        default=1, ge=0, le=9, description="zlib level for page PNGs"
    )


class PipelineSettings(BaseSettings):
    """Names and limits the stages need; no stage hard-codes any of them."""

    model_config = SettingsConfigDict(env_prefix="INVOICEFLOW_")

    project_id: str = Field(default="local-project", description="GCP project id")
    input_bucket: str = "invoices-input"
    processed_bucket: str = "invoices-processed"
    failed_bucket: str = "invoices-failed"
    input_prefix: str = Field(
        default="", description="only objects under this prefix are processed"
    )
    uploads_topic: str = "invoice-uploads"
    uploads_subscription: str = "invoice-uploads-bridge"
    dead_letter_topic: str = "invoice-uploads-dead-letter"
    max_delivery_attempts: int = Field(
        default=5, ge=5, le=100, description="deliveries before the dead-letter topic"
    )
    min_backoff_seconds: int = Field(default=10, ge=0, le=600)
    max_backoff_seconds: int = Field(default=600, ge=0, le=600)
    stage_topics: dict[str, str] = Field(
        default_factory=dict,
        description="stage -> Pub/Sub topic to mirror stage events to, if set",
    )
    warehouse: Literal["duckdb", "bigquery"] = Field(
        default="duckdb",
        description="where gs:// uploads are loaded; file:// runs always use DuckDB",
    )
    bigquery_table: str = Field(
        default="invoices.extracted_data",
        description="DATASET.TABLE or PROJECT.DATASET.TABLE for the bigquery "
        "warehouse; a missing project is project_id",
    )
    warehouse_path: Path = Field(
        default=Path(".state/warehouse.duckdb"), description="DuckDB file"
    )
    warehouse_table: str = "extracted_data"
    local_root: Path = Field(
        default=Path(".state/local"),
        description="folder standing in for the buckets when running without servers",
    )
    extractor: str = Field(
        default="local",
        description="extractor adapter name: local, documentai or gemini",
    )
    documentai_processor: str | None = Field(
        default=None,
        description="Document AI Invoice Parser for the documentai extractor, as "
        "projects/P/locations/L/processors/ID, optionally with /processorVersions/V",
    )
    gemini_model: str = Field(
        default="gemini-2.5-flash",
        description="Vertex AI model of the gemini extractor",
    )
    gemini_location: str = Field(
        default="us-central1", description="Vertex AI region the gemini extractor calls"
    )
    cloud_timeout_seconds: float = Field(
        default=120.0,
        gt=0,
        le=900,
        description="seconds one Document AI or Gemini call may take; a call "
        "that runs out is a transient failure and is retried",
    )
    ocr_languages: str = Field(default="eng+por+spa", description="Tesseract langs")
    ocr_workers: int = Field(
        default=2, ge=1, description="pages OCR'd at once, one thread each"
    )
    review_confidence: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="fields below this confidence send the invoice to review",
    )
    convert: ConvertLimits = Field(default_factory=ConvertLimits)
