"""Exports open safely and correctly in a spreadsheet, and hold exactly what they promise."""

import io
import subprocess
import sys
import zipfile
from datetime import date

import pandas as pd
import pytest

from lib import export
from lib.filters import Filters, file_label
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("Plain text", "Plain text"),
    ],
)
def test_formula_cells_are_neutralised(cell, written):
    assert export.neutralise(cell) == written


def test_csv_has_bom_iso_dates_and_untouched_numbers():
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("x")', "Family Academy"],
            "change": [-12.5, 3.0],
            "start": [date(2022, 5, 16), None],
        }
    )
    data = export.to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["title"]) == ['\'=HYPERLINK("x")', "Family Academy"]
    assert list(back["change"]) == [-12.5, 3.0]
    assert back["start"].iloc[0] == "2022-05-16"


def test_file_name_says_what_and_which_filters():
    filters = Filters(phases=("ACT",), statuses=("In Progress",), date_from=date(2022, 7, 1))
    assert export.file_name("milestones", file_label(filters)) == (
        "100-day-plan_milestones_ACT_In-Progress_from-2022-07-01.csv"
    )
    assert export.file_name("initiatives", file_label(Filters())) == (
        "100-day-plan_initiatives_all.csv"
    )


def test_zip_holds_what_it_promises(app_db):
    from lib import ui
    from lib.db import current_stamp
    from lib.filters import Vocabulary

    filters = Filters(phases=("COMMUNICATE",), asof=date(2022, 9, 1))
    archive = zipfile.ZipFile(io.BytesIO(ui.zip_export(current_stamp(), filters, Vocabulary())))

    names = set(archive.namelist())
    tables = ("initiatives", "milestones", "figures", "metrics", "quality_issues", "enrollment")
    assert names == {"README.txt"} | {
        f"{kind}/{table}.{kind}" for kind in ("csv", "parquet") for table in tables
    }
    milestones = pd.read_csv(archive.open("csv/milestones.csv"), encoding="utf-8-sig")
    assert len(milestones) == 5
    assert len(pd.read_parquet(io.BytesIO(archive.read("parquet/milestones.parquet")))) == 5
    text = archive.read("README.txt").decode()
    assert "Filters applied: phase COMMUNICATE" in text
    assert "As-of date of the milestone states: 2022-09-01" in text
    assert "Source SHA-256: " in text and "lausd-100-day-plan-report-2022.txt" in text
    assert "  start_text: (VARCHAR) The START cell exactly as printed." in text
    assert "  title: (VARCHAR) The section title" in text and "(from initiatives)" in text


def test_csv_rows_equal_the_rows_shown(app_db):
    from tests.apptest import open_page

    app = open_page("timeline", phase="ACT", status="In Progress")
    shown = app.dataframe[0].value
    back = pd.read_csv(io.BytesIO(export.to_csv_bytes(shown)), encoding="utf-8-sig")
    assert len(back) == len(shown) == 16  # Strategic Plan 6, Alignment 2, Arts Passport 8
    assert list(back["milestone_id"]) == list(shown["milestone_id"])


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_command_line_export(built_db, tmp_path, file_format):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "export",
            "--db",
            str(built_db),
            "--out",
            str(tmp_path),
            "--format",
            file_format,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("exported 42 initiatives, 160 milestones")
    reader = pd.read_csv if file_format == "csv" else pd.read_parquet
    assert len(reader(tmp_path / f"milestones.{file_format}")) == 160
    assert (tmp_path / "README.txt").read_text().startswith("100-Day Plan Explorer export")
