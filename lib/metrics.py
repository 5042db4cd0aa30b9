"""The report's figures on screen: charts that carry each figure's sentence and source line.

The chart builders are plain functions of query results; the `render_*` helpers and
`figures_table` draw with Streamlit and are what pages call.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl.figures import CATEGORIES
from lib import queries, ui
from lib.charts import FIGURE_CACHE
from lib.db import Stamp, current_stamp
from lib.filters import Filters

POSTFIX_QUALIFIERS = ("or fewer", "or less", "or more")
# Units a reader needs spelled out after the number; counts, % and $ show in the number itself.
SPELLED_UNITS = ("count", "percent", "USD")

# The staffing chart: catalogue keys in the order drawn, each with the bar's caption.
STAFFING_BARS = [
    ("teachers_hired", "Classroom teachers hired"),
    ("teachers_hired_year_before", "Classroom teachers hired, the year before"),
    ("highest_need_hires", "New hires at the highest-need schools"),
    ("classified_vacancies_filled", "Classified vacancies filled since March 15"),
    ("classified_hires_year", "Classified hires, running total for the year"),
]
STAFFING_RATES = ["teachers_hired_increase", "classified_hire_rate_increase"]
KIND_STYLE = {"quoted": ("#2b7bb9", ""), "derived": ("#9ecae1", "/")}
SERIES_COLOURS = {"cde_census_day": "#2b7bb9", "lausd_norm_day": "#c9a227"}


# --- text ----------------------------------------------------------------------------------


def display_value(value_text: str, qualifier: str | None, unit: str) -> str:
    """A figure as a reader says it: "nearly 6,000", "7 or fewer", "within 1.6 miles"."""
    text = value_text
    if unit not in SPELLED_UNITS:
        text = f"{text} {unit}"
    if not qualifier or pd.isna(qualifier):
        return text
    if qualifier in POSTFIX_QUALIFIERS:
        return f"{text} {qualifier}"
    return f"{qualifier} {text}"


def hover_quote(quote: str, width: int = 70) -> str:
    """A quote wrapped for a hover box; the report's text is shown as text, never as markup."""
    return "<br>".join(textwrap.wrap(html.escape(quote), width))


def displayed(frame: pd.DataFrame) -> list[str]:
    return [
        display_value(text, qualifier, unit)
        for text, qualifier, unit in zip(
            frame["value_text"], frame["qualifier"], frame["unit"], strict=True
        )
    ]


