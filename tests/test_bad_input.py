"""`python -m etl build` on bad input: a one-line error and the database untouched, or, where the
text is merely messy, a load of what is there with the mess recorded as quality issues.

The corpus is tests/fixtures/bad/ (see its README) and variants of the real report made here.
Error cases run the real command line as a subprocess, several at once to keep the suite quick.
"""

import hashlib
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl import paths
from etl.__main__ import main
from tests.conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"
NOISE_BYTES = 50 * 1024 * 1024
LAST_TABLE = "act-explore-options-to-improve-student-transportation-services"


def report_text() -> str:
    return paths.REPORT.read_text(encoding="utf-8")


def in_last_table(text: str, *replacements: tuple[str, str]) -> str:
    """Replace printed cells of the report's last milestone table only."""
    head, table = text.rsplit("MAJOR MILESTONES", 1)
    for old, new in replacements:
        assert table.count(old) == 1, old
        table = table.replace(old, new)
    return head + "MAJOR MILESTONES" + table


def random_bytes(seed: int) -> bytes:
    return random.Random(seed).randbytes(NOISE_BYTES)


def random_text(seed: int) -> bytes:
    """Printable ASCII in lines of random length: it decodes, so the parser has to read it."""
    alphabet = bytes(range(32, 127)) + b"\n" * 9
    table = bytes(alphabet[byte % len(alphabet)] for byte in range(256))
    return random_bytes(seed).translate(table)


# (case, what the source file holds, what the one-line error says)
ERRORS = [
    ("missing file", None, "no such file"),
    ("a folder", "folder", "not a regular file"),
    ("empty", "empty.txt", "the file is empty"),
    ("white space only", "whitespace.txt", "the file holds only white space"),
    ("binary", "binary.bin", "the file is binary, not text"),
    ("UTF-16 with BOM", "utf16-bom.txt", "the file is UTF-16; save it as UTF-8"),
    ("UTF-16 without BOM", "utf16-no-bom.txt", "the file is UTF-16; save it as UTF-8"),
    ("Latin-1", "latin1.txt", "not valid UTF-8 (line 1, byte 9); save the text as UTF-8"),
    ("no sections", "no-sections.txt", "no section of the report was recognised"),
    (
        "NUL past the first 64 KB",
        lambda: report_text().encode("utf-8") + b"\x00\x1a",
        "the file is binary, not text",
    ),
    ("50 MB of random bytes", lambda: random_bytes(6), "the file is binary, not text"),
    ("50 MB of random text", lambda: random_text(6), "no section of the report was recognised"),
    (
        # The headline-metric catalogue quotes the whole report; without them the build stops.
        "cut halfway, inside a milestone table",
        lambda: "\n".join(report_text().split("\n")[:236]).encode("utf-8"),
        "is no longer in the report; is the report text complete?",
    ),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_file(folder: Path, content) -> Path:
    source = folder / "source.txt"
    if content == "folder":
        source.mkdir()
    elif isinstance(content, str):
        shutil.copy(BAD / content, source)
    elif content is not None:
        source.write_bytes(content())
    return source


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "build", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def error_runs(built_db, tmp_path_factory):
    """Each error case run once through the real CLI against its own copy of the database:
    {case: (completed process, database path, SHA-256 of the database before)}."""

    def attempt(case, content):
        folder = tmp_path_factory.mktemp("bad")
        database = folder / "plan.duckdb"
        shutil.copy(built_db, database)
        before = sha256(database)
        source = source_file(folder, content)
        result = run_build("--source", str(source), "--db", str(database))
        if source.is_file():
            source.unlink()  # 50 MB each: not kept past the run
        return case, (result, database, before)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(lambda case: attempt(case[0], case[1]), ERRORS))


@pytest.mark.parametrize(("case", "content", "message"), ERRORS, ids=[c[0] for c in ERRORS])
def test_unusable_input_fails_in_one_line_and_keeps_the_database(
    error_runs, case, content, message
):
    result, database, before = error_runs[case]

    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sha256(database) == before
    assert [p.name for p in database.parent.iterdir() if ".building" in p.name] == []


def test_a_database_path_that_is_a_folder(tmp_path):
    result = run_build("--db", str(tmp_path))

    assert result.returncode == 2
    assert result.stderr == f"error: {tmp_path}: a folder, not a database file\n"
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert [p.name for p in tmp_path.parent.iterdir() if ".building" in p.name] == []


def issues(database: Path) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return set(
            connection.execute(
                "SELECT record_id, field, raw_value, problem, action FROM quality_issues"
            ).fetchall()
        )


