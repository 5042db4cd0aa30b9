"""Every date form of the milestone tables, read as the report means it."""

from datetime import date

import pytest

from etl.dates import parse_cell, parse_completion, quarter_bounds


@pytest.mark.parametrize(
    ("text", "role", "value", "ongoing", "problem"),
    [
        ("3/01/22", "start", date(2022, 3, 1), False, None),
        ("01/20/23", "end", date(2023, 1, 20), False, None),
        ("7/1/22", "start", date(2022, 7, 1), False, None),
        ("Ongoing", "end", None, True, None),
        ("Ongoing", "start", None, True, None),
        ("N/A", "end", None, False, None),
        ("Q2-22", "start", date(2022, 4, 1), False, None),
        ("Q2-22", "end", date(2022, 6, 30), False, None),
        ("Q4-23", "end", date(2023, 12, 31), False, None),
        # September has 30 days: the month's last day is stored, and the problem reported.
        ("9/31/22", "end", date(2022, 9, 30), False, "no such date"),
        ("2/30/23", "end", date(2023, 2, 28), False, "no such date"),
        ("13/01/22", "start", None, False, "no such date"),
        ("0/10/22", "start", None, False, "no such date"),
    ],
)
def test_cell(text, role, value, ongoing, problem):
    parsed = parse_cell(text, role)
    assert (parsed.value, parsed.is_ongoing, parsed.problem) == (value, ongoing, problem)


def test_impossible_day_says_what_was_stored():
    assert parse_cell("9/31/22", "end").action == "stored the last day of the month (2022-09-30)"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("In Progress (Estimated completion - June 2023)", (date(2023, 6, 30), "month")),
        ("In Progress (Estimated completion - June 21, 2022)", (date(2022, 6, 21), "day")),
        ("In-Progress (estimated completion - August 5, 2022)", (date(2022, 8, 5), "day")),
        (
            "In Progress (Estimated plan completion - August 31, 2022; program launch "
            "September 1, 2022)",
            (date(2022, 8, 31), "day"),
        ),
        ("Completed", (None, None)),
        ("Completed, with ongoing content creation", (None, None)),
    ],
)
def test_estimated_completion(status, expected):
    assert parse_completion(status) == expected


def test_quarter_bounds():
    assert quarter_bounds(2022, 3) == (date(2022, 7, 1), date(2022, 9, 30))
    assert quarter_bounds(2023, 1) == (date(2023, 1, 1), date(2023, 3, 31))
