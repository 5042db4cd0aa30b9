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
from contextlib import contextmanager
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
PROCESS_RUNS = 11
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
PROSE_TAG = "(copy)"  # no digit in it, or the figures stage would read it as a figure
NUMBER_WORDS = frozenset(
    "half two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty dozen hundred thousand million billion".split()
)

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
    build_stages: list[dict[str, float]] = []

    def build_with_stages(db: Path) -> None:
        with stage_clock() as clock:
            build(REPORT, db, paths.ENROLLMENT)
        build_stages.append(clock.stages())

    with tempfile.TemporaryDirectory(prefix="bench-etl-") as folder:
        db = Path(folder) / "plan.duckdb"
        seconds = interleaved(
            {
                "parse": lambda: parse(source.text),
                "load": lambda: write_atomically(db, report_tables(report, source)),
                "build": lambda: build_with_stages(db),
            },
            runs,
        )

    counted = build_stages[1:]  # the first round is not counted
    stages = {name: median([run[name] for run in counted]) for name in counted[0]}
    return PartResult(
        [
            Row("etl", f"parse(), median of {runs}", ms(median(seconds["parse"])), "ms"),
            Row(
                "etl",
                "load: report_tables() + write_atomically()",
                ms(median(seconds["load"])),
                "ms",
            ),
            Row("etl", "build() in process", ms(median(seconds["build"])), "ms"),
            Row("etl", "build() stages (ms)", stage_list(stages)),
        ],
        {"seconds": seconds, "build_stages": counted},
    )


def whole_process(runs: int = PROCESS_RUNS) -> PartResult:
    """`python -m etl build` against `python -c "import duckdb, pandas"`, runs interleaved.

    Taking turns puts both under the same load from the rest of the machine, and the median
    of each pair's ratio also cancels load that drifts during the run. CPU time, which other
    processes disturb less, is judged against the target as well. The first round warms the
    file cache and is not counted.
    """
    with tempfile.TemporaryDirectory(prefix="bench-etl-") as folder:
        commands = {
            "floor": [PYTHON, "-c", "import duckdb, pandas"],
            "import": [PYTHON, "-c", "import etl.load"],
            "build": [PYTHON, "-m", "etl", "build", "--db", str(Path(folder) / "plan.duckdb")],
        }
        runs_of: dict[str, list] = {name: [] for name in commands}
        for round_number in range(runs + 1):
            for name, argv in commands.items():
                run = checked(run_child(argv), " ".join(argv[1:]))
                if round_number:
                    runs_of[name].append(run)

    def wall(name: str) -> list[float]:
        return [run.seconds for run in runs_of[name]]

    def cpu(name: str) -> float:
        return median([run.cpu_seconds for run in runs_of[name]])

    paired = median([b / f for b, f in zip(wall("build"), wall("floor"), strict=True)])
    rows = [
        Row(
            "process",
            f'python -c "import duckdb, pandas", median of {runs}',
            ms(median(wall("floor"))),
            "ms",
        ),
        Row("process", 'python -c "import etl.load"', ms(median(wall("import"))), "ms"),
        Row("process", "python -m etl build", ms(median(wall("build"))), "ms"),
        Row(
            "process",
            "build / floor, median of paired runs",
            round(paired, 2),
            "x",
            f"<= {PROCESS_TARGET}",
            paired <= PROCESS_TARGET,
        ),
        Row(
            "process",
            "build / floor, ratio of medians",
            round(median(wall("build")) / median(wall("floor")), 2),
            "x",
        ),
        Row(
            "process",
            "build / floor, CPU time",
            round(cpu("build") / cpu("floor"), 2),
            "x",
            f"<= {PROCESS_TARGET}",
            cpu("build") / cpu("floor") <= PROCESS_TARGET,
        ),
        Row(
            "process",
            "build peak memory",
            round(median([r.peak_rss_mb for r in runs_of["build"]])),
            "MB",
        ),
    ]
    details = {
        name: {
            "seconds": wall(name),
            "cpu_seconds": [r.cpu_seconds for r in runs],
            "peak_rss_mb": [r.peak_rss_mb for r in runs],
        }
        for name, runs in runs_of.items()
    }
    return PartResult(rows, details)


def stage_list(stages: dict[str, float]) -> str:
    return ", ".join(f"{name} {ms(seconds):.0f}" for name, seconds in stages.items())


def ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


# --- scaling --------------------------------------------------------------------------------


def make_corpus(text: str, copies: int, quotes: list[str] | None = None) -> str:
    """The report, then `copies - 1` more copies of its section pages, each made distinct.

    The parser keys a section on (phase, title), so every copy's titles carry "(copy N)".
    The tag goes right after the bar: a title may wrap onto the next line, and its end may
    hold a glued page number that the parser strips. A parenthesis is what the opening lists'
    matching ignores, so each copy's ACT sections still find their deliverable in the lists,
    which are printed once. Each copy's PDF links get the tag too; otherwise they would all
    be claimed by the first copy.

    The metrics catalogue pins each headline figure by a quote that must occur once, so in
    the copies each catalogued quote is broken by a tag placed away from its numbers.
    """
    quotes = catalogue_quotes() if quotes is None else quotes
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if FIRST_SECTION_PAGE.match(line))
    pages = unquoted("\n".join(lines[first:]), quotes).split("\n")
    return "\n".join([text, *("\n".join(tagged(pages, n)) for n in range(2, copies + 1))])


def catalogue_quotes() -> list[str]:
    try:
        from etl.figures import CATALOGUE, read_catalogue
    except ImportError:  # a build without the figures stage pins no quotes
        return []
    return [entry.quote for entry in read_catalogue(CATALOGUE) if entry.quote]


