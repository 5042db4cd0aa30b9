"""Enrollment: the public series, validated, with losses computed only within one series."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl.enrollment import parse_enrollment, read_enrollment, with_losses
from etl.source import InputError
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "enrollment"
HEADER = "series,school_year,enrollment,definition,source\n"
GOOD = "cde_census_day,2020-21,574996,Census Day enrollment,CDE census-day files\n"


def losses(db, series):
    return db.execute(
        "SELECT school_year, enrollment, lost_since_previous, lost_since_base, base_school_year "
        "FROM enrollment WHERE series = ? ORDER BY year_start",
        [series],
    ).fetchall()


def test_both_series_are_loaded_apart(db):
    rows = db.execute(
        "SELECT series, count(*), min(school_year), max(school_year) FROM enrollment "
        "GROUP BY series ORDER BY series"
    ).fetchall()
    assert rows == [
        ("cde_census_day", 8, "2017-18", "2024-25"),
        ("lausd_norm_day", 4, "2020-21", "2023-24"),
    ]


def test_census_day_losses_are_within_the_series(db):
    assert losses(db, "cde_census_day") == [
        ("2017-18", 621414, None, 0, "2017-18"),
        ("2018-19", 607723, 13691, 13691, "2017-18"),
        ("2019-20", 596937, 10786, 24477, "2017-18"),
        ("2020-21", 574996, 21941, 46418, "2017-18"),
        ("2021-22", 548338, 26658, 73076, "2017-18"),
        ("2022-23", 538295, 10043, 83119, "2017-18"),
        ("2023-24", 529902, 8393, 91512, "2017-18"),
        ("2024-25", 516685, 13217, 104729, "2017-18"),
    ]


def test_norm_day_losses_never_reach_into_the_other_series(db):
    # The census series has 2019-20 (596,937), but the Norm Day series starts in 2020-21: its
    # first year has no loss, and its cumulative loss counts from its own first year.
    assert losses(db, "lausd_norm_day") == [
        ("2020-21", 466229, None, 0, "2020-21"),
        ("2021-22", 439013, 27216, 27216, "2020-21"),
        ("2022-23", 431158, 7855, 35071, "2020-21"),
        ("2023-24", 422276, 8882, 43953, "2020-21"),
    ]


def test_a_change_of_definition_within_a_series_is_flagged(db):
    rows = db.execute(
        "SELECT school_year, definition_changed FROM enrollment "
        "WHERE series = 'lausd_norm_day' ORDER BY year_start"
    ).fetchall()
    assert rows == [("2020-21", None), ("2021-22", False), ("2022-23", True), ("2023-24", True)]


def test_every_row_keeps_its_definition_source_and_line(db):
    row = db.execute(
        "SELECT definition, source, source_line FROM enrollment "
        "WHERE series = 'cde_census_day' AND school_year = '2021-22'"
    ).fetchone()
    assert row[0].startswith("Census Day enrollment, all schools under CDS district code 19-64733")
    assert row[1].startswith("California Department of Education census-day files")
    assert row[2] == 6


def test_finer_rows_are_compared_within_series_and_entity():
    table = with_losses(read_enrollment(FIXTURES / "by-entity.csv"))
    found = [
        (r["series"], r["entity"], r["school_year"], r["lost_since_previous"], r["lost_since_base"])
        for r in table
    ]
    assert found == [
        ("cde_census_day", "Example school A", "2021-22", None, 0),
        ("cde_census_day", "Example school A", "2022-23", 20, 20),
        ("lausd_norm_day", "Example school A", "2020-21", None, 0),
        ("lausd_norm_day", "Example school A", "2021-22", 20, 20),
        ("lausd_norm_day", "Example school A", "2022-23", 10, 30),
        ("lausd_norm_day", "Example school B", "2020-21", None, 0),
        ("lausd_norm_day", "Example school B", "2021-22", -10, -10),
        # 2022-23 is missing for school B: no year-over-year loss across the gap.
        ("lausd_norm_day", "Example school B", "2023-24", None, 10),
    ]


def test_a_district_file_has_the_district_as_its_entity():
    rows = parse_enrollment(HEADER + GOOD, "enrollment.csv")
    assert [(r.entity, r.year_start, r.enrollment, r.source_line) for r in rows] == [
        ("district", 2020, 574996, 2)
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("cde_census_day,2021-2022,548338,Census Day,CDE", "school year '2021-2022' is not"),
        ("cde_census_day,2021-23,548338,Census Day,CDE", "does not span two consecutive years"),
        ("cde_census_day,2099-00,548338,Census Day,CDE", None),
        ("cde_census_day,2021-22,-5,Census Day,CDE", "enrollment '-5' is not a positive whole"),
        ("cde_census_day,2021-22,0,Census Day,CDE", "enrollment '0' is not a positive whole"),
        ("cde_census_day,2021-22,548338.5,Census Day,CDE", "enrollment '548338.5' is not"),
        ('cde_census_day,2021-22,"548,338",Census Day,CDE', "enrollment '548,338' is not"),
        ("state_total,2021-22,548338,Census Day,CDE", "unknown series 'state_total'"),
        ("cde_census_day,2021-22,548338,,CDE", "the definition is empty"),
        ("cde_census_day,2021-22,548338,Census Day", "4 fields where the header has 5"),
        ("cde_census_day,2021-22,548338,Census Day,CDE,extra", "6 fields where the header has 5"),
        ("cde_census_day,2020-21,1,Census Day,CDE", "is already on line 2"),
    ],
)
def test_a_bad_row_is_refused_naming_its_line(row, message):
    text = HEADER + GOOD + row + "\n"
    if message is None:
        assert [r.school_year for r in parse_enrollment(text, "e.csv")] == ["2020-21", "2099-00"]
        return
    with pytest.raises(InputError, match=r"^e\.csv line 3: .*" + re.escape(message)):
        parse_enrollment(text, "e.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("series,school_year,enrollment,source\n", "e.csv line 1: missing column(s) definition"),
        (HEADER.strip() + ",notes\n", "e.csv line 1: unknown column(s) notes"),
        (HEADER, "e.csv: no enrollment rows after the header"),
    ],
)
def test_a_bad_header_is_refused(text, message):
    with pytest.raises(InputError, match=re.escape(message)):
        parse_enrollment(text, "e.csv")


def test_a_malformed_enrollment_file_fails_the_build_in_one_line(tmp_path, built_db):
    target = tmp_path / "plan.duckdb"
    target.write_bytes(built_db.read_bytes())
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "build",
            "--db",
            str(target),
            "--enrollment",
            str(FIXTURES / "bad-school-year.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2
    assert result.stderr == (
        "error: bad-school-year.csv line 3: school year '2021-2022' is not written like 2021-22\n"
    )
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_a_finer_file_builds(tmp_path):
    target = tmp_path / "plan.duckdb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "build",
            "--db",
            str(target),
            "--enrollment",
            str(FIXTURES / "by-entity.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "8 enrollment rows in 2 series" in result.stdout
