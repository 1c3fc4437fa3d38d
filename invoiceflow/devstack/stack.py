"""`invoiceflow dev up | down | status`: the whole chain on one machine, offline."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from invoiceflow.devstack.processes import (
    Service,
    ServiceStartError,
    port_open,
    wait_for_port,
)
from invoiceflow.devstack.provision import provision_messaging, provision_storage
from invoiceflow.devstack.tools import (
    fake_gcs_binary,
    pubsub_emulator_command,
    require_tesseract,
)
from invoiceflow.settings import PipelineSettings

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
LOCAL_WORK_POOL = "invoiceflow-local"
LOCAL_DEPLOYMENT = "process-invoice-local"

# Start order; `down` stops them in reverse.
SERVICES = ("pubsub", "gcs", "prefect", "worker", "bridge")


@dataclass(frozen=True)
class StackPorts:
    prefect: int = 4200
    gcs: int = 4443
    pubsub: int = 8085


class DevStack:
    """Services, addresses and state of one local stack under `state_dir`."""

    def __init__(
        self,
        state_dir: Path,
        ports: StackPorts | None = None,
        project_dir: Path | None = None,
    ) -> None:
        self.state_dir = state_dir.resolve()
        self.ports = ports or self._saved_ports() or StackPorts()
        self.project_dir = (project_dir or Path.cwd()).resolve()

    @property
    def prefect_api_url(self) -> str:
        return f"http://{HOST}:{self.ports.prefect}/api"

    @property
    def warehouse_path(self) -> Path:
        return self.state_dir / "warehouse.duckdb"

    def service(self, name: str) -> Service:
        return Service(name, self.state_dir)

    def env(self) -> dict[str, str]:
        """The environment every part and every client of this stack uses."""
        env = dict(os.environ)
        env.update(
            {
                "PREFECT_API_URL": self.prefect_api_url,
                "PREFECT_HOME": str(self.state_dir / "prefect"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_WORKER_QUERY_SECONDS": "1",
                "PREFECT_WORKER_PREFETCH_SECONDS": "1",
                "PUBSUB_EMULATOR_HOST": f"{HOST}:{self.ports.pubsub}",
                "PUBSUB_PROJECT_ID": PipelineSettings().project_id,
                "STORAGE_EMULATOR_HOST": f"http://{HOST}:{self.ports.gcs}",
                "INVOICEFLOW_WAREHOUSE_PATH": str(self.warehouse_path),
                "INVOICEFLOW_LOCAL_ROOT": str(self.state_dir / "local"),
                "INVOICEFLOW_PROJECT_DIR": str(self.project_dir),
                "INVOICEFLOW_SETTINGS_BLOCK": "invoiceflow",
                "OMP_THREAD_LIMIT": "1",
            }
        )
        env.pop("PREFECT_API_KEY", None)
        return env

    def up(self) -> None:
        """Start whatever is not running yet and provision it; safe to repeat."""
        require_tesseract()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        (self.state_dir / "stack.json").write_text(json.dumps(asdict(self.ports)))
        env = self.env()
        settings = PipelineSettings()

        self._start("pubsub", pubsub_emulator_command(HOST, self.ports.pubsub), env)
        wait_for_port(self.service("pubsub"), HOST, self.ports.pubsub, 60)
        provision_messaging(env, settings)

        self._start("gcs", self._gcs_command(settings), env)
        wait_for_port(self.service("gcs"), HOST, self.ports.gcs, 30)
        provision_storage(env, settings)

        self._start("prefect", self._prefect_command(), env)
        wait_for_port(self.service("prefect"), HOST, self.ports.prefect, 120)
        self._wait_prefect_healthy()
        self._deploy(env)

        self._start("worker", self._worker_command(), env)
        self._start("bridge", [sys.executable, "-m", "invoiceflow.cli", "bridge"], env)

    def down(self) -> list[str]:
        """Stop what `up` started, newest first; returns the names stopped."""
        return [name for name in reversed(SERVICES) if self.service(name).stop()]

    def status(self) -> dict[str, Any]:
        addresses = {
            "prefect": f"http://{HOST}:{self.ports.prefect}",
            "gcs": f"http://{HOST}:{self.ports.gcs}",
            "pubsub": f"{HOST}:{self.ports.pubsub}",
        }
        parts: dict[str, Any] = {}
        for name in SERVICES:
            pid = self.service(name).pid()
            state = "running" if pid else "stopped"
            if (
                pid
                and name in addresses
                and not port_open(HOST, getattr(self.ports, name))
            ):
                state = "starting"
            parts[name] = {
                "state": state,
                "pid": pid,
                "address": addresses.get(name),
                "log": str(self.service(name).log_file),
            }
        return {
            "state_dir": str(self.state_dir),
            "parts": parts,
            "ui": f"http://{HOST}:{self.ports.prefect}",
            "warehouse": str(self.warehouse_path),
        }

    def _start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.service(name).start(argv, env, cwd=self.project_dir)

    def _saved_ports(self) -> StackPorts | None:
        try:
            return StackPorts(**json.loads((self.state_dir / "stack.json").read_text()))
        except (FileNotFoundError, ValueError, TypeError):
            return None

    def _gcs_command(self, settings: PipelineSettings) -> list[str]:
        return [
            str(fake_gcs_binary()),
            "-scheme", "http",
            "-host", HOST,
            "-port", str(self.ports.gcs),
            "-external-url", f"http://{HOST}:{self.ports.gcs}",
            "-backend", "filesystem",
            "-filesystem-root", str(self.state_dir / "gcs"),
            "-event.pubsub-project-id", settings.project_id,
            "-event.pubsub-topic", settings.uploads_topic,
            "-event.bucket", settings.input_bucket,
            "-event.list", "finalize",
        ]  # fmt: skip

    def _prefect_command(self) -> list[str]:
        prefect = str(Path(sys.executable).with_name("prefect"))
        return [
            prefect,
            "server",
            "start",
            "--host",
            HOST,
            "--port",
            str(self.ports.prefect),
        ]

    def _worker_command(self) -> list[str]:
        prefect = str(Path(sys.executable).with_name("prefect"))
        return [
            prefect, "worker", "start",
            "--pool", LOCAL_WORK_POOL,
            "--type", "process",
            "--limit", "2",
        ]  # fmt: skip

    def _wait_prefect_healthy(self, timeout_seconds: float = 60) -> None:
        import time

        import httpx

        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(self.prefect_api_url + "/health", timeout=2).status_code
                    == 200
                ):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise ServiceStartError(
            f"Prefect server at {self.prefect_api_url} is not healthy; "
            f"see {self.service('prefect').log_file}"
        )

    def _deploy(self, env: dict[str, str]) -> None:
        """Register blocks and the work pool, then deploy from prefect.yaml."""
        prefect = str(Path(sys.executable).with_name("prefect"))
        steps = [
            [sys.executable, "-m", "blocks.register", "--work-pool", LOCAL_WORK_POOL],
            [prefect, "--no-prompt", "deploy", "--name", LOCAL_DEPLOYMENT],
        ]
        log = self.state_dir / "logs" / "deploy.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        for argv in steps:
            with log.open("ab") as handle:
                done = subprocess.run(
                    argv, env=env, cwd=self.project_dir, stdout=handle,
                    stderr=subprocess.STDOUT, check=False,
                )  # fmt: skip
            if done.returncode != 0:
                raise ServiceStartError(
                    f"'{' '.join(Path(a).name for a in argv[:3])}' failed with exit "
                    f"code {done.returncode}; see {log}"
                )
