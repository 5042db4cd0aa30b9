"""Metrics: the numbers the report quotes, as charts and a table, each with its sentence."""

import streamlit as st

from lib import metrics, queries, ui

stamp, filters, vocabulary = ui.page_header(
    "Metrics",
    "The figures the report's prose quotes: staffing, engagement and programmes, with public "
    "enrollment counts beside them. Hover a bar for its sentence and source line.",
)
headline = queries.metrics(stamp, filters)

st.subheader("Staffing")
metrics.render_staffing(headline)

st.subheader("Engagement and surveys")
metrics.render_engagement(headline)

with st.expander("The headline metrics behind the charts"):
    table = metrics.with_display(headline)[
        ["figure", "label", "category", "unit", "qualifier", "value", "value_low", "value_high"]
        + ["kind", "formula", "formula_values", "note", "title", "quote", "source_line"]
        + ["metric_key"]
    ]
    st.dataframe(table, hide_index=True, column_config=metrics.FIGURE_COLUMNS)
    ui.csv_download(table, "headline-metrics", filters, key="csv_headline")

st.subheader("Enrollment")
st.caption(
    "Public counts from data/reference, not from the report; the sidebar filters do not apply."
)
enrollment = queries.enrollment(stamp)
metrics.render_enrollment(enrollment, queries.charts_without_numbers(stamp))
with st.expander("The enrollment counts behind the charts"):
    st.dataframe(enrollment, hide_index=True)
    ui.csv_download(enrollment, "enrollment", filters, key="csv_enrollment")

st.subheader("All figures")
st.caption(
    "Every number in the report's letter, objectives, narratives and milestones, one row each. "
    "Dates, years, page numbers, law numbers and list markers are not figures."
)
metrics.render_all_figures(stamp, filters)
