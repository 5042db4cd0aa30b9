"""Many users at once, rebuilds while they work, and builds that die: the app keeps serving
the right data and the database in use is never damaged.

Sessions speak the WebSocket protocol of Streamlit's frontend (tests/browser/session.py), so
twenty of them fit on two cores; each interaction reruns a page for a filter link and is checked
against the real report's figures, so a session that got another's data would be caught. Times
are printed, not asserted: the machine is shared.
"""

import hashlib
import os
import shutil
import signal
import statistics
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from etl import paths
from etl.__main__ import main
from tests.browser.chromium import open_app, open_tab
from tests.browser.server import serve
from tests.browser.session import AppSession, bar_count
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SESSIONS = 20
LOAD_SECONDS = 30  # bounded: CI pays for every second of it
REBUILDS = 5
REBUILD_SESSIONS = 6

# (filter link, initiatives on Overview, milestones on Timeline), from the real report. A link
# without a query keeps the filters when it changes page, as the sidebar's links do; the whole
# report is asked for by its as-of date, the publication date.
FILTERS = [
    ("asof=2022-06-01", 42, 160),
    ("phase=COMMUNICATE", 1, 5),
    ("status=In%20Progress", 5, 25),
    ("phase=ACT&deliverable=action%20taken", 10, 20),
    ("initiative=act-family-academy,learn-learn", 2, 9),
    ("q=mental%20health", 4, 16),
    ("from=2023-07-01", 4, 6),
    ("from=2022-07-01&to=2022-07-31&phase=ASSESS", 7, 20),
]
ORIGINAL, RENAMED = "Enrollment Trends", "Enrollment Trends Revisited"


