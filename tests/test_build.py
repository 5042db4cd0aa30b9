"""`python -m etl build`: the contract tables, atomic replacement and one-line failures."""

import hashlib
import os
import subprocess
import sys

import duckdb
import pytest

from etl import paths
from tests.conftest import ROOT

CONTRACT = {
    "initiatives": [
        "initiative_id",
        "phase",
        "title",
        "status",
        "status_text",
        "estimated_completion",
        "deliverable",
        "objective",
        "narrative",
        "source_url",
        "source_line",
    ],
    "milestones": [
        "milestone_id",
        "initiative_id",
        "seq",
        "description",
        "start_text",
        "end_text",
        "start_date",
        "end_date",
        "is_ongoing",
        "quarter_markers",
        "source_line",
    ],
    "quality_issues": ["record_table", "record_id", "field", "raw_value", "problem", "action"],
}


def run_etl(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns(db, table):
    columns = [
        row[0]
        for row in db.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall()
    ]
    assert set(CONTRACT[table]) <= set(columns)


def test_counts_loaded(db):
    counts = {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("initiatives", "milestones", "quality_issues")
    }
    assert counts["initiatives"] == 42
    assert counts["milestones"] == 160
    assert counts["quality_issues"] >= 24


def test_counts_per_phase_in_the_database(db):
    rows = db.execute(
        "SELECT phase, count(*) FROM initiatives GROUP BY phase ORDER BY phase"
    ).fetchall()
    assert rows == [("ACT", 30), ("ASSESS", 10), ("COMMUNICATE", 1), ("LEARN", 1)]


def test_every_table_and_column_is_described(db):
    ours = "database_name = current_database() AND schema_name = 'main'"
    undescribed = db.execute(
        f"SELECT table_name, column_name FROM duckdb_columns() WHERE {ours} "
        "AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert undescribed == []
    tables = db.execute(
        f"SELECT table_name FROM duckdb_tables() WHERE {ours} AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert tables == []


def test_build_logs_one_line_per_stage(tmp_path):
    result = run_etl("build", "--db", str(tmp_path / "plan.duckdb"))
    assert result.returncode == 0, result.stderr
    log = result.stdout
    assert "parsed 42 initiatives, 160 milestones" in log
    assert "loaded 42 initiatives, 160 milestones" in log
    assert "built in" in log and "Traceback" not in log


def test_build_is_deterministic(tmp_path, built_db):
    second = tmp_path / "again.duckdb"
    assert run_etl("build", "--db", str(second)).returncode == 0
    query = "SELECT * FROM {} ORDER BY ALL"
    with (
        duckdb.connect(str(built_db), read_only=True) as first,
        duckdb.connect(str(second), read_only=True) as again,
    ):
        for table in ("initiatives", "milestones", "quality_issues", "paragraphs"):
            assert (
                first.execute(query.format(table)).fetchall()
                == again.execute(query.format(table)).fetchall()
            ), table


def test_db_path_from_environment(tmp_path):
    target = tmp_path / "from-env.duckdb"
    assert run_etl("build", env={paths.DB_ENV: str(target)}).returncode == 0
    assert target.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary\x00", "the file is binary"),
        ("caf\u00e9 au lait".encode("latin-1"), "not valid UTF-8"),
        ("OBJECTIVE\n".encode("utf-16"), "UTF-16"),
        (b"Just a letter.\nNo sections here.\n", "no section of the report was recognised"),
    ],
)
def test_bad_input_fails_in_one_line_and_keeps_the_database(tmp_path, built_db, content, message):
    target = tmp_path / "plan.duckdb"
    target.write_bytes(built_db.read_bytes())
    before = sha256(target)
    source = tmp_path / "input.txt"
    if content is not None:
        source.write_bytes(content)

    result = run_etl("build", "--source", str(source), "--db", str(target))

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sha256(target) == before
    assert [p.name for p in tmp_path.iterdir() if "building" in p.name] == []


def test_refuses_to_replace_a_file_that_is_not_a_database(tmp_path):
    report_copy = tmp_path / "report.txt"
    report_copy.write_bytes(paths.REPORT.read_bytes())

    result = run_etl("build", "--source", str(report_copy), "--db", str(report_copy))

    assert result.returncode == 2
    assert "exists and is not a DuckDB database; refusing to replace it" in result.stderr
    assert report_copy.read_bytes() == paths.REPORT.read_bytes()


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("", "error: --db is empty; name the database file\n"),
        ("/no-such-folder-here/plan.duckdb", "error: /no-such-folder-here: no such folder"),
    ],
)
def test_unusable_database_path(db, message):
    result = run_etl("build", "--db", db)
    assert result.returncode == 2 and result.stderr.startswith(message)
    assert not os.path.exists("/no-such-folder-here")
