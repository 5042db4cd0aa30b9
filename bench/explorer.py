"""The app and its floor as the page benchmarks see them: pages, a database, served copies.

Shared by pages_bench, browser_bench and server_bench. Servers listen on 127.0.0.1 only, on a
port of BENCH_PORTS, and the browser resolves no other host name, so nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import PYTHON, ROOT

HOST = "127.0.0.1"
BENCH_PORTS = range(8800, 8900)
# A server's first start imports Streamlit, pandas and plotly: seconds on two busy cores.
START_TIMEOUT = 120

# What a page draws first that a reader waits for, as CSS selectors.
CHART = ".js-plotly-plot .main-svg"
TABLE = '[data-testid="stDataFrame"]'
TITLE = '[data-testid="stMain"] h1'
FIRST_DRAWN = {"chart": CHART, "table": TABLE, "title": TITLE}
# Added to every page before its own scripts: notes when each of FIRST_DRAWN first enters the
# document (window.firstDrawn) and when the script run ends (window.runEnded), in ms from the
# start of the navigation, and every task that held the page's main thread for 50 ms or more
# (window.longTasks: start, duration). The browser takes the times itself, so the delay of
# asking for them from Python does not count.
FIRST_DRAWN_WATCH = """
(() => {
  const wanted = SELECTORS;
  const seen = {};
  window.firstDrawn = seen;
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) window.longTasks.push([task.startTime, task.duration]);
  }).observe({type: 'longtask', buffered: true});
  new MutationObserver((changes) => {
    const now = performance.now();
    for (const [name, selector] of Object.entries(wanted)) {
      if (!(name in seen) && document.querySelector(selector)) seen[name] = now;
    }
    if (window.runEnded === undefined && changes.some((change) => change.oldValue === 'running')) {
      window.runEnded = now;
    }
  }).observe(document, {
    childList: true,
    subtree: true,
    attributeFilter: ['data-test-script-state'],
    attributeOldValue: true,
  });
})();
""".replace("SELECTORS", json.dumps(FIRST_DRAWN))
# True once the script run has ended and the page has drawn `name`.
RUN_ENDED = "name => window.runEnded !== undefined && (name in window.firstDrawn)"


@dataclass(frozen=True)
class Page:
    """One page: its file, its title, its URL path, the query it is opened with, and what it
    draws first that a reader waits for."""

    name: str
    file: str
    title: str = ""
    path: str = ""
    query: dict[str, str] = field(default_factory=dict)
    first: str = "chart"  # a key of FIRST_DRAWN

    def url(self, origin: str) -> str:
        query = "&".join(f"{key}={value}" for key, value in self.query.items())
        return f"{origin}/{self.path}" + (f"?{query}" if query else "")


APP = ROOT / "app.py"
BARE_APP = ROOT / "bench" / "bare_app.py"
BARE = Page("bare page", "bare_page.py")
PAGES = [
    Page("overview", "pages/overview.py", "Overview"),
    Page("timeline", "pages/timeline.py", "Timeline", "timeline"),
    Page("initiatives", "pages/initiatives.py", "Initiatives", "initiatives", first="table"),
    # Without a search text the page only asks for one; with it, it lists the passages found.
    # It draws no chart and no table: the first thing is its title.
    Page("search", "pages/search.py", "Search", "search", {"q": "health"}, first="title"),
    Page("metrics", "pages/metrics.py", "Metrics", "metrics"),
    Page("quality", "pages/quality.py", "Data quality", "quality", first="table"),
    Page("dictionary", "pages/dictionary.py", "Data dictionary", "dictionary", first="table"),
]


def build_database(folder: Path) -> Path:
    """The real report built by the real command into folder; its path."""
    db = Path(folder) / "plan.duckdb"
    subprocess.run(
        [PYTHON, "-m", "etl", "build", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return db


def free_bench_port() -> int:
    """The first port of BENCH_PORTS that nothing listens on."""
    for port in BENCH_PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {BENCH_PORTS.start}-{BENCH_PORTS.stop - 1}")


class Server:
    """`streamlit run <script>` as `make run` starts it, on 127.0.0.1 and a bench port.

    It reads .streamlit/config.toml from the repository like `make run`; the command line only
    adds what a benchmark needs: a port of its own and no file watcher (others edit the tree).
    """

    def __init__(self, script: Path, db: Path, log: Path):
        self.script, self.db, self.log = Path(script), Path(db), Path(log)
        self.port = free_bench_port()
        self.origin = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> Server:
        command = [PYTHON, "-m", "streamlit", "run", str(self.script)]
        command += ["--server.address", HOST, "--server.port", str(self.port)]
        command += ["--server.headless", "true", "--server.fileWatcherType", "none"]
        command += ["--browser.gatherUsageStats", "false"]
        environment = {**os.environ, "PLAN_EXPLORER_DB": str(self.db)}
        with open(self.log, "wb") as log:
            self.started_at = time.perf_counter()
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_until_healthy()
        return self

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.origin}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            try:
                self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"{self.script.name} server exited: {self.last_log_line()}")
        raise RuntimeError(f"{self.script.name} server not healthy in {START_TIMEOUT} s")

    def last_log_line(self) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return lines[-1] if lines else "(empty log)"

    def memory_mb(self) -> dict[str, float]:
        """Resident memory now (VmRSS) and at its peak so far (VmHWM), from /proc."""
        figures = {}
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        for line in status.splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0]) / 1024  # kB
        return figures

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
def serving(script: Path, db: Path, log: Path):
    server = Server(script, db, log)
    try:
        yield server.start()
    finally:
        server.stop()


def chromium_options() -> dict:
    """Launch options for Debian's Chromium: headless, and resolving no host but this one."""
    import shutil

    from tests.browser.chromium import LAUNCH_ARGS

    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install -y chromium)")
    # Streamlit's frontend asks a font server for the app's Material icon; no name resolves.
    isolated = f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}"
    return {"executable_path": path, "args": [*LAUNCH_ARGS, isolated]}