def unquoted(text: str, quotes: list[str]) -> str:
    """The text with PROSE_TAG inside every occurrence of each quote, wherever it wraps."""
    for quote in quotes:
        words = quote.split()
        gap = quiet_gap(words)
        if gap is None:
            continue
        # A word split at a hyphen across two lines is joined back by the parser.
        before, after = (
            [re.escape(w).replace(r"\-", r"-\s*") for w in part]
            for part in (words[:gap], words[gap:])
        )
        pattern = re.compile(r"\s+".join(before) + r"(?=\s+" + r"\s+".join(after) + ")")
        text = pattern.sub(lambda match: f"{match.group(0)} {PROSE_TAG}", text)
    return text


def quiet_gap(words: list[str]) -> int | None:
    """The index of the word to put a tag before, as far as can be from the quote's numbers.

    Qualifiers ("nearly") stand before a number and units after it; a tag next to a number
    would change how the figures stage reads it.
    """
    numbers = [
        index
        for index, word in enumerate(words)
        if any(c.isdigit() for c in word) or word.strip("()$%,.").lower() in NUMBER_WORDS
    ]

    def distance(gap: int) -> int:
        return min((gap - 1 - i if i < gap else i - gap for i in numbers), default=len(words))

    return max(range(1, len(words)), key=distance, default=None)


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


class StageClock(logging.Handler):
    """Wall and CPU time between the ETL's own log lines, named by each line's first word.

    build() logs one line per stage (read, parsed, extracted, loaded, ...), so a stage added
    to it shows up here without a change. CPU time counts every thread of the process.
    """

    def __init__(self) -> None:
        super().__init__()
        self.started = (time.perf_counter(), time.process_time())
        self.marks: list[tuple[tuple[float, float], str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        now = (time.perf_counter(), time.process_time())
        self.marks.append((now, record.getMessage().split(" ", 1)[0]))

    def stages(self, cpu: bool = False) -> dict[str, float]:
        stages: dict[str, float] = {}
        previous = self.started[cpu]
        for at, word in self.marks:
            stages[word] = stages.get(word, 0.0) + at[cpu] - previous
            previous = at[cpu]
        stages.pop("built", None)  # the closing total, not a stage
        return stages


@contextmanager
def stage_clock():
    logger = logging.getLogger("etl")
    clock, level, propagate = StageClock(), logger.level, logger.propagate
    logger.addHandler(clock)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield clock
    finally:
        logger.removeHandler(clock)
        logger.setLevel(level)
        logger.propagate = propagate


def build_once() -> None:
    """Worker: build sys.argv[1] into sys.argv[2]; print its times and row counts as JSON."""
    from etl import paths
    from etl.load import build

    source, db = Path(sys.argv[1]), Path(sys.argv[2])
    with stage_clock() as clock:
        counts = build(source, db, paths.ENROLLMENT)
        seconds = time.perf_counter() - clock.started[0]
        cpu_seconds = time.process_time() - clock.started[1]
    outcome = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "stages": clock.stages(),
        "cpu_stages": clock.stages(cpu=True),
        "counts": counts,
    }
    print(json.dumps(outcome))


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
        small, large = ordered[0], ordered[-1]
        rows.append(growth_row(sizes, small, large, "build", target=GROWTH_TARGET))
        rows.append(growth_row(sizes, small, large, "build", cpu=True))
    if len(ordered) > 2:
        # Without the fixed cost of creating a database, which flatters the smallest size.
        # Stages use CPU time: with three builds at the largest size, wall time swings too much.
        middle, large = ordered[-2], ordered[-1]
        rows.append(growth_row(sizes, middle, large, "build"))
        rows += [
            growth_row(sizes, middle, large, stage, cpu=True)
            for stage in sizes[large]["cpu_stages"]
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

    def stage_medians(clock: str) -> dict[str, float]:
        return {
            stage: median([outcome[clock][stage] for outcome in outcomes])
            for stage in outcomes[0][clock]
        }

    return {
        "megabytes": corpus.stat().st_size / 1e6,
        "seconds": [outcome["seconds"] for outcome in outcomes],
        "cpu_seconds": [outcome["cpu_seconds"] for outcome in outcomes],
        "process_seconds": walls,
        "stages": stage_medians("stages"),
        "cpu_stages": stage_medians("cpu_stages"),
        "counts": outcomes[0]["counts"],
        "peak_rss_mb": peaks,
    }


def size_rows(count: int, size: dict, largest: bool) -> list[Row]:
    seconds, peak = median(size["seconds"]), median(size["peak_rss_mb"])
    label = f"{count} cop{'y' if count == 1 else 'ies'} ({size['megabytes']:.1f} MB)"
    return [
        Row("scaling", f"{label}: build, median of {len(size['seconds'])}", ms(seconds), "ms"),
        Row("scaling", f"{label}: stages (ms)", stage_list(size["stages"])),
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
    sizes: dict[int, dict],
    small: int,
    large: int,
    what: str,
    cpu: bool = False,
    target: float | None = None,
) -> Row:
    """log(t_large / t_small) / log(large / small): 1 is linear, 2 quadratic."""

    def seconds(count: int) -> float:
        size = sizes[count]
        if what == "build":
            return median(size["cpu_seconds" if cpu else "seconds"])
        return size["cpu_stages" if cpu else "stages"].get(what, 0.0)

    name = "build" if what == "build" else f"{what} stage"
    label = f"growth exponent, {name}{' (CPU time)' if cpu else ''}, {small} to {large} copies"
    small_s, large_s = seconds(small), seconds(large)
    if small_s <= 0 or large_s <= 0:
        return Row("scaling", label, "n/a")
    exponent = round(math.log(large_s / small_s) / math.log(large / small), 2)
    return Row(
        "scaling",
        label,
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
