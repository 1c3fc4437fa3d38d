"""The offline local stack: Prefect, fake GCS, Pub/Sub emulator, worker, bridge."""

from invoiceflow.devstack.stack import DevStack, StackPorts

__all__ = ["DevStack", "StackPorts"]
