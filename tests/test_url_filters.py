"""The shared filters, read from the URL, applied on every page, and kept across pages."""

from datetime import date

import pytest

from lib.filters import Filters, Vocabulary, parse_query, to_query
from tests.apptest import bar_count, figures, metric, open_page, shown


@pytest.mark.parametrize(
    ("query", "initiatives", "milestones"),
    [
        ({"phase": "COMMUNICATE"}, 1, 5),
        ({"status": "In Progress"}, 5, 25),
        ({"phase": "ACT", "deliverable": "action taken"}, 10, 20),
        ({"initiative": "act-family-academy,learn-learn"}, 2, 9),
        ({"q": "mental health"}, 4, 16),
        ({"from": "2023-07-01"}, 4, 6),
        ({"from": "2022-07-01", "to": "2022-07-31", "phase": "ASSESS"}, 7, 20),
    ],
)
def test_url_filters_every_page(app_db, query, initiatives, milestones):
    overview = open_page(**query)
    assert metric(overview, "Initiatives") == str(initiatives)
    timeline = open_page("timeline", **query)
    assert bar_count(figures(timeline)[0]) == milestones
    assert len(timeline.dataframe[0].value) == milestones
    table = open_page("initiatives", **query)
    assert len(table.dataframe[0].value) == initiatives


def test_communicate_leaves_exactly_its_milestones(app_db):
    timeline = open_page("timeline", phase="COMMUNICATE")
    shown = timeline.dataframe[0].value
    assert set(shown["initiative_id"]) == {"communicate-external-communications"}
    assert list(shown["seq"]) == [1, 2, 3, 4, 5]


def test_filters_survive_a_page_change(app_db):
    app = open_page(phase="COMMUNICATE")
    app.switch_page("pages/timeline.py").run()
    assert bar_count(figures(app)[0]) == 5
    app.switch_page("pages/initiatives.py").run()
    assert len(app.dataframe[0].value) == 1
    assert app.query_params["phase"] == "COMMUNICATE"


@pytest.mark.parametrize(
    "page", ["overview", "timeline", "initiatives", "search", "metrics", "quality"]
)
def test_every_page_states_the_filter_and_offers_to_clear_it(app_db, page):
    app = open_page(page, status="In Progress")
    assert shown(app.info[0].value) == "Filtered: status In Progress."
    assert [b.label for b in app.button] == ["Clear filters"]


def test_clear_filters_restores_the_whole_report(app_db):
    # AppTest reruns the entrypoint only on the default page, so clear from there.
    app = open_page(status="In Progress")
    assert metric(app, "Initiatives") == "5"
    next(button for button in app.button if button.label == "Clear filters").click().run()
    assert metric(app, "Initiatives") == "42"
    assert app.session_state["filter_status"] == []


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"phase": "MARS"}, "Ignored unknown phase 'MARS'."),
        ({"colour": "red"}, "Ignored unknown parameter 'colour'."),
        ({"from": "2022-13-45"}, "Ignored from='2022-13-45': not a date (YYYY-MM-DD)."),
        ({"initiative": "'; DROP TABLE initiatives; --"}, "Ignored unknown initiative"),
    ],
)
def test_bad_parameter_is_ignored_with_a_notice(app_db, query, notice):
    app = open_page(**query)
    assert not app.exception
    notices = [shown(w.value) for w in app.warning]
    assert any(n.startswith(notice) for n in notices), notices
    assert metric(app, "Initiatives") == "42"


def test_as_of_date_moves_the_counts(app_db):
    app = open_page(asof="2023-01-01")
    # Counted by hand in SQL on 2023-01-01 (see test_asof for single milestones).
    assert metric(app, "Active milestones") == "70"
    assert metric(app, "Open-ended") == "11"


VOCABULARY = Vocabulary({"act-family-academy": "Family Academy", "learn-learn": "LEARN"})


def test_contract_example_parses():
    filters, notices = parse_query(
        {
            "phase": "ACT",
            "initiative": "act-family-academy,learn-learn",
            "status": "In Progress",
            "deliverable": "written plan",
            "from": "2022-07-01",
            "to": "2023-06-30",
            "q": "mental health",
            "asof": "2022-09-01",
        },
        VOCABULARY,
    )
    assert notices == []
    assert filters == Filters(
        phases=("ACT",),
        initiatives=("act-family-academy", "learn-learn"),
        statuses=("In Progress",),
        deliverables=("written plan",),
        date_from=date(2022, 7, 1),
        date_to=date(2023, 6, 30),
        q="mental health",
        asof=date(2022, 9, 1),
    )
    assert parse_query(to_query(filters), VOCABULARY) == (filters, [])


def test_repeated_keys_add_values():
    filters, notices = parse_query({"phase": ["ACT", "LEARN,act"]}, VOCABULARY)
    assert (filters.phases, notices) == (("ACT", "LEARN"), [])


def test_window_that_ends_before_it_starts_is_ignored():
    filters, notices = parse_query({"from": "2023-01-01", "to": "2022-01-01"}, VOCABULARY)
    assert (filters.date_from, filters.date_to) == (None, None)
    assert notices == ["Ignored from and to: the window ends before it starts."]


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"asof": "9999-12-31"}, "Ignored asof=9999-12-31: outside 2000-2099."),
        ({"from": "1900-01-01"}, "Ignored from=1900-01-01: outside 2000-2099."),
        ({"q": "a b c d e f g h i j zzzzqqq"}, "Searched for the first 10 words only."),
    ],
)
def test_out_of_range_dates_and_long_searches_get_a_notice(query, notice):
    filters, notices = parse_query(query, VOCABULARY)
    assert notices == [notice]
    assert filters.asof == date(2022, 6, 1) and filters.date_from is None
    assert len(filters.q.split()) <= 10


def test_as_of_far_ahead_is_accepted(app_db):
    app = open_page(asof="2030-01-01")
    assert not app.warning
    assert metric(app, "Active milestones") == "0"


def test_an_empty_query_string_on_a_later_run_keeps_the_filters(app_db):
    # What the back button does after a page switch: the URL loses its query, the view stays.
    app = open_page(phase="COMMUNICATE")
    app.query_params.clear()
    app.run()
    assert metric(app, "Initiatives") == "1"
