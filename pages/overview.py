"""Overview: headline counts at the as-of date, status by phase, milestones per quarter."""

import streamlit as st

from lib import asof, charts, queries, ui
from lib.filter_panel import narrow_to

stamp, filters, vocabulary = ui.page_header(
    "Overview", "The 100-Day Plan Report (LAUSD, 2022) at a glance. Select a bar to filter by it."
)
initiatives = queries.initiatives(stamp, filters)
milestones = asof.classify(queries.milestones(stamp, filters), filters.asof)

completed = int((initiatives["status"] == "Completed").sum())
share = f"{completed / len(initiatives):.0%}" if len(initiatives) else "–"
columns = st.columns(5)
columns[0].metric("Initiatives", len(initiatives), border=True)
columns[1].metric(
    "Completed",
    share,
    border=True,
    help=f"{completed} of {len(initiatives)} initiatives have the status Completed "
    "in the report; the status is as printed, not as of the chosen date.",
)
columns[2].metric(
    "Active milestones",
    int((milestones["state"] == asof.ACTIVE).sum()),
    border=True,
    help=f"Started and not yet at their end date on {filters.asof}.",
)
columns[3].metric(
    "Ending in 90 days",
    int(milestones["ends_within_90_days"].sum()),
    border=True,
    help=f"End date after {filters.asof} and within 90 days of it.",
)
columns[4].metric(
    "Open-ended",
    int((milestones["state"] == asof.OPEN_ENDED).sum()),
    border=True,
    help="Printed as Ongoing with no end date, and already started.",
)
st.caption(
    f"Milestones are counted as of {filters.asof.isoformat()}. The report gives no "
    "completion for milestones: a milestone past its end date is shown as "
    "“end date passed”, not as done."
)


def select_status() -> None:
    narrow_to(**charts.status_selection(st.session_state["status_chart"].selection.points))


def select_quarter() -> None:
    narrow_to(**charts.quarter_selection(st.session_state["quarter_chart"].selection.points))


if initiatives.empty:
    st.info("No initiative matches these filters.", icon=":material/filter_alt_off:")
    st.stop()

left, right = st.columns(2)
with left:
    st.subheader("Status by phase")
    st.plotly_chart(
        charts.status_by_phase(initiatives),
        key="status_chart",
        on_select=select_status,
        selection_mode="points",
    )
with right:
    st.subheader("Milestones running per quarter")
    per_quarter = charts.active_per_quarter(milestones)
    st.plotly_chart(
        charts.quarter_bars(per_quarter),
        key="quarter_chart",
        on_select=select_quarter,
        selection_mode="points",
    )

status_table = (
    initiatives.groupby(["phase", "status"], sort=False).size().rename("initiatives").reset_index()
)
with st.expander("The numbers behind the charts"):
    st.dataframe(status_table, hide_index=True)
    ui.csv_download(status_table, "status-by-phase", filters, key="csv_status")
    st.dataframe(per_quarter, hide_index=True)
    ui.csv_download(per_quarter, "milestones-per-quarter", filters, key="csv_quarters")

ui.download_all(stamp, filters, vocabulary)
