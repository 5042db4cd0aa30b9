"""ETL speed: the real report in process and as a whole command, and builds of a growing corpus.

Everything goes through the ETL's public functions, so whatever stages build() gains are
measured too.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    PYTHON,
    ROOT,
    PartResult,
    Row,
    checked,
    interleaved,
    median,
    run_child,
)

IN_PROCESS_RUNS = 10
PROCESS_RUNS = 7
COPIES = (1, 10, 100)
BUILDS_PER_SIZE = {1: 5, 10: 5, 100: 3}

PROCESS_TARGET = 1.5  # a whole build at most this many times `import duckdb, pandas`
GROWTH_TARGET = 1.1
MEMORY_LIMIT_MB = 1024

REPORT = ROOT / "data" / "raw" / "lausd-100-day-plan-report-2022.txt"

# Corpus copies: the report's section pages, with every title and every PDF made unique.
PHASE = r"(?:LEARN|ASSESS|COMMUNICATE|ACT)"
TITLED_HEAD = re.compile(rf"^\s*{PHASE}\s*\|\s*")
BARE_HEAD = re.compile(rf"^(\s*)({PHASE})\s*$")
FIRST_SECTION_PAGE = re.compile(rf"^\s*{PHASE}\b")
PDF_LINK = re.compile(r"^(\s*https?://\S+)(\.pdf\s*)$", re.IGNORECASE)

# Run in a fresh interpreter by the scaling part: one build, reported as JSON on stdout.
WORKER = "from bench.etl_bench import build_once; build_once()"


# --- the real report ------------------------------------------------------------------------


def in_process(runs: int = IN_PROCESS_RUNS) -> PartResult:
    """Parse, load and the whole build() on the real report, each the median of `runs` calls."""
    from etl import paths
    from etl.load import build, report_tables, write_atomically
    from etl.report import parse
    from etl.source import read_source

    source = read_source(REPORT)
    report = parse(source.text)
    with tempfile.TemporaryDirectory(prefix="bench-etl-") as folder:
        db = Path(folder) / "plan.duckdb"
        seconds = interleaved(
            {
                "parse": lambda: parse(source.text),
                "load": lambda: write_atomically(db, report_tables(report, source)),
                "build": lambda: build(REPORT, db, paths.ENROLLMENT),
            },
            runs,
        )

    parse_ms, load_ms, build_ms = (1000 * median(seconds[name]) for name in seconds)
    rows = [
        Row("etl", f"parse, median of {runs}", round(parse_ms, 1), "ms"),
        Row("etl", f"load (tables + DuckDB), median of {runs}", round(load_ms, 1), "ms"),
        Row("etl", f"build() in process, median of {runs}", round(build_ms, 1), "ms"),
        Row("etl", "build() less parse and load", round(build_ms - parse_ms - load_ms, 1), "ms"),
    ]
    return PartResult(rows, {"seconds": seconds})


def whole_process(runs: int = PROCESS_RUNS) -> PartResult:
    """`python -m etl build` against `python -c "import duckdb, pandas"`, runs interleaved.

    Interleaving puts both under the same load from the rest of the machine; the first round
    warms the file cache and is not counted.
    """
    with tempfile.TemporaryDirectory(prefix="bench-etl-") as folder:
        commands = {
            "floor": [PYTHON, "-c", "import duckdb, pandas"],
            "import": [PYTHON, "-c", "import etl.load"],
            "build": [PYTHON, "-m", "etl", "build", "--db", str(Path(folder) / "plan.duckdb")],
        }
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        peak: dict[str, list[float]] = {name: [] for name in commands}
        for round_number in range(runs + 1):
            for name, argv in commands.items():
                run = checked(run_child(argv), " ".join(argv[1:]))
                if round_number:
                    seconds[name].append(run.seconds)
                    peak[name].append(run.peak_rss_mb)

    floor, imports, build = (median(seconds[name]) for name in ("floor", "import", "build"))
    ratio = build / floor
    paired = median([b / f for b, f in zip(seconds["build"], seconds["floor"], strict=True)])
    rows = [
        Row("process", f'python -c "import duckdb, pandas", median of {runs}', ms(floor), "ms"),
        Row("process", 'python -c "import etl.load"', ms(imports), "ms"),
        Row("process", "python -m etl build", ms(build), "ms"),
        Row(
            "process",
            "build / import floor",
            round(ratio, 2),
            "x",
            f"<= {PROCESS_TARGET}",
            ratio <= PROCESS_TARGET,
        ),
        Row("process", "build / import floor, median of paired runs", round(paired, 2), "x"),
        Row("process", "build peak memory", round(median(peak["build"])), "MB"),
    ]
    return PartResult(rows, {"seconds": seconds, "peak_rss_mb": peak})


def ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


# --- scaling --------------------------------------------------------------------------------


def make_corpus(text: str, copies: int) -> str:
    """The report, then `copies - 1` more copies of its section pages, each made distinct.

    The parser keys a section on (phase, title), so every copy's titles carry "(copy N)".
    The tag goes right after the bar: a title may wrap onto the next line, and its end may
    hold a glued page number that the parser strips. A parenthesis is what the opening lists'
    matching ignores, so each copy's ACT sections still find their deliverable in the lists,
    which are printed once. Each copy's PDF links get the tag too; otherwise they would all
    be claimed by the first copy.
    """
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if FIRST_SECTION_PAGE.match(line))
    pages = lines[first:]
    return "\n".join([text, *("\n".join(tagged(pages, n)) for n in range(2, copies + 1))])


def tagged(lines: list[str], number: int) -> list[str]:
    tag = f"(copy {number})"
    out = []
    for index, line in enumerate(lines):
        head, bare, pdf = TITLED_HEAD.match(line), BARE_HEAD.match(line), PDF_LINK.match(line)
        if head:
            line = f"{line[: head.end()]}{tag} {line[head.end() :]}"
        elif bare and opens_section(lines, index):
            # The LEARN section's heading is a bare phase name; its title is that name.
            line = f"{bare.group(1)}{bare.group(2)} | {tag} {bare.group(2)}"
        elif pdf:
            line = f"{pdf.group(1)}-copy-{number}{pdf.group(2)}"
        out.append(line)
    return out


def opens_section(lines: list[str], index: int) -> bool:
    following = (line for line in lines[index + 1 :] if line.strip())
    return next(following, "").lstrip().startswith("OBJECTIVE")


def build_once() -> None:
    """Worker: build sys.argv[1] into sys.argv[2]; print seconds, row counts and stage times.

    Stage times are the gaps between the ETL's own log lines, named by each line's first word
    (read, parsed, loaded, ...), so a stage added to build() shows up without changes here.
    """
    from etl import paths
    from etl.load import build

    source, db = Path(sys.argv[1]), Path(sys.argv[2])
    marks: list[tuple[float, str]] = []

    class StageMarks(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            marks.append((time.perf_counter(), record.getMessage().split(" ", 1)[0]))

    logger = logging.getLogger("etl")
    logger.addHandler(StageMarks())
    logger.setLevel(logging.INFO)
    logger.propagate = False

    started = time.perf_counter()
    counts = build(source, db, paths.ENROLLMENT)
    seconds = time.perf_counter() - started

    stages: dict[str, float] = {}
    previous = started
    for at, word in marks:
        stages[word] = stages.get(word, 0.0) + at - previous
        previous = at
    stages.pop("built", None)
    print(json.dumps({"seconds": seconds, "counts": counts, "stages": stages}))


def scaling(copies: tuple[int, ...] = COPIES, builds: dict[int, int] | None = None) -> PartResult:
    """Builds of 1, 10 and 100 copies of the report, each in a fresh interpreter."""
    builds = builds or BUILDS_PER_SIZE
    text = REPORT.read_text(encoding="utf-8")
    sizes: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as folder:
        for count in copies:
            corpus = Path(folder) / f"report-x{count}.txt"
            corpus.write_text(make_corpus(text, count), encoding="utf-8")
            sizes[count] = measure_builds(corpus, Path(folder) / "plan.duckdb", builds[count])

    rows = []
    for count, size in sizes.items():
        rows += size_rows(count, size, count == max(copies))
    ordered = sorted(copies)
    if len(ordered) > 1:
        rows.append(growth_row(sizes, ordered[0], ordered[-1], "build", GROWTH_TARGET))
    if len(ordered) > 2:
        rows.append(growth_row(sizes, ordered[-2], ordered[-1], "build"))
        rows += [
            growth_row(sizes, ordered[-2], ordered[-1], stage)
            for stage in sizes[ordered[-1]]["stages"]
        ]
    rows.append(copies_rows(sizes, min(copies)))
    return PartResult(rows, {str(count): size for count, size in sizes.items()})


def measure_builds(corpus: Path, db: Path, builds: int) -> dict:
    outcomes, peaks, walls = [], [], []
    for _ in range(builds):
        run = checked(run_child([PYTHON, "-c", WORKER, str(corpus), str(db)]), "build")
        outcomes.append(json.loads(run.stdout.strip().splitlines()[-1]))
        peaks.append(run.peak_rss_mb)
        walls.append(run.seconds)
    return {
        "megabytes": corpus.stat().st_size / 1e6,
        "seconds": [outcome["seconds"] for outcome in outcomes],
        "process_seconds": walls,
        "stages": {
            stage: median([outcome["stages"][stage] for outcome in outcomes])
            for stage in outcomes[0]["stages"]
        },
        "counts": outcomes[0]["counts"],
        "peak_rss_mb": peaks,
    }


def size_rows(count: int, size: dict, largest: bool) -> list[Row]:
    seconds, peak = median(size["seconds"]), median(size["peak_rss_mb"])
    label = f"{count} cop{'y' if count == 1 else 'ies'} ({size['megabytes']:.1f} MB)"
    stages = ", ".join(f"{name} {ms(s):.0f}" for name, s in size["stages"].items())
    return [
        Row("scaling", f"{label}: build, median of {len(size['seconds'])}", ms(seconds), "ms"),
        Row("scaling", f"{label}: stages (ms)", stages),
        Row("scaling", f"{label}: throughput", round(size["megabytes"] / seconds, 2), "MB/s"),
        Row(
            "scaling",
            f"{label}: peak memory",
            round(peak),
            "MB",
            f"< {MEMORY_LIMIT_MB}" if largest else "",
            peak < MEMORY_LIMIT_MB if largest else None,
        ),
    ]


def growth_row(
    sizes: dict[int, dict], small: int, large: int, what: str, target: float | None = None
) -> Row:
    """log(t_large / t_small) / log(large / small): 1 is linear, 2 quadratic."""

    def seconds(count: int) -> float:
        size = sizes[count]
        return median(size["seconds"]) if what == "build" else size["stages"].get(what, 0.0)

    small_s, large_s = seconds(small), seconds(large)
    if small_s <= 0 or large_s <= 0:
        return Row("scaling", f"growth exponent, {what}, {small} to {large} copies", "n/a")
    exponent = round(math.log(large_s / small_s) / math.log(large / small), 2)
    return Row(
        "scaling",
        f"growth exponent, {what}{'' if what == 'build' else ' stage'}, {small} to {large} copies",
        exponent,
        "",
        f"<= {target}" if target else "",
        exponent <= target if target else None,
    )


def copies_rows(sizes: dict[int, dict], small: int) -> Row:
    """Each copy must parse like the report does, or the corpus measures something else."""
    per_copy = sizes[small]["counts"]
    faithful = all(
        size["counts"].get(table) == per_copy[table] * count // small
        for count, size in sizes.items()
        for table in ("initiatives", "milestones")
    )
    return Row(
        "scaling",
        "initiatives and milestones grow exactly with the copies",
        "yes" if faithful else "no",
        "",
        "yes",
        faithful,
    )


def real_report() -> PartResult:
    """Part 1 of the measures: the real report, in process and as a whole command."""
    inside, outside = in_process(), whole_process()
    return PartResult(inside.rows + outside.rows, {"in_process": inside.details, **outside.details})


PARTS = {"etl": real_report, "scaling": scaling}