def interaction(step: int) -> tuple[str, str, int, int]:
    """The step-th thing a user does: every filter link on Overview, then all on Timeline."""
    query, initiatives, milestones = FILTERS[step % len(FILTERS)]
    return ("", "timeline")[step // len(FILTERS) % 2], query, initiatives, milestones


def wrong_data(run, page: str, initiatives: int, milestones: int) -> list[str]:
    if page == "":
        shown = run.metrics.get("Initiatives")
        return [] if shown == str(initiatives) else [f"Overview showed {shown}, not {initiatives}"]
    drawn = bar_count(run.charts[0]) if run.charts else 0
    return [] if drawn == milestones else [f"Timeline drew {drawn} bars, not {milestones}"]


class User(threading.Thread):
    """One session that keeps applying filter links until told to stop."""

    def __init__(self, number: int, origin: str, stop: threading.Event):
        super().__init__(name=f"user-{number}", daemon=True)
        self.number, self.origin, self.stop = number, origin, stop
        self.seconds: list[float] = []
        self.problems: list[str] = []

    def run(self):
        try:
            with AppSession(self.origin) as session:
                step = self.number
                while not self.stop.is_set():
                    page, query, initiatives, milestones = interaction(step)
                    result = session.run(page, query)
                    self.seconds.append(result.seconds)
                    found = result.problems() + wrong_data(result, page, initiatives, milestones)
                    self.problems += [f"/{page}?{query}: {problem}" for problem in found]
                    step += 1
        except Exception as error:  # a dropped connection or a timeout is a finding too
            self.problems.append(f"{type(error).__name__}: {error}")


def run_users(origin: str, count: int, stop: threading.Event) -> list[User]:
    users = [User(number, origin, stop) for number in range(count)]
    for user in users:
        user.start()
    return users


def finish(users: list[User]) -> None:
    for user in users:
        user.join(timeout=120)
        assert not user.is_alive(), f"{user.name} did not finish its last interaction"


def summary(label: str, users: list[User]) -> str:
    seconds = sorted(s for user in users for s in user.seconds)
    errors = sum(len(user.problems) for user in users)
    if len(seconds) < 2:
        return f"{label}: {len(seconds)} interactions, {errors} errors"
    centiles = statistics.quantiles(seconds, n=100)
    return (
        f"{label}: {len(users)} sessions, {len(seconds)} interactions, {errors} errors; "
        f"per interaction p50 {statistics.median(seconds):.2f} s, p95 {centiles[94]:.2f} s, "
        f"max {seconds[-1]:.2f} s"
    )


def log_since(server, offset: int) -> str:
    return server.log_path.read_bytes()[offset:].decode("utf-8", errors="replace")


def report(capsys, line: str) -> None:
    """Print past pytest's capture, so the figures are in every run's output."""
    with capsys.disabled():
        print(f"\n[load] {line}")


def test_twenty_sessions_apply_different_filters(app_server, capsys):
    log_start = app_server.log_path.stat().st_size
    stop = threading.Event()
    users = run_users(app_server.url, SESSIONS, stop)

    stop.wait(LOAD_SECONDS)
    stop.set()
    finish(users)

    report(capsys, summary(f"{LOAD_SECONDS} s of load", users))
    assert [p for user in users for p in user.problems] == []
    assert all(user.seconds for user in users), "every session got at least one page back"
    assert "Traceback" not in log_since(app_server, log_start)


# --- rebuilding under load -------------------------------------------------------------------


def renamed_report(folder: Path) -> Path:
    """The real report with one section renamed, so a rebuild visibly changes the data."""
    text = paths.REPORT.read_text(encoding="utf-8")
    heading = f" ASSESS | {ORIGINAL}\n"
    assert text.count(heading) == 1
    source = folder / "renamed-report.txt"
    source.write_text(text.replace(heading, f" ASSESS | {RENAMED}\n"), encoding="utf-8")
    return source


def run_build(source: Path, database: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "build", "--source", str(source), "--db", str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def titles(run) -> list[str]:
    return run.options["Initiative"]


@pytest.fixture(scope="module")
def served_db(built_db, tmp_path_factory) -> Path:
    """A copy of the real report's database that this file's server serves and rebuilds."""
    database = tmp_path_factory.mktemp("served") / "plan.duckdb"
    shutil.copy(built_db, database)
    return database


@pytest.fixture(scope="module")
def rebuild_server(served_db, tmp_path_factory):
    """The app over served_db; builds replace that file while it serves."""
    with serve(served_db, tmp_path_factory.mktemp("rebuild-server") / "streamlit.log") as server:
        yield server


def test_rebuilding_while_serving(rebuild_server, served_db, tmp_path, capsys):
    renamed = renamed_report(tmp_path)
    log_start = rebuild_server.log_path.stat().st_size
    stop = threading.Event()
    users = run_users(rebuild_server.url, REBUILD_SESSIONS, stop)
    watcher = AppSession(rebuild_server.url)  # one session that lives through every rebuild
    assert ORIGINAL in titles(watcher.run())

    shown_after = []
    for number in range(REBUILDS):
        source, expected, gone = (
            (renamed, RENAMED, ORIGINAL) if number % 2 == 0 else (paths.REPORT, ORIGINAL, RENAMED)
        )
        started = time.perf_counter()
        result = run_build(source, served_db)
        built = time.perf_counter()
        assert result.returncode == 0, result.stderr
        assert "lock" not in (result.stdout + result.stderr).lower()

        # The very next run shows the new build, in a new session and in one that was open.
        with AppSession(rebuild_server.url) as newcomer:
            shown = titles(newcomer.run())
        assert expected in shown and gone not in shown
        shown = titles(watcher.run("timeline"))
        assert expected in shown and gone not in shown
        shown_after.append((built - started, time.perf_counter() - built))

    stop.set()
    finish(users)
    watcher.close()

    report(capsys, summary(f"{REBUILDS} rebuilds under load", users))
    report(
        capsys,
        "each rebuild (build s + s until both sessions showed it): "
        + ", ".join(f"{build:.1f} + {shown:.1f}" for build, shown in shown_after),
    )
    assert [p for user in users for p in user.problems] == []
    log = log_since(rebuild_server, log_start)
    assert "Traceback" not in log and "lock" not in log.lower()


@pytest.mark.browser
def test_an_open_page_shows_the_rebuilt_data_on_its_next_run(
    chromium, rebuild_server, served_db, tmp_path
):
    tab = open_tab(chromium, rebuild_server.url)
    try:
        open_app(tab, "initiatives", "Initiatives")
        expect(tab.page.get_by_role("link", name="Timeline")).to_be_visible()

        assert run_build(renamed_report(tmp_path), served_db).returncode == 0
        tab.page.get_by_role("link", name="Search").click()
        tab.page.get_by_role("heading", name="Search", level=1).wait_for()
        tab.page.get_by_label("Search text").fill("revisited")
        tab.page.keyboard.press("Enter")

        expect(tab.page.get_by_text(f"ASSESS | {RENAMED}").first).to_be_visible()
        assert tab.errors() == []
    finally:
        tab.page.context.close()
        assert run_build(paths.REPORT, served_db).returncode == 0


# --- builds that die -------------------------------------------------------------------------


def large_report(folder: Path, rows: int) -> Path:
    """The real report with many more milestones, so that writing them takes a while."""
    text = paths.REPORT.read_text(encoding="utf-8")
    anchor = "Local District LCAP Study Group 8/01/22 1/31/23"
    assert text.count(anchor) == 1

    def name(number: int) -> str:  # letters, not digits: no figure for the figures stage
        letters = ""
        while True:
            letters = string.ascii_lowercase[number % 26] + letters
            number //= 26
            if not number:
                return letters

    extra = "".join(f"Generated milestone {name(n)} 7/01/22 9/30/22 \uf06c\n" for n in range(rows))
    source = folder / "large-report.txt"
    source.write_text(text.replace(anchor, extra + anchor), encoding="utf-8")
    return source


def building_files(database: Path) -> list[str]:
    return sorted(p.name for p in database.parent.iterdir() if ".building" in p.name)


def test_a_build_killed_mid_write_leaves_the_database_in_use_intact(
    rebuild_server, served_db, tmp_path
):
    before = sha256(served_db)
    build = subprocess.Popen(
        [sys.executable, "-m", "etl", "build", "--source", str(large_report(tmp_path, 60_000))]
        + ["--db", str(served_db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    temporary = served_db.with_name(f".{served_db.name}.{build.pid}.building")
    deadline = time.monotonic() + 170
    while not temporary.exists() and time.monotonic() < deadline:
        try:
            build.wait(timeout=0.002)  # the pause between looks, and notice if it finished
            break
        except subprocess.TimeoutExpired:
            continue
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)

    assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert sha256(served_db) == before
    assert building_files(served_db) != []  # it did die halfway through writing
    with AppSession(rebuild_server.url) as session:
        run = session.run()
    assert run.problems() == [] and run.metrics["Initiatives"] == "42"

    result = run_build(paths.REPORT, served_db)

    assert result.returncode == 0, result.stderr
    assert building_files(served_db) == []  # the next build cleared what the killed one left
    with duckdb.connect(str(served_db), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM milestones").fetchone() == (160,)


def test_a_build_failing_mid_write_keeps_the_database(served_db, tmp_path, monkeypatch, capsys):
    import etl.load

    database = tmp_path / "plan.duckdb"
    shutil.copy(served_db, database)
    before = sha256(database)
    real_insert = etl.load.insert_statement

    def disk_full_at_the_third_table(table, columns):
        if table == "quality_issues":
            raise OSError(28, "No space left on device")
        return real_insert(table, columns)

    monkeypatch.setattr(etl.load, "insert_statement", disk_full_at_the_third_table)

    code = main(["build", "--source", str(paths.REPORT), "--db", str(database)])

    assert code == 2
    assert capsys.readouterr().err == "error: OSError: [Errno 28] No space left on device\n"
    assert sha256(database) == before
    assert building_files(database) == []
    assert os.listdir(tmp_path) == ["plan.duckdb"]
