"""Background services tracked by pid files, each logging to its own file."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


class ServiceStartError(RuntimeError):
    """A service did not come up; the message names its log file."""


@dataclass(frozen=True)
class Service:
    name: str
    state_dir: Path

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "run" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / f"{self.name}.log"

    def pid(self) -> int | None:
        """The pid from our pid file, if that process is still alive."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid if not _is_zombie(pid) else None

    def start(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> int:
        """Start the service unless our pid file names a live process."""
        running = self.pid()
        if running:
            return running

        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                list(argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,
            )
        self.pid_file.write_text(str(process.pid))
        logger.info(
            "Started %s (pid %d), log in %s", self.name, process.pid, self.log_file
        )
        return process.pid

    def stop(self, timeout_seconds: float = 15.0) -> bool:
        """Stop the process group we started; returns whether anything was running."""
        pid = self.pid()
        self.pid_file.unlink(missing_ok=True)
        if pid is None:
            return False

        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if not _alive(pid):
                return True
            time.sleep(0.1)
        _signal_group(pid, signal.SIGKILL)
        return True

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(
                self.log_file.read_text(errors="replace").splitlines()[-lines:]
            )
        except FileNotFoundError:
            return ""


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for_port(
    service: Service, host: str, port: int, timeout_seconds: float
) -> None:
    """Wait until the service listens, failing early if its process died."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        if service.pid() is None:
            break
        time.sleep(0.2)
    raise ServiceStartError(
        f"{service.name} did not start listening on {host}:{port}; "
        f"see {service.log_file}:\n{service.log_tail()}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
