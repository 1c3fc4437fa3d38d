"""`invoiceflow eval`: accuracy per field, held-out layouts apart, a floor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _eval(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoiceflow.cli", "eval", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_eval_reports_key_field_accuracy_above_the_ci_floor(
    samples: list[Path],
) -> None:
    done = _eval(samples[0].parent, "--json", "--min-key-accuracy", "0.9")

    report = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    assert report["seen"]["documents"] + report["held_out"]["documents"] == len(samples)
    assert report["held_out"]["documents"] >= 1
    assert report["seen"]["key_accuracy"] >= 0.9


def test_eval_exits_non_zero_below_the_floor(
    samples: list[Path], tmp_path: Path
) -> None:
    truth_path = samples[0].with_suffix(".json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    truth["invoice_number"] = "NOT-ON-THE-PAGE"
    truth["total"] = "0.01"
    (tmp_path / samples[0].name).write_bytes(samples[0].read_bytes())
    (tmp_path / truth_path.name).write_text(json.dumps(truth), encoding="utf-8")

    done = _eval(tmp_path, "--min-key-accuracy", "0.9")

    assert done.returncode == 1
    assert "below the floor" in done.stderr
