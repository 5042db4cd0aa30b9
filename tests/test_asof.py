"""As-of states of chosen milestones, on both sides of their date boundaries."""

from datetime import date

import pytest

from lib.asof import ACTIVE, ENDED, NOT_STARTED, OPEN_ENDED, classify, state


def milestone(db, milestone_id):
    return db.execute(
        "SELECT m.*, i.plan_start, i.plan_end FROM milestones AS m "
        "JOIN initiatives AS i USING (initiative_id) WHERE milestone_id = ?",
        [milestone_id],
    ).df()


@pytest.mark.parametrize(
    ("milestone_id", "asof", "expected"),
    [
        # Family Academy #1, 5/16/22 to 7/15/22.
        ("act-family-academy--01", date(2022, 5, 15), NOT_STARTED),
        ("act-family-academy--01", date(2022, 5, 16), ACTIVE),
        ("act-family-academy--01", date(2022, 7, 15), ACTIVE),
        ("act-family-academy--01", date(2022, 7, 16), ENDED),
        # Strategic Plan #3 ends on the printed 9/31/22, stored as 2022-09-30.
        ("act-strategic-plan-development--03", date(2022, 9, 30), ACTIVE),
        ("act-strategic-plan-development--03", date(2022, 10, 1), ENDED),
        # Broad Fiscal Analysis #1, 3/15/22 to Ongoing.
        ("assess-broad-fiscal-analysis--01", date(2022, 3, 14), NOT_STARTED),
        ("assess-broad-fiscal-analysis--01", date(2022, 3, 15), OPEN_ENDED),
        ("assess-broad-fiscal-analysis--01", date(2030, 1, 1), OPEN_ENDED),
        # Safe Passages #1, Ongoing to 6/01/23: under way at publication, over after June 1.
        ("assess-analyze-safe-passages-to-and-from-school--01", date(2022, 6, 1), ACTIVE),
        ("assess-analyze-safe-passages-to-and-from-school--01", date(2023, 6, 2), ENDED),
        # Capital Improvement Plan #3, Q1-23 to Q2-23: 2023-01-01 to 2023-06-30.
        ("assess-capital-improvement-plan--03", date(2022, 12, 31), NOT_STARTED),
        ("assess-capital-improvement-plan--03", date(2023, 6, 30), ACTIVE),
        ("assess-capital-improvement-plan--03", date(2023, 7, 1), ENDED),
    ],
)
def test_states_around_boundaries(db, milestone_id, asof, expected):
    assert classify(milestone(db, milestone_id), asof)["state"].iloc[0] == expected


def test_an_ended_milestone_is_never_called_done():
    assert state(date(2022, 1, 1), date(2022, 2, 1), False, date(2023, 1, 1)) == "end date passed"


def test_open_ended_bar_runs_to_the_end_of_the_plan_period(db):
    bar = classify(milestone(db, "assess-broad-fiscal-analysis--01"), date(2022, 6, 1)).iloc[0]
    assert (bar["bar_start"], bar["bar_end"]) == (date(2022, 3, 15), date(2023, 7, 1))


def test_single_day_bar_has_a_width():
    frame = classify(_frame(start=date(2022, 8, 15), end=date(2022, 8, 15)), date(2022, 6, 1)).iloc[
        0
    ]
    assert (frame["bar_start"], frame["bar_end"]) == (date(2022, 8, 15), date(2022, 8, 16))


def _frame(start, end):
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "start_date": start,
                "end_date": end,
                "is_ongoing": False,
                "plan_start": date(2022, 7, 1),
                "plan_end": date(2023, 6, 30),
            }
        ]
    )
