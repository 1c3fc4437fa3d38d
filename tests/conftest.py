"""Shared fixtures: a real local stack on free ports, started once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoiceflow.devstack import DevStack, StackPorts
from invoiceflow.devstack.processes import free_port

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    """Prefect server, fake-gcs-server, Pub/Sub emulator, worker and bridge: real."""
    state_dir = tmp_path_factory.mktemp("stack")
    ports = StackPorts(prefect=free_port(), gcs=free_port(), pubsub=free_port())
    instance = DevStack(state_dir, ports, project_dir=REPO)
    saved = dict(os.environ)
    try:
        instance.up()
        os.environ.update(
            {
                key: value
                for key, value in instance.env().items()
                if key.startswith(("PREFECT_API_URL", "PUBSUB_", "STORAGE_"))
            }
        )
        yield instance
    finally:
        instance.down()
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Six generated sample invoices with ground truth beside them."""
    from invoiceflow.samples import generate_corpus

    return generate_corpus(tmp_path_factory.mktemp("samples"), count=6, seed=7)
