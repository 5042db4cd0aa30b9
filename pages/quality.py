"""Data quality: every anomaly the ETL found in the source, what it did, and where."""

import streamlit as st

from lib import queries, ui

stamp, filters, vocabulary = ui.page_header(
    "Data quality",
    "What in the source text was odd or wrong, and what the ETL did about it: nothing is "
    "corrected silently. Each row names the line of the report text.",
)
issues = queries.quality_issues(stamp, filters)

warnings = int((issues["severity"] == "warning").sum())
left, middle, right = st.columns(3)
left.metric("Quality issues", len(issues), border=True)
middle.metric(
    "Warnings",
    warnings,
    border=True,
    help="Values that may mislead: impossible dates, marker counts that disagree.",
)
right.metric(
    "Layout notes",
    len(issues) - warnings,
    border=True,
    help="Artefacts of the PDF layout handled as documented (repeated sections…).",
)

shown = issues[
    [
        "severity",
        "problem",
        "raw_value",
        "action",
        "source_line",
        "record_id",
        "field",
        "record_table",
        "issue_id",
    ]
]
st.dataframe(
    shown,
    placeholder="–",
    hide_index=True,
    column_config={
        "issue_id": st.column_config.NumberColumn("#", format="%d", width="small"),
        "severity": "Severity",
        "record_table": "Table",
        "record_id": "Record",
        "field": "Field",
        "raw_value": "As printed",
        "problem": st.column_config.TextColumn("Problem", width="large"),
        "action": "What the ETL did",
        "source_line": st.column_config.NumberColumn("Source line", format="%d"),
    },
)
ui.csv_download(shown, "quality-issues", filters, key="csv_quality")
