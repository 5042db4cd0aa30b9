"""The Metrics page, run through the entrypoint against the database built from the real report."""

import pytest
from streamlit.testing.v1 import AppTest

from etl import paths
from lib.metrics import display_value
from tests.apptest import TIMEOUT, figures, open_page, values

STAFFING = "act-staffing-plan-to-support-schools-certificated-employees-teachers-counselors-etc"


def chart(app, key):
    """The plotly spec of the chart drawn with this key."""
    specs = dict(zip([c.key for c in app.get("plotly_chart")], figures(app), strict=True))
    return specs[key]


@pytest.fixture(scope="module")
def metrics_page(built_db):
    """One run of the page over the whole report, shared by the tests that only read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.DB_ENV, str(built_db))
        yield open_page("metrics")


def test_the_page_renders(metrics_page):
    assert not metrics_page.exception, [e.value for e in metrics_page.exception]
    assert metrics_page.title[0].value == "Metrics"
    assert [s.value for s in metrics_page.subheader] == [
        "Staffing",
        "Engagement and surveys",
        "Enrollment",
        "All figures",
    ]


def test_enrollment_has_one_line_per_series(metrics_page):
    enrollment = chart(metrics_page, "enrollment_chart")
    assert [trace["name"] for trace in enrollment["data"]] == [
        "California Department of Education, Census Day",
        "Los Angeles Unified, Norm Day",
    ]
    census, norm_day = enrollment["data"]
    assert values(census["y"])[-1] == 516685
    assert list(norm_day["x"]) == ["2020-21", "2021-22", "2022-23", "2023-24"]


def test_losses_are_drawn_per_series_with_changed_definitions_hatched(metrics_page):
    census, norm_day = chart(metrics_page, "losses_chart")["data"]
    assert dict(zip(norm_day["x"], values(norm_day["y"]), strict=True)) == {
        "2021-22": 27216,
        "2022-23": 7855,
        "2023-24": 8882,
    }
    assert norm_day["marker"]["pattern"]["shape"] == ["", "/", "/"]
    assert len(values(census["y"])) == 7


def test_the_reports_own_chart_of_students_lost_is_said_to_have_no_numbers(metrics_page):
    (notice,) = [i.value for i in metrics_page.info if "Population Loss" in i.value]
    assert "source line 630" in notice
    assert "its numbers are not in the report's text" in notice


def test_staffing_compares_teachers_hired_with_the_derived_year_before(metrics_page):
    printed, derived = chart(metrics_page, "staffing_chart")["data"]
    assert printed["name"] == "printed in the report"
    assert printed["text"] == ["2,495", "nearly 900", "more than 1,000", "over 2,700"]
    assert derived["text"] == ["approximately 1,540"]
    assert values(derived["x"]) == [pytest.approx(2495 / 1.62)]
    assert derived["marker"]["pattern"]["shape"] == "/"
    hover = derived["customdata"][0]
    assert hover[2] == 889
    assert hover[4] == (
        "Derived: teachers_hired / (1 + teachers_hired_increase / 100) = 2495 / (1 + 62 / 100)"
    )


def test_engagement_runs_on_a_log_scale_with_qualifiers(metrics_page):
    engagement = chart(metrics_page, "engagement_chart")
    assert engagement["layout"]["xaxis"]["type"] == "log"
    (bars,) = engagement["data"]
    shown = dict(zip(bars["y"], bars["text"], strict=True))
    assert shown["Survey participants"] == "over 14,000"
    assert shown["Academic experts who committed to help"] == "14"
    assert min(values(bars["x"])) == 12 and max(values(bars["x"])) == 237000
    participants = bars["y"].index("Survey participants")
    assert bars["customdata"][participants][2] == 126


def test_the_needs_assessment_percentages(metrics_page):
    (bars,) = chart(metrics_page, "needs_chart")["data"]
    assert sorted(bars["text"]) == ["49%", "58%"]


def test_every_figure_is_in_the_table(metrics_page):
    table = metrics_page.dataframe[-1].value
    assert len(table) == 96
    teachers = table[table["metric_key"] == "teachers_hired"].iloc[0]
    assert (teachers["figure"], teachers["unit"], teachers["source_line"]) == (
        "2,495",
        "count",
        889,
    )


def test_the_category_filter_narrows_the_table(app_db, db):
    app = open_page("metrics")
    app.button_group(key="figure_categories").set_value(["finance"]).run()
    table = app.dataframe[-1].value
    expected = db.execute("SELECT count(*) FROM figures WHERE category = 'finance'").fetchone()
    assert len(table) == expected[0] == 7
    assert set(table["unit"]) == {"USD"}


def test_the_shared_filters_narrow_figures_and_charts(app_db):
    app = open_page("metrics", initiative=STAFFING)
    table = app.dataframe[-1].value
    assert list(table["figure"]) == [
        "2,495",
        "62%",
        "nearly 900",
        "approximately 70",
        "90%",
        "six",
        "75-100",
        "over 100",
    ]
    assert any("no engagement figures" in i.value for i in app.info)
    assert chart(app, "staffing_chart")["data"][0]["text"] == ["2,495", "nearly 900"]


def test_figures_table_for_an_initiative_detail(app_db):
    def detail():
        from lib.metrics import figures_table

        figures_table("act-increased-inclusion-opportunities-for-students-with-disabilities")

    app = AppTest.from_function(detail, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["figure"]) == ["80", "164", "58%", "49%"]
    assert list(table["source_line"]) == [1817, 1818, 1836, 1837]


@pytest.mark.parametrize(
    ("value_text", "qualifier", "unit", "shown"),
    [
        ("6,000", "nearly", "count", "nearly 6,000"),
        ("7", "or fewer", "count", "7 or fewer"),
        ("1.6", "within", "miles", "within 1.6 miles"),
        ("$235-300 million", "estimated", "USD", "estimated $235-300 million"),
        ("2-3", None, "times a week", "2-3 times a week"),
        ("62%", None, "percent", "62%"),
    ],
)
def test_a_figure_is_shown_with_its_unit_and_qualifier(value_text, qualifier, unit, shown):
    assert display_value(value_text, qualifier, unit) == shown


def test_finer_enrollment_rows_are_shown_one_entity_at_a_time(tmp_path, monkeypatch):
    from etl.load import build
    from tests.test_enrollment import FIXTURES

    database = tmp_path / "plan.duckdb"
    build(paths.REPORT, database, FIXTURES / "by-entity.csv")
    monkeypatch.setenv(paths.DB_ENV, str(database))
    app = open_page("metrics")
    entity = app.selectbox(key="enrollment_entity")
    assert entity.options == ["Example school A", "Example school B"]

    entity.select("Example school B").run()
    (norm_day,) = chart(app, "enrollment_chart")["data"]
    assert list(norm_day["x"]) == ["2020-21", "2021-22", "2023-24"]
    (losses,) = chart(app, "losses_chart")["data"]
    assert dict(zip(losses["x"], values(losses["y"]), strict=True)) == {"2021-22": -10}
