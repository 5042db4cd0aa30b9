"""Pages in a real browser: from navigation to the first chart drawn, against a bare page.

Our app and the bare page each run in their own `streamlit run` on 127.0.0.1. Headless Chromium
opens every page's URL in a new browser context (empty cache, no cookies: a first visit), the
pages taking turns with the bare page in each round. A first round warms both servers (imports,
query caches) and is not counted. A separate part times `streamlit run` from its start to the
first chart, which is what `make run` makes a user wait for.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import PartResult, Row, median
from bench.explorer import (
    APP,
    BARE,
    BARE_APP,
    FIRST_DRAWN,
    FIRST_DRAWN_WATCH,
    PAGES,
    RUN_ENDED,
    Page,
    build_database,
    chromium_options,
    serving,
)

ROUNDS = 5
START_ROUNDS = 3
TARGET = 1.5  # first thing drawn at most this many times the bare page's chart
WAIT_MS = 90_000  # every wait in the browser ends by then


def visit(browser, origin: str, page: Page) -> dict:
    """Open page in a fresh context; ms to its first chart (table, title) and to the run's end."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.set_default_timeout(WAIT_MS)
        context.add_init_script(FIRST_DRAWN_WATCH)
        tab = context.new_page()
        outside: list[str] = []

        def note(request) -> None:
            if not request.url.startswith((origin, "data:", "blob:")):
                outside.append(request.url)

        tab.on("request", note)
        tab.goto(page.url(origin), wait_until="commit")
        tab.wait_for_function(RUN_ENDED, arg=page.first)
        drawn, ended, tasks = tab.evaluate(
            "() => [window.firstDrawn, window.runEnded, window.longTasks]"
        )
        failed = tab.locator('[data-testid="stException"]').count()
    finally:
        context.close()
    if failed:
        raise RuntimeError(f"{page.name}: the page shows an exception")
    first = drawn[page.first]
    # Main-thread time in long tasks (parsing Streamlit's and plotly's scripts, drawing) that
    # began before the first chart: the browser's share of the wait.
    busy = sum(min(duration, first - start) for start, duration in tasks if start < first)
    return {
        "first": first,
        "run_ended": ended,
        "busy": busy,
        "drawn": drawn,
        "long_tasks": tasks,
        "outside": outside,
    }


def measure(rounds: int = ROUNDS) -> dict[str, list[dict]]:
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[dict]] = {page.name: [] for page in [BARE, *PAGES]}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        db = build_database(Path(folder))
        with (
            serving(APP, db, Path(folder) / "app.log") as app,
            serving(BARE_APP, db, Path(folder) / "bare.log") as bare,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(**chromium_options())
            try:
                targets = [(bare.origin, BARE)] + [(app.origin, page) for page in PAGES]
                for round_number in range(rounds + 1):
                    for origin, page in targets:
                        sample = visit(browser, origin, page)
                        if round_number:
                            samples[page.name].append(sample)
            finally:
                browser.close()
    return samples


def first_chart_after_start(rounds: int = START_ROUNDS) -> dict[str, list[float]]:
    """Seconds from starting `streamlit run` to the first chart of its first page.

    The bare page and the overview take turns, each on a fresh server; the browser is already
    open, as a user's is.
    """
    from playwright.sync_api import sync_playwright

    seconds: dict[str, list[float]] = {BARE.name: [], PAGES[0].name: []}
    with tempfile.TemporaryDirectory(prefix="bench-start-") as folder:
        db = build_database(Path(folder))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**chromium_options())
            try:
                for _ in range(rounds):
                    for script, page in ((BARE_APP, BARE), (APP, PAGES[0])):
                        with serving(script, db, Path(folder) / "start.log") as server:
                            navigating = time.perf_counter()
                            drawn = visit(browser, server.origin, page)["first"] / 1000
                            seconds[page.name].append(navigating - server.started_at + drawn)
            finally:
                browser.close()
    return seconds


def pages_in_browser() -> PartResult:
    """Part 4: every page's first chart (or table, or title) in Chromium against the bare page."""
    samples = measure()
    bare = samples.pop(BARE.name)
    floor = median([run["first"] for run in bare])
    rows = [
        Row("browser", f"bare page: first chart, median of {len(bare)}", round(floor), "ms"),
        Row(
            "browser",
            "bare page: script run ended; main thread in long tasks before it was drawn",
            f"{median_of(bare, 'run_ended'):.0f}; {median_of(bare, 'busy'):.0f}",
            "ms",
        ),
    ]
    for page in PAGES:
        runs = samples[page.name]
        paired = median([run["first"] / b["first"] for run, b in zip(runs, bare, strict=True)])
        what = page.first if page.first != "title" else "title (no chart or table)"
        rows += [
            Row("browser", f"{page.name}: first {what}", round(median_of(runs, "first")), "ms"),
            Row(
                "browser",
                f"{page.name}: script run ended; main thread in long tasks before it was drawn",
                f"{median_of(runs, 'run_ended'):.0f}; {median_of(runs, 'busy'):.0f}",
                "ms",
            ),
            Row(
                "browser",
                f"{page.name}: first {page.first} / bare (paired)",
                round(paired, 2),
                "x",
                f"<= {TARGET:g}",
                paired <= TARGET,
            ),
        ]
    blocked = sorted({url for run in bare + sum(samples.values(), []) for url in run["outside"]})
    rows.append(Row("browser", "requests to other hosts (not resolved)", len(blocked)))
    return PartResult(
        rows,
        {
            "samples": samples | {BARE.name: bare},
            "selectors": FIRST_DRAWN,
            "outside_requests": blocked,
        },
    )


def start_to_first_chart() -> PartResult:
    """`streamlit run` to the first chart: the bare page against the overview."""
    seconds = first_chart_after_start()
    bare, ours = (median(seconds[name]) for name in (BARE.name, PAGES[0].name))
    paired = median(
        [o / b for o, b in zip(seconds[PAGES[0].name], seconds[BARE.name], strict=True)]
    )
    rows = [
        Row(
            "start",
            f"bare page: server start to first chart, median of {len(seconds[BARE.name])}",
            round(1000 * bare),
            "ms",
        ),
        Row("start", "overview: server start to first chart", round(1000 * ours), "ms"),
        Row("start", "overview / bare (paired)", round(paired, 2), "x"),
    ]
    return PartResult(rows, {"seconds": seconds})


def median_of(runs: list[dict], key: str) -> float:
    return median([run[key] for run in runs])


PARTS = {"browser": pages_in_browser, "start": start_to_first_chart}