def counts(database: Path) -> tuple[int, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return (
            connection.execute("SELECT count(*) FROM initiatives").fetchone()[0],
            connection.execute("SELECT count(*) FROM milestones").fetchone()[0],
        )


def milestone_dates(database: Path, initiative_id: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "SELECT seq, start_date, end_date FROM milestones WHERE initiative_id = ? ORDER BY seq",
            [initiative_id],
        ).fetchall()


def build_from(tmp_path: Path, content: bytes) -> Path:
    source, database = tmp_path / "source.txt", tmp_path / "plan.duckdb"
    source.write_bytes(content)
    assert main(["build", "--source", str(source), "--db", str(database)]) == 0
    return database


LINE_ENDINGS = {
    "CRLF": (
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        (
            None,
            "source_file",
            "CRLF",
            "Windows (CRLF) line endings",
            "read them as plain line ends",
        ),
    ),
    "CR only": (
        lambda text: text.replace("\n", "\r").encode("utf-8"),
        (
            None,
            "source_file",
            "CR",
            "lines end in CR alone (classic Mac OS line endings)",
            "read them as plain line ends",
        ),
    ),
    "byte-order mark": (
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        (None, "source_file", "BOM", "a byte-order mark opens the file", "ignored it"),
    ),
}


@pytest.mark.parametrize("case", sorted(LINE_ENDINGS))
def test_line_endings_and_byte_order_mark_load_the_same_report(tmp_path, built_db, case):
    make, noted = LINE_ENDINGS[case]

    database = build_from(tmp_path, make(report_text()))

    assert counts(database) == (42, 160)
    assert issues(database) == issues(built_db) | {noted}
    assert milestone_dates(database, LAST_TABLE) == milestone_dates(built_db, LAST_TABLE)


def test_lost_quarter_glyphs_are_said_once(tmp_path, built_db):
    database = build_from(tmp_path, report_text().replace("\uf06c", "").encode("utf-8"))

    assert counts(database) == (42, 160)
    marker_issues = {issue for issue in issues(built_db) if issue[1] == "quarter_markers"}
    assert len(marker_issues) == 4
    lost = (
        None,
        "quarter_markers",
        "0",
        "no milestone carries a quarter marker (U+F06C): the glyphs were probably lost when "
        "the text was extracted",
        "loaded the dates; marker counts are all 0",
    )
    assert issues(database) == (issues(built_db) - marker_issues) | {lost}
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("SELECT max(quarter_markers) FROM milestones").fetchone() == (0,)


def test_a_table_of_impossible_dates_loads_its_milestones_without_dates(tmp_path, built_db):
    text = in_last_table(
        report_text(),
        ("6/01/22 6/30/22", "13/01/22 0/30/22"),
        ("4/01/22  1/20/23", "2/30/23  14/45/23"),
        ("5/12/22 6/30/22", "99/99/99 6/00/22"),
    )

    database = build_from(tmp_path, text.encode("utf-8"))

    assert counts(database) == (42, 160)
    milestone = f"{LAST_TABLE}--0"
    none = "stored no date"
    flagged = {
        (f"{milestone}1", "start_text", "13/01/22", "no such date", none),
        (f"{milestone}1", "end_text", "0/30/22", "no such date", none),
        (
            f"{milestone}2",
            "start_text",
            "2/30/23",
            "no such date",
            "stored the last day of the month (2023-02-28)",
        ),
        (f"{milestone}2", "end_text", "14/45/23", "no such date", none),
        (f"{milestone}3", "start_text", "99/99/99", "no such date", none),
        (f"{milestone}3", "end_text", "6/00/22", "no such date", none),
    }
    # The one marker check of the table needs both dates, so it is no longer made.
    unchecked = {issue for issue in issues(built_db) if issue[0] == f"{milestone}2"}
    assert issues(database) == (issues(built_db) - unchecked) | flagged
    assert milestone_dates(database, LAST_TABLE) == [
        (1, None, None),
        (2, date(2023, 2, 28), None),
        (3, None, None),
    ]


def test_a_report_cut_inside_its_last_table_loads_what_is_there(tmp_path, built_db):
    text = report_text()
    cut = "Collaborate with consulting firm and implement potential process improvements 5/12/22"
    database = build_from(tmp_path, text[: text.index(cut) + len(cut)].encode("utf-8"))

    assert counts(database) == (42, 160)
    cut_row = (
        f"{LAST_TABLE}--03",
        "start_text",
        cut,
        "milestone text with no START and END after it",
        "loaded with no dates",
    )
    assert issues(database) == issues(built_db) | {cut_row}
    assert milestone_dates(database, LAST_TABLE)[2] == (3, None, None)


def test_noise_is_generated_not_committed():
    committed = [p for p in BAD.iterdir() if p.stat().st_size > 64 * 1024]
    assert committed == []
    assert os.path.getsize(BAD / "empty.txt") == 0