def with_display(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    shown.insert(0, "figure", displayed(shown))
    return shown


# --- charts --------------------------------------------------------------------------------


def metric_hover(frame: pd.DataFrame) -> list[list]:
    """customdata per bar: shown value, quote, source line, unit, how it was obtained."""
    rows = []
    for row in frame.itertuples():
        how = (
            f"Derived: {row.formula} = {row.formula_values}"
            if row.kind == "derived"
            else "Printed in the report"
        )
        rows.append(
            [
                display_value(row.value_text, row.qualifier, row.unit),
                hover_quote(row.quote),
                int(row.source_line),
                row.unit,
                how,
            ]
        )
    return rows


def bar_labels(frame: pd.DataFrame) -> dict:
    """What every metrics bar carries: the figure as printed beside it, its quote on hover."""
    return dict(
        text=displayed(frame),
        textposition="outside",
        cliponaxis=False,
        customdata=metric_hover(frame),
        hovertemplate=HOVER,
    )


HOVER = (
    "<b>%{y}</b>: %{customdata[0]} (%{customdata[3]})<br>%{customdata[4]}<br>"
    "<i>%{customdata[1]}</i><br>Source line %{customdata[2]}<extra></extra>"
)


@st.cache_resource(**FIGURE_CACHE)
def staffing_chart(metrics: pd.DataFrame) -> go.Figure:
    """Staff hired, printed and derived side by side; a derived bar is hatched and lighter."""
    by_key = metrics.set_index("metric_key")
    drawn = [(key, caption) for key, caption in STAFFING_BARS if key in by_key.index]
    rows = by_key.loc[[key for key, _ in drawn]].reset_index()
    rows["caption"] = [caption for _, caption in drawn]

    figure = go.Figure()
    for kind, name in (("quoted", "printed in the report"), ("derived", "derived")):
        part = rows[rows["kind"] == kind]
        if part.empty:
            continue
        colour, pattern = KIND_STYLE[kind]
        figure.add_bar(
            y=part["caption"],
            x=part["value"],
            orientation="h",
            name=name,
            marker_color=colour,
            marker_pattern_shape=pattern,
            **bar_labels(part),
        )
    figure.update_layout(
        height=80 + 50 * len(rows),
        margin=dict(t=30, b=30, l=10, r=110),
        xaxis_title="people (count)",
        yaxis=dict(categoryorder="array", categoryarray=list(rows["caption"])[::-1], title=None),
        legend_title_text="Value",
    )
    return figure


@st.cache_resource(**FIGURE_CACHE)
def engagement_chart(metrics: pd.DataFrame) -> go.Figure:
    """Engagement counts, ~14 to 237,000, on a log scale so the small ones stay visible."""
    rows = metrics[(metrics["category"] == "engagement") & (metrics["unit"] == "count")]
    rows = rows.sort_values("value")
    figure = go.Figure(
        go.Bar(
            y=rows["label"],
            x=rows["value"],
            orientation="h",
            marker_color="#2b7bb9",
            **bar_labels(rows),
        )
    )
    figure.update_layout(
        height=80 + 34 * len(rows),
        margin=dict(t=30, b=30, l=10, r=110),
        xaxis=dict(type="log", title="count (log scale: each gridline is ten times the last)"),
        yaxis_title=None,
    )
    return figure


@st.cache_resource(**FIGURE_CACHE)
def percent_chart(rows: pd.DataFrame) -> go.Figure:
    """Percentages on their own 0-100 axis; a range is drawn from its low to its high end."""
    rows = rows.sort_values("value_high")
    figure = go.Figure(
        go.Bar(
            y=rows["label"],
            x=rows["value_high"] - rows["value_low"].where(rows["is_range"], 0),
            base=rows["value_low"].where(rows["is_range"], 0),
            orientation="h",
            marker_color="#7b5ea7",
            **bar_labels(rows),
        )
    )
    figure.update_layout(
        height=80 + 40 * len(rows),
        margin=dict(t=30, b=30, l=10, r=50),
        xaxis=dict(range=[0, 100], title="percent"),
        yaxis_title=None,
    )
    return figure


@st.cache_resource(**FIGURE_CACHE)
def enrollment_chart(enrollment: pd.DataFrame) -> go.Figure:
    """Enrollment by school year, one line per series: the series are never joined."""
    figure = go.Figure()
    for series, rows in enrollment.groupby("series", sort=True):
        figure.add_scatter(
            x=rows["school_year"],
            y=rows["enrollment"],
            mode="lines+markers",
            name=rows["series_name"].iloc[0],
            line_color=SERIES_COLOURS.get(series, "#555"),
            customdata=enrollment_hover(rows),
            hovertemplate=(
                "<b>%{x}</b>: %{y:,} students<br>%{customdata[0]}<br>"
                "<i>%{customdata[1]}</i><br>CSV line %{customdata[2]}<extra></extra>"
            ),
        )
    figure.update_layout(
        height=360,
        margin=dict(t=60, b=30, l=10, r=10),
        yaxis=dict(title="students enrolled", rangemode="tozero"),
        xaxis=dict(title=None, type="category", categoryorder="category ascending"),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
    )
    return figure


@st.cache_resource(**FIGURE_CACHE)
def losses_chart(enrollment: pd.DataFrame) -> go.Figure:
    """Students lost since the year before, within each series; a gain is a negative bar."""
    figure = go.Figure()
    for series, rows in enrollment.dropna(subset=["lost_since_previous"]).groupby("series"):
        changed = rows["definition_changed"].fillna(False).astype(bool)
        figure.add_bar(
            x=rows["school_year"],
            y=rows["lost_since_previous"],
            name=rows["series_name"].iloc[0],
            marker_color=SERIES_COLOURS.get(series, "#555"),
            marker_pattern_shape=["/" if c else "" for c in changed],
            customdata=[
                [
                    f"{pct:.1f}% of {previous:,}",
                    "the definition changed from the year before" if c else "same definition",
                    int(line),
                ]
                for pct, previous, c, line in zip(
                    rows["lost_since_previous_pct"],
                    rows["previous_enrollment"],
                    changed,
                    rows["source_line"],
                    strict=True,
                )
            ],
            hovertemplate=(
                "<b>%{x}</b>: %{y:,} students lost (%{customdata[0]})<br>"
                "%{customdata[1]}<br>CSV line %{customdata[2]}<extra></extra>"
            ),
        )
    figure.update_layout(
        barmode="group",
        height=360,
        margin=dict(t=60, b=30, l=10, r=10),
        yaxis_title="students lost since the year before",
        xaxis=dict(title=None, type="category", categoryorder="category ascending"),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
    )
    return figure


def definitions_by_years(rows: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(school years, definition, sources) for each run of years sharing one definition."""
    runs: list[list] = []
    for row in rows.sort_values("year_start").itertuples():
        if runs and runs[-1][1] == row.definition:
            runs[-1][0].append(row.school_year)
            runs[-1][2].append(row.source)
        else:
            runs.append([[row.school_year], row.definition, [row.source]])
    return [
        (
            years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}",
            definition,
            "; ".join(dict.fromkeys(sources)),
        )
        for years, definition, sources in runs
    ]


def enrollment_hover(rows: pd.DataFrame) -> list[list]:
    return [
        [hover_quote(definition), hover_quote(source), int(line)]
        for definition, source, line in zip(
            rows["definition"], rows["source"], rows["source_line"], strict=True
        )
    ]


# --- Streamlit -----------------------------------------------------------------------------

FIGURE_COLUMNS = {
    "figure": st.column_config.TextColumn("Figure", help="As printed, with its qualifier"),
    "label": st.column_config.TextColumn("What it counts", width="medium"),
    "unit": st.column_config.TextColumn("Unit", width="small"),
    "qualifier": st.column_config.TextColumn("Qualifier", width="small"),
    "category": st.column_config.TextColumn("Category", width="small"),
    "value": st.column_config.NumberColumn(
        "Value", help="Empty for a range", format="localized", width="medium"
    ),
    "value_low": st.column_config.NumberColumn("Low", format="localized", width="medium"),
    "value_high": st.column_config.NumberColumn("High", format="localized", width="medium"),
    "quote": st.column_config.TextColumn("Sentence", width="large"),
    "source_line": st.column_config.NumberColumn("Source line", format="%d"),
    "title": st.column_config.TextColumn("Initiative"),
    "metric_key": st.column_config.TextColumn("Catalogue key"),
}


def figures_table(initiative_id: str, stamp: Stamp | None = None) -> None:
    """The figures one initiative's text quotes, for its detail view, with a CSV of them."""
    stamp = stamp or st.session_state.get("stamp") or current_stamp()
    figures = with_display(queries.figures_of(stamp, initiative_id))
    if figures.empty:
        st.caption("The text of this initiative quotes no figures.")
        return
    shown = figures[
        ["figure", "label", "unit", "qualifier", "category", "value", "value_low", "value_high"]
        + ["quote", "source_line", "metric_key", "figure_id"]
    ]
    st.dataframe(shown, hide_index=True, column_config=FIGURE_COLUMNS, key=f"fig_{initiative_id}")
    ui.csv_download(
        shown,
        f"figures_{initiative_id}",
        st.session_state.get("filters", Filters()),
        key=f"csv_{initiative_id}",
    )


def render_staffing(metrics: pd.DataFrame) -> None:
    if not set(dict(STAFFING_BARS)) & set(metrics["metric_key"]):
        st.info("The filtered initiatives quote no staffing figures.", icon=":material/info:")
        return
    st.plotly_chart(staffing_chart(metrics), key="staffing_chart")
    rates = metrics[metrics["metric_key"].isin(STAFFING_RATES)]
    for row in rates.itertuples():
        st.caption(f"{row.label}: {row.value_text} (source line {row.source_line}).")
    derived = metrics[(metrics["category"] == "staffing") & (metrics["kind"] == "derived")]
    for row in derived.itertuples():
        st.caption(
            f"{row.label} is not printed in the report: it is derived as {row.formula} = "
            f"{row.formula_values} ≈ {row.value:,.0f}. {row.note or ''}"
        )


def render_engagement(metrics: pd.DataFrame) -> None:
    engagement = metrics[metrics["category"] == "engagement"]
    if engagement.empty:
        st.info("The filtered initiatives quote no engagement figures.", icon=":material/info:")
        return
    st.plotly_chart(engagement_chart(engagement), key="engagement_chart")
    percents = engagement[engagement["unit"] == "percent"]
    if not percents.empty:
        st.caption("Inclusion needs assessment: the share of teachers asking for training")
        st.plotly_chart(percent_chart(percents), key="needs_chart")


def render_enrollment(enrollment: pd.DataFrame, chart_residue: pd.DataFrame) -> None:
    if enrollment.empty:
        st.info("The database holds no enrollment counts.", icon=":material/info:")
        return
    entities = list(dict.fromkeys(enrollment["entity"]))
    if len(entities) > 1:
        entity = st.selectbox("Counted for", entities, key="enrollment_entity")
        enrollment = enrollment[enrollment["entity"] == entity]

    for series, rows in enrollment.groupby("series", sort=True):
        st.markdown(
            f"**{ui.escape_markdown(rows['series_name'].iloc[0])}** (`{series}`)\n"
            + "\n".join(
                f"- {years}: {ui.escape_markdown(definition)}. *Source:* "
                + ui.escape_markdown(source)
                for years, definition, source in definitions_by_years(rows)
            )
        )
    st.caption(
        "The two series count different things, so losses are computed within a series only. "
        "A hatched bar compares two years whose definitions differ."
    )
    left, right = st.columns(2)
    with left:
        st.plotly_chart(enrollment_chart(enrollment), key="enrollment_chart")
    with right:
        st.plotly_chart(losses_chart(enrollment), key="losses_chart")

    for row in chart_residue.itertuples():
        # The parser keeps what a lost chart left behind: axis ticks, then its captions.
        parts = row.raw_value.split(" | ")
        ticks = [p for p in parts if p.replace(",", "").isdigit()]
        title = parts[-1]
        st.info(
            f"The report's own chart “{ui.escape_markdown(title)}” (source line "
            f"{row.source_line}) survives in the text only as its title and axis ticks "
            f"({ui.escape_markdown(', '.join(ticks))}): its numbers are not in the report's "
            "text, so none are shown or invented here.",
            icon=":material/bar_chart_off:",
        )


def render_all_figures(stamp: Stamp, filters: Filters) -> None:
    categories = st.pills("Categories", CATEGORIES, selection_mode="multi", key="figure_categories")
    figures = with_display(queries.figures(stamp, filters, tuple(categories or ())))
    shown = figures[
        ["figure", "label", "category", "unit", "qualifier", "value", "value_low", "value_high"]
        + ["title", "quote", "source_line", "metric_key", "initiative_id", "figure_id"]
    ]
    st.dataframe(shown, hide_index=True, column_config=FIGURE_COLUMNS, key="all_figures")
    ui.csv_download(shown, "figures", filters, key="csv_figures")
