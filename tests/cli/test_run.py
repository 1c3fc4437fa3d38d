"""`invoiceflow run`: the flow on local files, no servers, one JSON line per input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRED_KEYS = {
    "source", "status", "error", "pages", "document_type", "vendor", "language",
    "invoice_number", "issuer_name", "invoice_date", "due_date", "currency",
    "subtotal", "tax", "total", "line_items", "confidence",
}  # fmt: skip


@dataclass
class RunOutput:
    returncode: int
    lines: list[dict]
    state_dir: Path
    stderr: str


@pytest.fixture(scope="module")
def run_output(
    tmp_path_factory: pytest.TempPathFactory, samples: list[Path]
) -> RunOutput:
    """One `run --json` over a good sample and a PDF disguised as a TIFF."""
    work = tmp_path_factory.mktemp("run")
    fake = work / "scan.TIF"
    fake.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    state_dir = work / "state"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "INVOICEFLOW_"))
    }

    done = subprocess.run(
        [sys.executable, "-m", "invoiceflow.cli", "run", "--json",
         "--state-dir", str(state_dir), str(samples[0]), str(fake)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip

    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return RunOutput(done.returncode, lines, state_dir, done.stderr)


def test_run_prints_one_object_per_input_with_the_contract_keys(
    run_output: RunOutput,
) -> None:
    assert len(run_output.lines) == 2, run_output.stderr[-2000:]
    for line in run_output.lines:
        assert set(line) >= REQUIRED_KEYS


def test_run_reads_the_invoice_fields(
    run_output: RunOutput, samples: list[Path]
) -> None:
    truth = json.loads(samples[0].with_suffix(".json").read_text(encoding="utf-8"))

    good = run_output.lines[0]

    assert good["status"] in ("ok", "needs_review")
    assert good["pages"] == truth["pages"]
    assert good["invoice_number"] == truth["invoice_number"]
    assert good["total"] == truth["total"]
    assert good["invoice_date"] == truth["invoice_date"]


def test_run_fails_a_pdf_with_one_sentence_and_quarantines_it(
    run_output: RunOutput,
) -> None:
    bad = run_output.lines[1]

    reports = list(
        (run_output.state_dir / "local" / "invoices-failed").rglob("*.error.json")
    )
    assert run_output.returncode == 1
    assert bad["status"] == "failed"
    assert "PDF" in bad["error"]
    assert len(reports) == 1
    assert json.loads(reports[0].read_text())["error_kind"] == "not_tiff"
