"""Where a page's warm rerun goes: pyinstrument on the thread that runs the page script.

    .venv/bin/python bench/profile_page.py timeline            # reruns to new filter values
    .venv/bin/python bench/profile_page.py timeline --seen     # to values seen before
    .venv/bin/python bench/profile_page.py bare --tree         # the bare page, with the tree

It opens the page with AppTest on a database built from the real report, reruns it after
filter changes as pages_bench does, and prints how the reruns' time splits between our code
and each library our code calls (a call from our code into plotly counts as plotly, however
deep it goes), then, with --tree, pyinstrument's call tree.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from bench.common import ROOT, median  # noqa: E402
from bench.explorer import APP, BARE, BARE_APP, PAGES, build_database  # noqa: E402
from bench.pages_bench import PHASE_CHOICES  # noqa: E402

OURS = (
    str(ROOT / "lib"),
    str(ROOT / "pages"),
    str(ROOT / "app.py"),
    str(ROOT / "bench" / "bare_"),  # the bare page stands where a page of ours would
)
CACHE_CODE = "/streamlit/runtime/caching/"
QUERY_FILE = str(ROOT / "lib" / "db.py")
LIBRARIES = ("streamlit", "plotly", "pandas", "numpy", "duckdb", "pyarrow", "narwhals")


def owner(path: str) -> str:
    if path.startswith(OURS):
        return "ours"
    for library in LIBRARIES:
        if f"/{library}/" in path or f"/_{library}" in path:
            return library
    return "python (standard library)"


def split(frame, seconds: Counter, callee: str | None = None) -> None:
    """Self time of every frame, charged to the library our code called to get there.

    Frames outside any page run (the harness and Streamlit's script runner) are "streamlit
    (running the script)"."""
    if frame.is_synthetic or not frame.file_path:  # "[self]", "[root]": as the caller
        charged = callee or "streamlit (running the script)"
    elif frame.file_path == QUERY_FILE and frame.function == "query":
        charged = "DuckDB queries (lib.db.query)"  # C code: the samples land on this frame
    elif owner(frame.file_path) == "ours":
        charged = "ours"
    elif callee in (None, "streamlit (running the script)"):
        charged = "streamlit (running the script)"
    elif callee == "ours" and CACHE_CODE in frame.file_path:
        charged = "streamlit cache lookups (hashing arguments, copying results)"
    elif callee == "ours":
        charged = owner(frame.file_path)
        if charged == "streamlit":
            charged = "streamlit elements and widgets"
    else:
        charged = callee
    own = frame.time - sum(child.time for child in frame.children)
    seconds[charged] += max(own, 0.0)
    for child in frame.children:
        split(child, seconds, charged)


def profile(page_name: str, seen: bool, runs: int):
    from pyinstrument import Profiler
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler = Profiler(interval=0.001)
    recording = [False]
    run_script = LocalScriptRunner._run_script_thread

    # AppTest runs the script on a thread of its own; pyinstrument samples the thread it was
    # started on, so it starts inside that thread. (A private method of the test harness.)
    def profiled(runner) -> None:
        if not recording[0]:
            return run_script(runner)
        profiler.start()
        try:
            return run_script(runner)
        finally:
            profiler.stop()

    LocalScriptRunner._run_script_thread = profiled

    bare = page_name == BARE.name
    page = BARE if bare else next(p for p in PAGES if p.name == page_name)
    app = AppTest.from_file(str(BARE_APP if bare else APP), default_timeout=120)
    if not bare:
        app.switch_page(page.file)
    for key, value in page.query.items():
        app.query_params[key] = value
    app.run()

    def change(number: int) -> None:
        if bare:
            app.session_state["bare_choice"] = number
        else:
            app.session_state["filter_phase"] = PHASE_CHOICES[number % len(PHASE_CHOICES)]

    numbers = [1 + n % (len(PHASE_CHOICES) - 1) for n in range(runs)]
    if seen:
        for number in numbers:
            change(number)
            app.run()
    seconds = []
    recording[0] = True
    for number in numbers:
        change(number)
        started = time.perf_counter()
        app.run()
        seconds.append(time.perf_counter() - started)
    recording[0] = False
    if app.exception:
        raise SystemExit(f"{page_name}: {app.exception[0].value}")
    return profiler, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/profile_page.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("page", choices=[BARE.name.split()[0]] + [p.name for p in PAGES])
    parser.add_argument("--seen", action="store_true", help="rerun to filter values seen before")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tree", action="store_true", help="print pyinstrument's call tree")
    args = parser.parse_args(argv)

    name = BARE.name if args.page == "bare" else args.page
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        os.environ["PLAN_EXPLORER_DB"] = str(build_database(Path(folder)))
        profiler, seconds = profile(name, args.seen, args.runs)

    session = profiler.last_session
    shares: Counter = Counter()
    split(session.root_frame(), shares)
    total = sum(shares.values())
    kind = "filter values seen before" if args.seen else "new filter values"
    print(
        f"{name}: {len(seconds)} reruns to {kind}, median {1000 * median(seconds):.1f} ms "
        f"under the profiler ({1000 * total / len(seconds):.1f} ms sampled in the script thread)"
    )
    for charged, spent in shares.most_common():
        print(f"  {100 * spent / total:5.1f}%  {charged}")
    if args.tree:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
