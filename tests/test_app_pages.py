"""Every page, run through the entrypoint against the database built from the real report."""

import pytest

from tests.apptest import bar_count, figures, metric, open_page, shown, values

PAGES = ["overview", "timeline", "initiatives", "search", "quality", "dictionary"]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(app_db, page):
    app = open_page(page)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, "every page has a title"


def test_overview_headline_figures(app_db):
    app = open_page()
    assert metric(app, "Initiatives") == "42"
    assert metric(app, "Completed") == "88%"  # 37 of 42
    status_chart, quarter_chart = figures(app)
    completed = next(t for t in status_chart["data"] if t["name"] == "Completed")
    in_progress = next(t for t in status_chart["data"] if t["name"] == "In Progress")
    assert dict(zip(completed["x"], values(completed["y"]), strict=True)) == {
        "LEARN": 1,
        "ASSESS": 8,
        "COMMUNICATE": 1,
        "ACT": 27,
    }
    assert dict(zip(in_progress["x"], values(in_progress["y"]), strict=True)) == {
        "ASSESS": 2,
        "ACT": 3,
    }


def test_overview_counts_at_the_publication_date(app_db):
    app = open_page()
    # Counted by hand in SQL on 2022-06-01: started (or printed Ongoing as start) and not past
    # the end date; printed Ongoing with no end date; ending 2022-06-02 to 2022-08-30.
    assert metric(app, "Active milestones") == "57"
    assert metric(app, "Open-ended") == "9"
    assert metric(app, "Ending in 90 days") == "40"


def test_timeline_draws_every_milestone(app_db):
    app = open_page("timeline")
    (timeline,) = figures(app)
    assert bar_count(timeline) == 160
    assert len(app.dataframe[0].value) == 160
    assert timeline["layout"]["height"] >= 160 * 26


def test_timeline_hover_shows_printed_dates_and_source_line(app_db):
    app = open_page("timeline", initiative="act-strategic-plan-development")
    (timeline,) = figures(app)
    rows = [row for trace in timeline["data"] for row in trace["customdata"]]
    town_halls = next(row for row in rows if row[0].startswith("Host community town halls"))
    assert town_halls[1:4] == ["7/01/22", "9/31/22", 1166]
    assert "Source line %{customdata[3]}" in timeline["data"][0]["hovertemplate"]


def test_single_day_and_open_ended_bars_are_visible(app_db):
    app = open_page("timeline", initiative="communicate-external-communications")
    (timeline,) = figures(app)
    open_ended = next(t for t in timeline["data"] if t["name"] == "open-ended")
    assert len(open_ended["y"]) == 3
    assert open_ended["marker"]["pattern"]["shape"] == "/"
    assert all(duration > 0 for trace in timeline["data"] for duration in values(trace["x"]))


def test_initiatives_table_and_deep_link_detail(app_db):
    app = open_page("initiatives", initiative="act-family-academy")
    assert len(app.dataframe[0].value) == 1
    assert shown(app.header[0].value) == "ACT | Family Academy"
    assert "Create a Family Academy" in app.markdown[0].value or any(
        "Create a Family Academy" in m.value for m in app.markdown
    )
    figures, milestones = (frame.value for frame in app.dataframe[1:3])
    assert (list(figures["figure"]), list(figures["source_line"])) == (["eight weeks"], [1503])
    assert list(milestones["description"]) == [
        "Identify and train DACE instructors",
        "Develop and implement marketing campaign",
    ]


def test_quality_page_lists_issues_with_source_lines(app_db):
    app = open_page("quality")
    issues = app.dataframe[0].value
    assert len(issues) == 24
    row = issues[issues["raw_value"] == "9/31/22"].iloc[0]
    assert (row["problem"], row["source_line"]) == ("no such date", 1169)  # where 9/31/22 is


def test_dictionary_page_describes_the_contract(app_db):
    app = open_page("dictionary")
    tables = {expander.label.split("**")[1] for expander in app.expander}
    assert {"initiatives", "milestones", "quality_issues"} <= tables


def test_missing_database_gets_a_plain_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_EXPLORER_DB", str(tmp_path / "absent.duckdb"))
    app = open_page()
    assert not app.exception
    assert "No database at" in app.error[0].value
    assert "make run" in app.error[0].value


def test_broken_database_gets_a_plain_message(tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("PLAN_EXPLORER_DB", str(broken))
    app = open_page()
    assert not app.exception
    assert "cannot be read" in app.error[0].value


def test_overview_with_nothing_matching_says_so_instead_of_empty_charts(app_db):
    app = open_page(q="zzzzqqq")
    assert metric(app, "Initiatives") == "0"
    assert [i.value for i in app.info][-1] == "No initiative matches these filters."
    assert figures(app) == []


def test_dictionary_page_does_not_claim_to_be_filtered(app_db):
    app = open_page("dictionary", phase="ACT")
    assert not app.info and not app.button
