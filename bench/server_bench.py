"""The server under sessions: its resident memory after ten browser sessions used every page.

A fresh `streamlit run app.py` serves ten Chromium tabs at once. Each opens the overview, then
moves to every other page through the sidebar's navigation, as a reader does, so each tab stays
one Streamlit session. The server's peak resident memory (VmHWM in /proc) is read when all ten
have seen every page. Two floors stand beside it: the bare page's own server under ten tabs,
and a process that only imports what the app runs on, opens the database and reads a table.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import PYTHON, PartResult, Row, checked, median, run_child
from bench.explorer import (
    APP,
    BARE,
    BARE_APP,
    FIRST_DRAWN_WATCH,
    PAGES,
    RUN_ENDED,
    Page,
    Server,
    build_database,
    chromium_options,
    serving,
)

SESSIONS = 10
WAIT_MS = 180_000  # ten tabs drawing plotly on two cores: each wait ends by then
ALL_SESSIONS_TIMEOUT = 900  # seconds for every session to see every page
SAMPLE_EVERY = 0.25  # seconds between readings of the server's memory


async def session(browser, origin: str, pages: list[Page]) -> list[float]:
    """One tab: open the first page by URL, then click to each other page; seconds per page."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    await context.add_init_script(FIRST_DRAWN_WATCH)
    tab = await context.new_page()
    seconds = []
    try:
        started = time.perf_counter()
        await tab.goto(pages[0].url(origin), wait_until="commit")
        await tab.wait_for_function(RUN_ENDED, arg=pages[0].first)
        seconds.append(time.perf_counter() - started)
        for page in pages[1:]:
            started = time.perf_counter()
            await tab.locator(f'[data-testid="stSidebarNav"] a[href$="/{page.path}"]').click()
            await tab.get_by_role("heading", name=page.title, level=1).wait_for()
            await tab.locator(
                '[data-testid="stApp"][data-test-script-state="notRunning"]'
            ).wait_for()
            seconds.append(time.perf_counter() - started)
        if await tab.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"a page shows an exception at {tab.url}")
    finally:
        await context.close()
    return seconds


async def watch_memory(server: Server, readings: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        readings.append(server.memory_mb()["VmRSS"])
        try:
            await asyncio.wait_for(stop.wait(), SAMPLE_EVERY)
        except TimeoutError:
            pass


async def under_sessions(server: Server, pages: list[Page], sessions: int) -> dict:
    from playwright.async_api import async_playwright

    idle = server.memory_mb()["VmRSS"]
    readings: list[float] = []
    stop = asyncio.Event()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**chromium_options())
        watcher = asyncio.create_task(watch_memory(server, readings, stop))
        try:
            started = time.perf_counter()
            visits = await asyncio.wait_for(
                asyncio.gather(*(session(browser, server.origin, pages) for _ in range(sessions))),
                ALL_SESSIONS_TIMEOUT,
            )
            elapsed = time.perf_counter() - started
            after = server.memory_mb()
        finally:
            stop.set()
            await watcher
            await browser.close()
    # Give the server a moment to notice the closed sessions, then read what it kept.
    await asyncio.sleep(3)
    return {
        "idle_mb": idle,
        "peak_mb": after["VmHWM"],
        "rss_after_sessions_mb": after["VmRSS"],
        "rss_after_close_mb": server.memory_mb()["VmRSS"],
        "seconds": elapsed,
        "page_seconds": visits,
        "rss_readings_mb": readings,
    }


def measure(sessions: int = SESSIONS) -> dict[str, dict]:
    """The bare page's server under `sessions` tabs, then ours under one tab and under many."""
    outcomes = {}
    runs = (
        ("bare", BARE_APP, [BARE], sessions),
        ("app, one session", APP, PAGES, 1),
        ("app", APP, PAGES, sessions),
    )
    with tempfile.TemporaryDirectory(prefix="bench-server-") as folder:
        db = build_database(Path(folder))
        for name, script, pages, tabs in runs:
            with serving(script, db, Path(folder) / "server.log") as server:
                outcomes[name] = asyncio.run(under_sessions(server, pages, tabs))
                outcomes[name]["sessions"] = tabs
        outcomes["imports"] = floor(IMPORTS)
        outcomes["imports_and_query"] = floor(IMPORTS + QUERY.format(db=str(db)))
    return outcomes


IMPORTS = "import streamlit, duckdb, pandas, pyarrow, plotly.graph_objects"
QUERY = "; duckdb.connect({db!r}, read_only=True).execute('SELECT * FROM milestones').df()"


def floor(code: str) -> float:
    """Peak MB of a process that runs only code: what the app's server stands on."""
    return checked(run_child([PYTHON, "-c", code]), code).peak_rss_mb


def server_under_sessions() -> PartResult:
    """Part 5: peak RSS of the server after ten concurrent sessions each visited every page."""
    outcomes = measure()
    bare, one, app = outcomes["bare"], outcomes["app, one session"], outcomes["app"]
    tabs = app["sessions"]
    per_session = (app["peak_mb"] - one["peak_mb"]) / (tabs - 1)
    per_page = [s for visits in app["page_seconds"] for s in visits]
    rows = [
        Row(
            "server", "import streamlit, duckdb, pandas, pyarrow, plotly", *mb(outcomes["imports"])
        ),
        Row(
            "server",
            "the same, then open the database and read one table",
            *mb(outcomes["imports_and_query"]),
        ),
        Row("server", "bare page server: at rest", *mb(bare["idle_mb"])),
        Row("server", f"bare page server: peak, {bare['sessions']} sessions", *mb(bare["peak_mb"])),
        Row("server", "app server: at rest (before any session)", *mb(app["idle_mb"])),
        Row("server", f"app server: peak, 1 session x {len(PAGES)} pages", *mb(one["peak_mb"])),
        Row(
            "server", f"app server: peak, {tabs} sessions x {len(PAGES)} pages", *mb(app["peak_mb"])
        ),
        Row("server", "app server: each session after the first", *mb(per_session)),
        Row(
            "server",
            "app server: peak / bare page server's; / imports and database",
            f"{app['peak_mb'] / bare['peak_mb']:.2f}; "
            f"{app['peak_mb'] / outcomes['imports_and_query']:.2f}",
            "x",
        ),
        Row("server", f"app server: {tabs} sessions closed", *mb(app["rss_after_close_mb"])),
        Row("server", f"all {tabs} sessions through every page", round(app["seconds"], 1), "s"),
        Row("server", "one page under that load, median", round(1000 * median(per_page)), "ms"),
    ]
    return PartResult(rows, outcomes)


def mb(value: float) -> tuple[int, str]:
    return round(value), "MB"


PARTS = {"server": server_under_sessions}
