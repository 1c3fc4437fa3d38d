"""`invoiceflow dev up | down | status` on real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from invoiceflow.devstack import DevStack
from invoiceflow.devstack.processes import Service


def test_up_again_starts_nothing_new(stack: DevStack) -> None:
    before = {name: part["pid"] for name, part in stack.status()["parts"].items()}

    stack.up()

    after = {name: part["pid"] for name, part in stack.status()["parts"].items()}
    assert after == before
    assert all(after.values())


def test_status_json_names_each_part_and_the_warehouse(stack: DevStack) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "invoiceflow.cli", "dev", "status", "--json",
         "--state-dir", str(stack.state_dir)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    status = json.loads(done.stdout)
    assert status["warehouse"] == str(stack.warehouse_path)
    assert set(status["parts"]) == {"pubsub", "gcs", "prefect", "worker", "bridge"}
    assert status["parts"]["prefect"]["state"] == "running"
    assert (
        status["parts"]["prefect"]["address"]
        == f"http://127.0.0.1:{stack.ports.prefect}"
    )


def test_down_leaves_processes_it_did_not_start_alone(tmp_path: Path) -> None:
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        stopped = DevStack(tmp_path).down()

        assert stopped == []
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()


def test_stop_ends_the_service_it_started(tmp_path: Path) -> None:
    service = Service("sleeper", tmp_path)
    pid = service.start(["sleep", "60"], dict(os.environ), cwd=tmp_path)

    stopped = service.stop()

    assert stopped is True
    assert service.pid() is None
    assert not Path(f"/proc/{pid}").exists()
