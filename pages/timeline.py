"""Timeline: every milestone of the filtered initiatives as a bar, with the as-of date."""

import streamlit as st

from lib import asof, charts, queries, ui

stamp, filters, vocabulary = ui.page_header(
    "Timeline",
    "Each implementation-plan milestone as printed, grouped by initiative. Hover a bar for its "
    "printed dates and source line.",
)
milestones = asof.classify(queries.milestones(stamp, filters), filters.asof)

if milestones.empty:
    st.info("No milestone matches these filters.")
    st.stop()

counts = milestones["state"].value_counts()
st.caption(
    f"{len(milestones)} milestones of {milestones['initiative_id'].nunique()} initiatives on "
    f"{filters.asof.isoformat()}: "
    + ", ".join(f"{counts.get(state, 0)} {state}" for state in asof.STATES if counts.get(state))
    + ". Open-ended bars (printed Ongoing) run to the end of their table's plan period; a "
    "missing start is drawn from its first quarter."
)
early = charts.starts_before_axis(milestones, filters.asof)
if early:
    st.caption(
        f"{early} milestone{'s start' if early > 1 else ' starts'} more than a year before the "
        f"plan period and run{'' if early > 1 else 's'} off the left edge; the hover shows the "
        "printed start."
    )
st.plotly_chart(charts.timeline(milestones, filters.asof), key="timeline_chart")

shown = milestones[
    [
        "title",
        "seq",
        "description",
        "start_text",
        "end_text",
        "start_date",
        "end_date",
        "state",
        "quarter_markers",
        "source_line",
        "milestone_id",
        "initiative_id",
    ]
]
st.dataframe(shown, hide_index=True, column_config=ui.MILESTONE_COLUMNS)
ui.csv_download(shown, "milestones", filters, key="csv_timeline")
