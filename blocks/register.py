"""Register invoiceflow's block types and save the settings block and local work pool.

Run as `python -m blocks.register` with PREFECT_API_URL pointing at the server.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.exceptions import ObjectAlreadyExists

from blocks.pipeline_settings import DEFAULT_BLOCK_NAME, InvoiceflowSettings
from invoiceflow.settings import PipelineSettings

logger = logging.getLogger(__name__)


def register_settings_block(name: str = DEFAULT_BLOCK_NAME) -> None:
    """Save the current INVOICEFLOW_* settings as the named settings block."""
    InvoiceflowSettings.register_type_and_schema()
    settings = PipelineSettings()
    block = InvoiceflowSettings(
        **{
            key: (str(value) if key == "warehouse_path" else value)
            for key, value in settings.model_dump().items()
            if key in InvoiceflowSettings.model_fields
        }
    )
    block.save(name, overwrite=True)


async def ensure_work_pool(name: str) -> None:
    """Create the local process work pool with the process worker's job template."""
    from prefect.workers.process import ProcessWorker

    template = ProcessWorker.get_default_base_job_template()
    async with get_client() as client:
        try:
            await client.create_work_pool(
                WorkPoolCreate(name=name, type="process", base_job_template=template)
            )
        except ObjectAlreadyExists:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work-pool", default="invoiceflow-local")
    args = parser.parse_args()

    register_settings_block()
    asyncio.run(ensure_work_pool(args.work_pool))
    print(f"Registered block '{DEFAULT_BLOCK_NAME}' and work pool '{args.work_pool}'.")


if __name__ == "__main__":
    main()
