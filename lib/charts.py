"""Plotly figures of the report: built from query results, with the source line in every hover."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.asof import ACTIVE, ENDED, NOT_STARTED, OPEN_ENDED, STATES, UNDATED

# Colour and pattern both tell the states apart, so the legend works without colour too.
STATE_STYLE = {
    NOT_STARTED: ("#9aa5b1", "."),
    ACTIVE: ("#2b7bb9", ""),
    OPEN_ENDED: ("#7b5ea7", "/"),
    ENDED: ("#c9a227", "x"),
    UNDATED: ("#d0d0d0", "-"),
}
STATUS_COLOURS = {"Completed": "#2e7d32", "In Progress": "#ef6c00"}
ROW_HEIGHT = 26
# A figure is built once per distinct input: plotly validates every property as it is set,
# which costs more than the query, and a filter set before or a chart no filter changes needs
# no rebuild. The cached figure is shared, not copied (st.plotly_chart serialises a copy), so
# nothing may change a figure these builders return.
FIGURE_CACHE = {"max_entries": 32, "show_spinner": False}


@st.cache_resource(**FIGURE_CACHE)
def status_by_phase(initiatives: pd.DataFrame) -> go.Figure:
    counts = (
        initiatives.assign(status=initiatives["status"].fillna("Unknown"))
        .groupby(["phase", "status"], sort=False)
        .size()
        .rename("initiatives")
        .reset_index()
    )
    figure = go.Figure()
    for status, rows in counts.groupby("status", sort=True):
        figure.add_bar(
            x=rows["phase"],
            y=rows["initiatives"],
            name=status,
            marker_color=STATUS_COLOURS.get(status, "#888"),
            marker_pattern_shape="" if status == "Completed" else "/",
            customdata=rows[["status"]],
            hovertemplate="%{x}, " + status + ": %{y}<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        height=340,
        margin=dict(t=30, b=30, l=10, r=10),
        xaxis=dict(
            title=None,
            categoryorder="array",
            categoryarray=["LEARN", "ASSESS", "COMMUNICATE", "ACT"],
        ),
        yaxis=dict(title="initiatives", dtick=5),
        legend_title_text="Status",
    )
    return figure


def plain(text: str) -> str:
    """Report text for a plotly label or hover, which would read tags such as <b> or <a>."""
    return html.escape(str(text), quote=False)


def status_selection(points: list[dict]) -> dict:
    """The filters a selected bar of the status-by-phase chart stands for."""
    if not points:
        return {}
    return {"phases": (points[0]["x"],), "statuses": (points[0]["customdata"][0],)}


def quarter_selection(points: list[dict]) -> dict:
    """The date window a selected bar of the quarter chart stands for."""
    if not points:
        return {}
    first, last = points[0]["customdata"]
    return {"date_from": date.fromisoformat(first[:10]), "date_to": date.fromisoformat(last[:10])}


def quarter_starts(first: date, last: date) -> list[date]:
    quarter = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    starts = []
    while quarter <= last:
        starts.append(quarter)
        month = quarter.month + 3
        quarter = date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)
    return starts


def quarter_label(start: date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def active_per_quarter(milestones: pd.DataFrame) -> pd.DataFrame:
    """How many milestones each calendar quarter of the plan period has running.

    The quarters are those of the report's tables. A milestone counts in every quarter its bar
    overlaps (open-ended ones run to their table's last quarter); one that started before the
    plan period, such as the report's 1/16/20, counts from its table's first quarter.
    """
    spans = milestones.dropna(subset=["bar_start", "bar_end"])
    if spans.empty:
        return pd.DataFrame(columns=["quarter", "quarter_start", "quarter_end", "milestones"])
    rows = []
    for start in quarter_starts(min(spans["plan_start"]), max(spans["plan_end"])):
        month = start.month + 3
        end = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
        running = ((spans["bar_start"] < end) & (spans["bar_end"] > start)).sum()
        rows.append((quarter_label(start), start, end - timedelta(days=1), int(running)))
    return pd.DataFrame(rows, columns=["quarter", "quarter_start", "quarter_end", "milestones"])


@st.cache_resource(**FIGURE_CACHE)
def quarter_bars(per_quarter: pd.DataFrame) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=per_quarter["quarter"],
            y=per_quarter["milestones"],
            marker_color="#2b7bb9",
            customdata=per_quarter[["quarter_start", "quarter_end"]].astype(str),
            hovertemplate="%{x}, milestones running: %{y}<extra></extra>",
        )
    )
    figure.update_layout(
        height=300, margin=dict(t=30, b=30, l=10, r=10), yaxis_title="milestones", xaxis_title=None
    )
    return figure


def axis_range(rows: pd.DataFrame, asof: date) -> tuple[date, date]:
    """The plan period of the shown tables and the as-of date, with a little room.

    A bar that starts long before (the report's 1/16/20) runs off the left edge rather than
    squeezing two years of plan into a corner; its hover still shows the printed date.
    """
    if rows.empty:
        return asof - timedelta(days=90), asof + timedelta(days=90)
    plan_start = min(rows["plan_start"].dropna(), default=asof)
    near = rows["bar_start"][rows["bar_start"] >= plan_start - timedelta(days=365)]
    first = min(min(near, default=plan_start), plan_start, asof)
    last = max(max(rows["plan_end"].dropna(), default=asof), asof)
    return first - timedelta(days=20), last + timedelta(days=20)


def starts_before_axis(rows: pd.DataFrame, asof: date) -> int:
    first, _ = axis_range(rows, asof)
    return int((rows["bar_start"].dropna() < first).sum())


def vertical_line(day: date, width: int, colour: str, dash: str | None = None) -> dict:
    """A line across the plot's whole height at day, the shape add_vline() makes."""
    x = pd.Timestamp(day).timestamp() * 1000
    line = dict(color=colour, width=width) | (dict(dash=dash) if dash else {})
    return dict(type="line", xref="x", x0=x, x1=x, yref="y domain", y0=0, y1=1, line=line)


@st.cache_resource(**FIGURE_CACHE)
def timeline(milestones: pd.DataFrame, asof: date) -> go.Figure:
    """One bar per milestone, grouped by initiative, coloured and patterned by as-of state."""
    rows = milestones.dropna(subset=["bar_start", "bar_end"]).copy()
    rows["row_label"] = [
        plain(f"{title[:38]}{'…' if len(title) > 38 else ''} · {seq}")
        for title, seq in zip(rows["title"], rows["seq"], strict=True)
    ]
    for column in ("description", "start_text", "end_text", "title"):
        rows[column] = rows[column].fillna("").map(plain)
    order = list(dict.fromkeys(rows["row_label"]))
    figure = go.Figure()
    for state in STATES:
        part = rows[rows["state"] == state]
        if part.empty:
            continue
        colour, pattern = STATE_STYLE[state]
        starts = pd.to_datetime(part["bar_start"])
        durations = (pd.to_datetime(part["bar_end"]) - starts).dt.total_seconds() * 1000
        figure.add_bar(
            y=part["row_label"],
            x=durations,
            base=starts,
            orientation="h",
            name=state,
            marker=dict(
                color=colour,
                pattern_shape=pattern,
                line=dict(color="#333", width=1 if state == OPEN_ENDED else 0),
            ),
            customdata=part[
                ["description", "start_text", "end_text", "source_line", "title"]
            ].fillna(""),
            hovertemplate=(
                "<b>%{customdata[4]}</b><br>%{customdata[0]}<br>"
                "Start: %{customdata[1]} · End: %{customdata[2]}<br>"
                "Source line %{customdata[3]}<extra>" + state + "</extra>"
            ),
        )

    first, last = axis_range(rows, asof)
    # The lines go in as one list: each add_vline() call re-validates every shape so far, which
    # took most of the figure's build time.
    quarter_lines = [
        vertical_line(start, 1, "#bbb", "dot") for start in quarter_starts(first, last)
    ]
    height = max(320, 150 + ROW_HEIGHT * len(order))
    figure.update_layout(
        shapes=[*quarter_lines, vertical_line(asof, 2, "#c62828")],
        annotations=[
            dict(
                x=pd.Timestamp(asof).timestamp() * 1000,
                y=0,
                yref="paper",
                text=f"as of {asof.isoformat()}",
                showarrow=False,
                yanchor="top",
                font=dict(color="#c62828"),
            )
        ],
        barmode="overlay",
        height=height,
        margin=dict(t=110, b=20, l=10, r=10),
        legend_title_text="As-of state",
        # Above the date axis, which sits on top so that long timelines keep it in view.
        legend=dict(orientation="h", yanchor="bottom", y=1 + 60 / (height - 130), x=0),
        xaxis=dict(
            type="date",
            side="top",
            tickformat="%b %Y",
            dtick="M3",
            range=[pd.Timestamp(first), pd.Timestamp(last)],
        ),
        yaxis=dict(
            categoryorder="array",
            categoryarray=order[::-1],
            title=None,
            automargin=True,
            tickfont=dict(size=11),
        ),
    )
    return figure
