"""Initiatives: the filtered initiatives as a table; selecting one opens its detail."""

import streamlit as st

from lib import asof, charts, metrics, queries, ui

stamp, filters, vocabulary = ui.page_header(
    "Initiatives", "Every section of the report. Select a row to read it in full."
)
initiatives = queries.initiatives(stamp, filters)

shown = initiatives[
    [
        "phase",
        "title",
        "status",
        "status_text",
        "deliverable",
        "estimated_completion",
        "milestone_count",
        "source_url",
        "source_line",
        "initiative_id",
    ]
]
selection = st.dataframe(
    shown.assign(status=[[s] if s else [] for s in shown["status"]]),
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key="initiative_table",
    column_config={
        "phase": st.column_config.TextColumn("Phase", width="small"),
        "title": st.column_config.TextColumn("Initiative", width="large"),
        "status": st.column_config.MultiselectColumn(
            "Status", options=["Completed", "In Progress"], color=["green", "orange"]
        ),
        "status_text": st.column_config.TextColumn("Status as printed"),
        "deliverable": "Deliverable",
        "estimated_completion": st.column_config.DateColumn("Estimated completion"),
        "milestone_count": st.column_config.NumberColumn("Milestones", format="%d"),
        "source_url": st.column_config.LinkColumn("Source PDF", display_text="open"),
        "source_line": st.column_config.NumberColumn("Source line", format="%d"),
        "initiative_id": st.column_config.TextColumn("Id"),
    },
)
ui.csv_download(shown, "initiatives", filters, key="csv_initiatives")

rows = selection.selection.rows if selection else []
if rows:
    chosen = shown.iloc[rows[0]]["initiative_id"]
elif len(filters.initiatives) == 1:
    chosen = filters.initiatives[0]  # a deep link ?initiative=<id> opens its detail
else:
    chosen = None

if chosen is None:
    st.caption("Select a row to see its objective, narrative and milestones.")
    st.stop()

detail = queries.initiative(stamp, chosen).iloc[0]
st.divider()
st.header(ui.escape_markdown(f"{detail['phase']} | {detail['title']}"), anchor="detail")
st.caption(
    f"Source line {detail['source_line']}"
    + (
        f" (printed again at line {detail['printed_lines'].split(',')[1]})"
        if "," in detail["printed_lines"]
        else ""
    )
)
badge_colour = "green" if detail["status"] == "Completed" else "orange"
st.badge(ui.escape_markdown(detail["status_text"] or "no status printed"), color=badge_colour)
if detail["deliverable"]:
    st.badge(detail["deliverable"], color="blue")

st.subheader("Objective")
st.markdown(ui.escape_markdown(detail["objective"] or ""))
st.subheader("Narrative")
for paragraph in (detail["narrative"] or "").split("\n\n"):
    st.markdown(ui.escape_markdown(paragraph))
if detail["source_url"]:
    st.link_button("Open the section's PDF", detail["source_url"], icon=":material/open_in_new:")
else:
    st.caption("The report prints no link after this section.")

st.subheader("Figures quoted")
metrics.figures_table(chosen, stamp)

st.subheader("Milestones")
own = asof.classify(queries.milestones_of(stamp, chosen), filters.asof)
if own.empty:
    st.caption("This section has no implementation-plan table.")
else:
    st.plotly_chart(charts.timeline(own, filters.asof), key="detail_timeline")
    table = own[
        ["seq", "description", "start_text", "end_text", "state", "quarter_markers", "source_line"]
    ]
    st.dataframe(table, hide_index=True, column_config=ui.MILESTONE_COLUMNS)
    ui.csv_download(table, f"milestones-of-{chosen}", filters, key="csv_detail")
