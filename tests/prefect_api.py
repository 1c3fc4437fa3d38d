"""Small REST queries against the test stack's Prefect server."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


def flow_runs_named(api_url: str, name: str) -> list[dict[str, Any]]:
    body = {"flow_runs": {"name": {"any_": [name]}}}
    response = httpx.post(f"{api_url}/flow_runs/filter", json=body, timeout=10)
    response.raise_for_status()
    return list(response.json())


def task_runs_of(api_url: str, flow_run_id: str) -> list[dict[str, Any]]:
    body = {"task_runs": {"flow_run_id": {"any_": [flow_run_id]}}}
    response = httpx.post(f"{api_url}/task_runs/filter", json=body, timeout=10)
    response.raise_for_status()
    return list(response.json())


def events_about(api_url: str, resource_id: str, event: str) -> list[dict[str, Any]]:
    body = {
        "filter": {
            "resource": {"id": [resource_id]},
            "event": {"name": [event]},
            "occurred": {"since": "2000-01-01T00:00:00Z"},
        },
        "limit": 50,
    }
    response = httpx.post(f"{api_url}/events/filter", json=body, timeout=10)
    response.raise_for_status()
    return list(response.json()["events"])


def wait_until(check: Callable[[], T | None], timeout_seconds: float, what: str) -> T:
    """Poll `check` until it returns something truthy; fail naming `what`."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout_seconds:.0f} s waiting for {what}")
