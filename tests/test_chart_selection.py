"""Selecting a bar of an Overview chart narrows the filters to what the bar stands for."""

from datetime import date

from lib import charts
from tests.apptest import figures, open_page, values


def point_of(figure, trace_name, x):
    """A selection point as Streamlit reports it for a clicked bar of the real figure."""
    trace = next(t for t in figure["data"] if t.get("name", "") == trace_name or not trace_name)
    index = list(trace["x"]).index(x)
    customdata = trace["customdata"][index]
    return {"x": x, "y": values(trace["y"])[index], "customdata": customdata}


def test_status_bar_selects_phase_and_status(app_db):
    status_chart, _ = figures(open_page())
    point = point_of(status_chart, "In Progress", "ASSESS")
    assert charts.status_selection([point]) == {
        "phases": ("ASSESS",),
        "statuses": ("In Progress",),
    }


def test_quarter_bar_selects_its_window(app_db):
    _, quarter_chart = figures(open_page())
    point = point_of(quarter_chart, "", "2022 Q4")
    assert point["y"] == 102  # counted in SQL: bars overlapping 2022-10-01..2022-12-31
    assert charts.quarter_selection([point]) == {
        "date_from": date(2022, 10, 1),
        "date_to": date(2022, 12, 31),
    }


def test_selection_applies_to_every_page(app_db):
    app = open_page()
    from lib.filter_panel import WIDGET_KEYS

    app.session_state[WIDGET_KEYS["phases"]] = ["ASSESS"]
    app.session_state[WIDGET_KEYS["statuses"]] = ["In Progress"]
    app.run()
    assert next(m.value for m in app.metric if m.label == "Initiatives") == "2"


def test_no_selection_changes_nothing():
    assert charts.status_selection([]) == {} and charts.quarter_selection([]) == {}
