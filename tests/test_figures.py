"""The report's figures as data: every number of its prose, the catalogue, the derived values."""

import hashlib
import re
import subprocess
import sys

import pytest

from etl import paths
from etl.figures import extract, figure_tables, figures_in, read_catalogue
from etl.source import InputError
from tests.conftest import ROOT

STAFFING = "act-staffing-plan-to-support-schools-certificated-employees-teachers-counselors-etc"


@pytest.fixture(scope="module")
def figures(report, report_text):
    return extract(report, report_text)


def figure(db, metric_key):
    row = db.execute(
        "SELECT value, value_low, value_high, is_range, value_text, unit, scale, qualifier, "
        "category, source_line FROM figures WHERE metric_key = ?",
        [metric_key],
    ).fetchone()
    assert row is not None, metric_key
    return row


def test_every_number_of_the_prose_is_one_row(db):
    assert db.execute("SELECT count(*) FROM figures").fetchone()[0] == 96
    by_part = db.execute(
        "SELECT part, count(*) FROM figures GROUP BY part ORDER BY part"
    ).fetchall()
    assert by_part == [("letter", 4), ("milestone", 9), ("narrative", 83)]


def test_teachers_hired_is_a_count(db):
    assert figure(db, "teachers_hired") == (
        2495.0,
        2495.0,
        2495.0,
        False,
        "2,495",
        "count",
        None,
        None,
        "staffing",
        889,
    )


def test_survey_participants_are_over_14000(db):
    value, *_, value_text, unit, _, qualifier, category, line = figure(db, "survey_participants")
    assert (qualifier, value_text, value, unit, category, line) == (
        "over",
        "14,000",
        14000.0,
        "count",
        "engagement",
        126,
    )


def test_the_state_bill_estimate_is_one_range_in_dollars(db):
    assert figure(db, "sb830_estimate") == (
        None,
        235e6,
        300e6,
        True,
        "$235-300 million",
        "USD",
        "million",
        "estimated",
        "finance",
        323,
    )
    lows = db.execute("SELECT value_low FROM figures WHERE source_line = 323").fetchall()
    assert lows == [(235e6,)]


def test_the_inclusion_needs_assessment_percentages(db):
    rows = db.execute(
        "SELECT value, unit, metric_key, source_line FROM figures "
        "WHERE initiative_id = ? AND unit = 'percent' ORDER BY source_line",
        ["act-increased-inclusion-opportunities-for-students-with-disabilities"],
    ).fetchall()
    assert rows == [
        (58.0, "percent", "inclusion_need_behavior_support", 1836),
        (49.0, "percent", "inclusion_need_co_teaching", 1837),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (printed text from the report, [(value_text, value, unit, scale, qualifier)])
        (
            "Los Angeles Unified has hired 2,495 classroom teachers, a 62% increase",
            [("2,495", 2495, "count", None, None), ("62%", 62, "percent", None, None)],
        ),
        (
            "allocating an additional $6 million in both 2022-23 and 2023-24.",
            [("$6 million", 6e6, "USD", "million", None)],
        ),
        (
            "yielding nearly 900 new hires for the 2022-23 school year.",
            [("900", 900, "count", None, "nearly")],
        ),
        (
            "nearly two dozen recruitment fairs have been held since March 15",
            [("two dozen", 24, "count", "dozen", "nearly")],
        ),
        (
            "every school is within 1.6 miles of a monitor.",
            [("1.6", 1.6, "miles", None, "within")],
        ),
        (
            "Low is 7 or fewer new outbreaks, medium is 8-14 and high is 15 or more.",
            [
                ("7", 7, "count", None, "or fewer"),
                ("8-14", None, "count", None, None),
                ("15", 15, "count", None, "or more"),
            ],
        ),
        (
            "full-day, 10-hour summer programs will provide",
            [("10", 10, "hours", None, None)],
        ),
        (
            "Nearly half of our students are ELs or former ELs.",
            [("half", 50, "percent", None, "nearly")],
        ),
    ],
)
def test_figures_with_their_units_scales_and_qualifiers(text, expected):
    found = [
        (f["value_text"], f["value"], f["unit"], f["scale"], f["qualifier"])
        for f in figures_in(text)
    ]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "On February 24, 2022, we released an ambitious 100-Day Plan",
        "On May 18 and 19, Superintendent Carvalho conducted intensive data dialogues",
        "reviewed student performance data going back to the 2016-17 school year.",
        "in the fall, winter and spring, are planned for the 2022-2023 school year.",
        "such as those described in the Universal Student Success plan on page 30.",
        "most notably the Student Performance Review (p. 7) and Meetings (p. 29).",
        "Support passage of SB830 and AB2924",
        "7 Restart Breakfast in the Classroom at schools on August 15, 2022",
        "1) Cultivating a schoolwide culture of attendance",
        "the emergency shutdown in March 2020 caused by the COVID-19 outbreak.",
        "a contest that challenges K-12 student-led teams",
        "Monthly inspection of the building’s fan coils currently equipped with MERV 13 filters",
        "Key to the initiative is 24/7 access to current technology",
        "The environmental surveys are available at https://achieve.lausd.net/Page/17133.",
        "The sessions modeled two-way engagement",
    ],
)
def test_dates_years_pages_laws_codes_and_list_markers_are_not_figures(text):
    assert figures_in(text) == []


