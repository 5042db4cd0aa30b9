"""Run the app the way a user reaches a page: the entrypoint, then the page."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

# Each run executes the real pages against the real database; the first run of a process also
# imports plotly and pandas, which takes several seconds on a shared two-core machine.
TIMEOUT = 60


def open_page(page: str | None = None, **query) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py").run()
    return app


def shown(markdown: str) -> str:
    """What a reader sees of markdown that escapes the report's text with backslashes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def metric(app: AppTest, label: str):
    return next(m.value for m in app.metric if m.label == label)


def figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def values(array) -> list:
    """A trace's array as a list; plotly ships numeric arrays base64-encoded ("bdata")."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def bar_count(figure: dict) -> int:
    return sum(len(values(t.get("y", []))) for t in figure["data"] if t["type"] == "bar")
