from __future__ import annotations

import json
from pathlib import Path

import pytest

from invoiceflow.claims import RunFate, claim_object_name, claim_upload
from invoiceflow.models import UploadRef
from invoiceflow.storage import LocalStore

REF = UploadRef(bucket="invoices-input", name="inbox/a.tif", generation="17")


def _fate(fate: RunFate, asked: list[str] | None = None):
    def fate_of(run_id: str) -> RunFate:
        if asked is not None:
            asked.append(run_id)
        return fate

    return fate_of


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path)


def test_first_claim_proceeds_and_records_the_run(store: LocalStore) -> None:
    decision, owner = claim_upload(store, "processed", REF, "run-1", _fate("active"))

    body = json.loads(store.read("processed", claim_object_name(REF)))
    assert (decision, owner) == ("proceed", "run-1")
    assert body["flow_run_id"] == "run-1"
    assert body["source"] == REF.uri


def test_retry_of_the_owning_run_proceeds(store: LocalStore) -> None:
    asked: list[str] = []
    claim_upload(store, "processed", REF, "run-1", _fate("active"))

    decision, _ = claim_upload(store, "processed", REF, "run-1", _fate("active", asked))

    assert decision == "proceed"
    assert asked == []


def test_redelivery_after_a_completed_run_is_skipped(store: LocalStore) -> None:
    claim_upload(store, "processed", REF, "run-1", _fate("active"))

    decision, owner = claim_upload(store, "processed", REF, "run-2", _fate("completed"))

    assert (decision, owner) == ("already_done", "run-1")


def test_redelivery_while_the_owner_runs_is_skipped(store: LocalStore) -> None:
    claim_upload(store, "processed", REF, "run-1", _fate("active"))

    decision, owner = claim_upload(store, "processed", REF, "run-2", _fate("active"))

    assert (decision, owner) == ("in_progress", "run-1")


def test_claim_of_a_crashed_run_is_taken_over(store: LocalStore) -> None:
    claim_upload(store, "processed", REF, "run-1", _fate("active"))

    decision, owner = claim_upload(store, "processed", REF, "run-2", _fate("ended"))

    body = json.loads(store.read("processed", claim_object_name(REF)))
    assert (decision, owner) == ("proceed", "run-2")
    assert body["flow_run_id"] == "run-2"


def test_a_new_generation_gets_its_own_claim(store: LocalStore) -> None:
    claim_upload(store, "processed", REF, "run-1", _fate("active"))
    newer = REF.model_copy(update={"generation": "18"})

    decision, _ = claim_upload(store, "processed", newer, "run-2", _fate("active"))

    assert decision == "proceed"