def test_no_year_or_date_is_a_figure(figures):
    for found in figures:
        assert not re.fullmatch(r"(19|20)\d\d(-\d\d)?", found.value_text), found
        assert not (found.unit == "count" and 1990 <= found.value_low <= 2030), found


def test_every_figure_is_printed_on_its_source_line(figures, report_text):
    lines = report_text.split("\n")
    for found in figures:
        first_token = re.match(r"\$?([\w,.]+)", found.value_text).group(1)
        assert first_token.lower() in lines[found.source_line - 1].lower(), found


def test_every_quote_is_the_sentence_holding_its_figure(figures):
    for found in figures:
        assert found.value_text in found.quote, found
    staffing = [f for f in figures if f.initiative_id == STAFFING]
    assert staffing[0].quote == (
        "To meet increased staffing demands, Los Angeles Unified has hired 2,495 classroom "
        "teachers, a 62% increase from the previous year."
    )


def test_the_letter_figures_have_no_initiative(db):
    rows = db.execute(
        "SELECT qualifier, value_text, unit FROM figures WHERE initiative_id IS NULL "
        "ORDER BY figure_id"
    ).fetchall()
    assert rows == [
        (None, "four", "count"),
        (None, "100", "days"),
        ("nearly", "6,000", "count"),
        ("over", "14,000", "count"),
    ]


def test_every_category_is_a_known_one(db):
    categories = {row[0] for row in db.execute("SELECT DISTINCT category FROM figures").fetchall()}
    assert categories == {
        "staffing",
        "engagement",
        "enrollment",
        "programmes",
        "finance",
        "facilities",
        "health",
        "other",
    }


# --- the catalogue ---------------------------------------------------------------------------


def test_every_catalogue_metric_is_found(db):
    counts = db.execute("SELECT kind, count(*) FROM metrics GROUP BY kind ORDER BY kind").fetchall()
    assert counts == [("derived", 3), ("quoted", 58)]
    tagged = db.execute("SELECT count(*) FROM figures WHERE metric_key IS NOT NULL").fetchone()
    assert tagged == (58,)


def test_teachers_hired_the_year_before_is_derived_with_its_formula(db):
    value, qualifier, formula, formula_values, source_line = db.execute(
        "SELECT value, qualifier, formula, formula_values, source_line FROM metrics "
        "WHERE metric_key = 'teachers_hired_year_before'"
    ).fetchone()
    assert value == pytest.approx(2495 / 1.62)
    assert round(value) == 1540
    assert qualifier == "approximately"
    assert formula == "teachers_hired / (1 + teachers_hired_increase / 100)"
    assert formula_values == "2495 / (1 + 62 / 100)"
    assert source_line == 889


def test_a_difference_of_exact_counts_is_exact(db):
    row = db.execute(
        "SELECT value, qualifier, formula_values FROM metrics "
        "WHERE metric_key = 'inclusion_schools_before'"
    ).fetchone()
    assert row == (84.0, None, "164 - 80")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_catalogue_quote_missing_from_the_report_fails_the_build(tmp_path, built_db):
    target = tmp_path / "plan.duckdb"
    target.write_bytes(built_db.read_bytes())
    before = sha256(target)
    edited = tmp_path / "report.txt"
    text = paths.REPORT.read_text(encoding="utf-8")
    edited.write_text(text.replace("has hired 2,495 classroom", "has hired 2,500 classroom"))

    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--source", str(edited), "--db", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: metrics.csv line 2 (teachers_hired): the quote ")
    assert "is no longer in the report" in result.stderr
    assert sha256(target) == before
    assert [p.name for p in tmp_path.iterdir() if "building" in p.name] == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,staffing,X,9,nine,,,", "line 2 (x): the quote does not contain its figure '9'"),
        ("x,sports,X,9,9 teams,,,", "line 2 (x): unknown category 'sports'"),
        ("x,staffing,X,,,y * 2,count,", "line 2 (x): the formula uses y, not defined"),
        ("x,staffing,X,,,__import__('os'),count,", "may use only names, numbers and + - * /"),
        ("x,staffing,X,,,2 * 2,,", "a derived metric needs a unit"),
        ("X Y,staffing,X,9,9 teams,,,", "the key must be lower-case"),
    ],
)
def test_a_faulty_catalogue_names_its_line(tmp_path, row, message):
    catalogue = tmp_path / "metrics.csv"
    catalogue.write_text("key,category,label,value_text,quote,formula,unit,note\n" + row + "\n")
    with pytest.raises(InputError, match=re.escape(message)):
        read_catalogue(catalogue)


def test_a_quote_matching_two_figures_is_refused(report, report_text, tmp_path):
    catalogue = tmp_path / "metrics.csv"
    catalogue.write_text(
        "key,category,label,value_text,quote,formula,unit,note\n"
        'both,engagement,Stakeholders,"6,000","nearly 6,000 stakeholders",,,\n'
    )
    with pytest.raises(InputError, match=r"line 2 \(both\): the quote matches 2 figures"):
        figure_tables(report, report_text, catalogue)
