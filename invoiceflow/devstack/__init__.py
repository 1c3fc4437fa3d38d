"""The offline local stack: Prefect server, fake-gcs-server, Pub/Sub emulator, worker, bridge."""

from invoiceflow.devstack.stack import DevStack, StackPorts

__all__ = ["DevStack", "StackPorts"]
