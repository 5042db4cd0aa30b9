"""Chart builders: report text reaches plotly as text, not as markup."""

from datetime import date

import pandas as pd

from lib import asof, charts


def hostile_milestones():
    return asof.classify(
        pd.DataFrame(
            [
                {
                    "milestone_id": "act-x--01",
                    "initiative_id": "act-x",
                    "seq": 1,
                    "title": '<a href="javascript:alert(1)">Family</a> Academy',
                    "description": "<img src=x onerror=alert(1)> <b>bold</b>",
                    "start_text": "=HYPERLINK(1)",
                    "end_text": "6/30/23",
                    "source_line": 7,
                    "start_date": date(2022, 7, 1),
                    "end_date": date(2023, 6, 30),
                    "is_ongoing": False,
                    "plan_start": date(2022, 7, 1),
                    "plan_end": date(2023, 6, 30),
                }
            ]
        ),
        date(2022, 9, 1),
    )


def test_timeline_escapes_report_text():
    figure = charts.timeline(hostile_milestones(), date(2022, 9, 1)).to_plotly_json()
    (bar,) = figure["data"]
    description, start, _, line, title = bar["customdata"][0]
    assert description == "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;bold&lt;/b&gt;"
    assert title.startswith('&lt;a href="javascript:alert(1)"&gt;')
    assert (start, line) == ("=HYPERLINK(1)", 7)
    assert "<a " not in bar["y"][0] and "&lt;a " in bar["y"][0]
