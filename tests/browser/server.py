"""`streamlit run app.py` on a free port of 127.0.0.1, started and stopped by a test.

The server reads .streamlit/config.toml like `make run` does; the command line only pins what a
test needs: this machine, a port nobody else holds, no file watcher (other engineers edit the
tree while tests run), no usage statistics.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# The first start of a process imports Streamlit, pandas and plotly: seconds on two cores.
START_TIMEOUT = 90


class ServerFailed(RuntimeError):
    """The server did not come up, or died; the message ends with its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class AppServer:
    """One Streamlit server over one database file."""

    def __init__(self, db_path: Path, log_path: Path, pin_address: bool = True):
        self.db_path = Path(db_path)
        self.log_path = Path(log_path)
        # Without the pin, the address comes from .streamlit/config.toml alone (what is tested).
        self.pin_address = pin_address
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> AppServer:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            *(["--server.address", HOST] if self.pin_address else []),
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]
        environment = {**os.environ, "PLAN_EXPLORER_DB": str(self.db_path)}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_until_healthy()
        return self

    def wait_until_healthy(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.answers_health():
                return
            try:
                # Waiting on the process is the pause between polls, and notices a crash.
                self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            raise ServerFailed(f"the server exited with {self.process.returncode}\n{self.log()}")
        raise ServerFailed(f"no answer from {self.url}/_stcore/health in {timeout} s\n{self.log()}")

    def answers_health(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                return answer.status == 200 and answer.read().strip() == b"ok"
        except OSError:
            return False

    def log(self, last: int = 60) -> str:
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-last:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


@contextmanager
def serve(db_path: Path, log_path: Path, pin_address: bool = True):
    """A running server over db_path, stopped on exit whatever happened."""
    server = AppServer(db_path, log_path, pin_address)
    try:
        yield server.start()
    finally:
        server.stop()
