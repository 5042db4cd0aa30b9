"""Pages in process: each page through AppTest, cold and warm, against a bare page.

Cold is the first run in a new interpreter, so every page gets fresh processes. Warm is a rerun
after a filter change, in the same processes: first to values that process has not seen (the
queries run), then to the same values again (the cached query results are used).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

from bench.common import PYTHON, ROOT, PartResult, Row, median
from bench.explorer import APP, BARE, BARE_APP, PAGES, Page, build_database

ROUNDS = 5  # processes per page, the pages taking turns in each round
CHANGES = 10  # filter changes per process, timed twice: new values, then the same again
WARM_TARGET = 3.0  # a warm page at most this many times the bare page
CHILD_TIMEOUT = 300

PHASES = ("LEARN", "ASSESS", "COMMUNICATE", "ACT")
# Phase choices a user might make, all different; the first warms up and is not counted.
PHASE_CHOICES = [list(PHASES)] + [
    list(chosen) for size in (1, 2, 3) for chosen in combinations(PHASES, size)
]

WORKER = "from bench.pages_bench import page_worker; page_worker()"


# --- the child ----------------------------------------------------------------------------


def page_worker() -> None:
    """Child: open one page with AppTest, then rerun it after filter changes; print JSON.

    argv: the entrypoint, the page file (relative to it), the query as JSON, the number of
    changes. The bare page's "filter" is a session value its st.write shows.
    """
    script, page_file, query, changes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    started = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    imported = time.perf_counter()
    app = AppTest.from_file(script, default_timeout=120)
    if page_file != BARE.file:
        # Before the first run AppTest names a page by its file; st.Page's default URL path is
        # the file's name too, so the entrypoint runs this page, as a browser opening its URL.
        app.switch_page(page_file)
    for key, value in json.loads(query).items():
        app.query_params[key] = value
    cold = timed(app.run)
    check(app, page_file)

    def change(number: int) -> None:
        if page_file == BARE.file:
            app.session_state["bare_choice"] = number
        else:
            app.session_state["filter_phase"] = PHASE_CHOICES[number % len(PHASE_CHOICES)]

    def rerun(number: int) -> tuple[float, float]:
        change(number)
        return timed(app.run)

    rerun(0)  # first use of what a rerun needs (and of the widget state): not counted
    new = [rerun(number) for number in range(1, changes + 1)]
    seen = [rerun(number) for number in range(1, changes + 1)]
    check(app, page_file)

    # What any page reading DuckDB into pandas adds to a cold start: the bare page has no
    # need of them, so its process can still time their import.
    data_stack = None
    if page_file == BARE.file and "pandas" not in sys.modules and "duckdb" not in sys.modules:
        data_stack = timed(import_data_stack)
    outcome = {"import": imported - started, "import_duckdb_pandas": data_stack}
    for name, runs in (("cold", [cold]), ("warm_new", new), ("warm_seen", seen)):
        outcome[name] = [wall for wall, _ in runs]
        outcome[f"{name}_cpu"] = [cpu for _, cpu in runs]
    print(json.dumps(outcome))


def import_data_stack() -> None:
    import duckdb  # noqa: F401
    import pandas  # noqa: F401


def timed(action) -> tuple[float, float]:
    """Wall and CPU seconds of action; CPU time counts every thread, the script's included,
    and other processes on the machine disturb it less."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def check(app, page_file: str) -> None:
    """A page that failed would be fast for the wrong reason."""
    if app.exception:
        raise SystemExit(f"{page_file}: {app.exception[0].value}")
    if page_file != BARE.file and not app.title:
        raise SystemExit(f"{page_file}: no title drawn")
    if page_file == BARE.file and not app.get("plotly_chart"):
        raise SystemExit(f"{page_file}: no chart drawn")


# --- the parent ---------------------------------------------------------------------------


def run_page(script: Path, page: Page, db: Path, changes: int) -> dict:
    command = [PYTHON, "-c", WORKER, str(script), page.file, json.dumps(page.query), str(changes)]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "PLAN_EXPLORER_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
        raise RuntimeError(f"{page.name} worker exited with {done.returncode}: {last[0]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(rounds: int = ROUNDS, changes: int = CHANGES) -> dict[str, list[dict]]:
    """Every page and the bare page, one fresh process each per round, in turns."""
    targets = [(BARE_APP, BARE)] + [(APP, page) for page in PAGES]
    samples: dict[str, list[dict]] = {page.name: [] for _, page in targets}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        db = build_database(Path(folder))
        for _ in range(rounds):
            for script, page in targets:
                samples[page.name].append(run_page(script, page, db, changes))
    return samples


def pages_in_process() -> PartResult:
    """Part 3: cold and warm AppTest runs of every page against the bare page."""
    samples = measure()
    bare = samples.pop(BARE.name)
    stack = [run["import_duckdb_pandas"][0] for run in bare if run["import_duckdb_pandas"]]
    floor_cold = median_of(bare, "cold")
    with_stack = floor_cold + (median(stack) if stack else 0.0)
    rows = [
        Row("pages", f"bare page: cold first run, median of {len(bare)}", ms(floor_cold), "ms"),
        Row("pages", "bare page: cold, then import duckdb, pandas", ms(with_stack), "ms"),
        Row("pages", "bare page: warm rerun, new value", ms(median_of(bare, "warm_new")), "ms"),
        Row("pages", "bare page: warm rerun, seen value", ms(median_of(bare, "warm_seen")), "ms"),
    ]
    for name, runs in samples.items():
        cold = median_of(runs, "cold")
        rows += [
            Row("pages", f"{name}: cold first run", ms(cold), "ms"),
            Row(
                "pages",
                f"{name}: cold / bare; / (bare + import duckdb, pandas)",
                f"{cold / floor_cold:.2f}; {cold / with_stack:.2f}",
                "x",
            ),
        ]
        rows += warm_rows(name, runs, bare, "warm_new", "new filter")
        rows += warm_rows(name, runs, bare, "warm_seen", "filter seen before")
    return PartResult(rows, {"samples": samples | {BARE.name: bare}})


def warm_rows(name: str, runs: list[dict], bare: list[dict], kind: str, label: str) -> list[Row]:
    """The median rerun and its ratios to the bare page's, on wall and on CPU time.

    The target must hold for both. The wall ratio is paired: process i of a page ran next to
    process i of the bare page, so each rerun is divided by the median rerun of that bare
    process, which cancels load that drifts during the run.
    """
    paired = median(
        [
            wall / median(floor[kind])
            for run, floor in zip(runs, bare, strict=True)
            for wall in run[kind]
        ]
    )
    cpu = median_of(runs, f"{kind}_cpu") / median_of(bare, f"{kind}_cpu")
    return [
        Row("pages", f"{name}: warm rerun, {label}", ms(median_of(runs, kind)), "ms"),
        Row(
            "pages",
            f"{name}: warm, {label} / bare (paired wall; CPU)",
            f"{paired:.2f}; {cpu:.2f}",
            "x",
            f"<= {WARM_TARGET:g}",
            paired <= WARM_TARGET and cpu <= WARM_TARGET,
        ),
    ]


def median_of(runs: list[dict], key: str) -> float:
    return median([sample for run in runs for sample in run[key]])


def ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


PARTS = {"pages": pages_in_process}
