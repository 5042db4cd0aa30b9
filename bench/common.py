"""What every benchmark module shares: the row it reports, medians, and timed child processes.

A child's peak memory comes from wait4() on that one child. getrusage(RUSAGE_CHILDREN) would
give the largest of all children so far, which hides a smaller build behind a larger one.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Row:
    """One printed figure: a median, a ratio or a count, with its target when it has one."""

    part: str
    measure: str
    value: float | int | str
    unit: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class PartResult:
    rows: list[Row]
    details: dict = field(default_factory=dict)


@dataclass
class ChildRun:
    seconds: float
    cpu_seconds: float  # user and system time of the child itself, less sensitive to load
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def interleaved(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Seconds of each action over `runs` rounds, one call of each per round.

    Taking turns puts every action under the same load from the rest of the machine. A first
    round (caches, first use) is not counted.
    """
    seconds: dict[str, list[float]] = {name: [] for name in actions}
    for round_number in range(runs + 1):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            if round_number:
                seconds[name].append(time.perf_counter() - started)
    return seconds


def run_child(argv: Sequence[str], cwd: Path = ROOT) -> ChildRun:
    """Run a command to its end; its wall time and its own peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        # wait4 reaped the child; tell Popen so that it does not try again.
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            seconds,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,  # Linux reports kilobytes
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def checked(run: ChildRun, what: str) -> ChildRun:
    if run.returncode != 0:
        last = run.stderr.strip().splitlines()[-1:] or ["(no message)"]
        raise RuntimeError(f"{what} exited with {run.returncode}: {last[0]}")
    return run


def machine() -> dict:
    """Enough about the machine to tell whether two results files can be compared."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
    }
