"""Which stage failures Prefect retries: transient ones only."""

from __future__ import annotations

import pytest
from google.api_core import exceptions as gexc
from prefect.states import Failed

from flows.tasks import STAGE_OPTIONS, retry_transient
from invoiceflow.errors import CorruptInputError, LimitExceededError, TransientError
from invoiceflow.storage import ObjectNotFoundError


@pytest.mark.parametrize(
    "error",
    [
        TransientError("warehouse locked"),
        gexc.ServiceUnavailable("503 from storage"),
        gexc.TooManyRequests("429"),
        ConnectionResetError("peer reset"),
        TimeoutError("read timed out"),
    ],
)
def test_transient_failures_are_retried(error: Exception) -> None:
    assert retry_transient(None, None, Failed(data=error)) is True  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        CorruptInputError("page 2 is truncated"),
        LimitExceededError("page 1 has 400 MP"),
        ObjectNotFoundError("object vanished"),
        gexc.Forbidden("no permission"),
        FileNotFoundError("no tessdata"),
        ValueError("a bug"),
    ],
)
def test_permanent_failures_are_not_retried(error: Exception) -> None:
    assert retry_transient(None, None, Failed(data=error)) is False  # type: ignore[arg-type]


def test_stages_back_off_exponentially_with_jitter() -> None:
    delays = STAGE_OPTIONS["retry_delay_seconds"](STAGE_OPTIONS["retries"])

    assert STAGE_OPTIONS["retries"] >= 3
    assert delays == sorted(delays) and delays[0] < delays[-1]
    assert STAGE_OPTIONS["retry_jitter_factor"] > 0
