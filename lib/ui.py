"""What every page shares: the heading with the filter banner, downloads, and safe text."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from lib import export, queries
from lib.filter_panel import clear_filters, set_up
from lib.filters import Filters, Vocabulary, describe, file_label

# How a table of milestones shows its columns, wherever it is drawn.
MILESTONE_COLUMNS = {
    "title": st.column_config.TextColumn("Initiative", width="medium"),
    "seq": st.column_config.NumberColumn("#", width="small"),
    "description": st.column_config.TextColumn("Milestone", width="large"),
    "start_text": "Start (printed)",
    "end_text": "End (printed)",
    "start_date": st.column_config.DateColumn("Start"),
    "end_date": st.column_config.DateColumn("End"),
    "state": "As-of state",
    "quarter_markers": "Quarter markers",
    "source_line": st.column_config.NumberColumn("Source line", format="%d"),
}

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Text shown through st.markdown stays text: no links, images, HTML or formatting."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def run_entrypoint_instead() -> None:
    """Rerun through app.py when Streamlit ran a page file as an old-style pages/ app.

    Before any session has called st.navigation, Streamlit serves a URL such as /timeline by
    running pages/timeline.py alone with a menu of file names: the first link opened after the
    server starts. Telling it that the app navigates itself and rerunning fixes that run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title: str, about: str, filtered: bool = True) -> tuple:
    """Title, what the page is for, notices about the URL, and what is filtered.

    A page the filters do not apply to (filtered=False) says nothing about them.
    """
    if not st.session_state.pop("_frame_ready", False):
        run_entrypoint_instead()
        set_up()
    stamp = st.session_state["stamp"]
    filters: Filters = st.session_state["filters"]
    vocabulary: Vocabulary = st.session_state["vocabulary"]

    st.title(title)
    st.caption(about)
    for notice in st.session_state.pop("_notices", []):
        st.warning(escape_markdown(notice), icon=":material/link_off:")

    if not filtered:
        pass
    elif filters.narrowing():
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.info(
            f"Filtered: {escape_markdown(describe(filters, vocabulary))}.",
            icon=":material/filter_alt:",
        )
        right.button("Clear filters", on_click=clear_filters, key=f"clear_{title}", width="stretch")
    else:
        st.caption("Showing the whole report; use the filters in the sidebar to narrow it.")
    return stamp, filters, vocabulary


def csv_download(frame: pd.DataFrame, what: str, filters: Filters, key: str) -> None:
    """A download of exactly these rows; it does not rerun the page."""
    st.download_button(
        f"Download {len(frame)} {'row' if len(frame) == 1 else 'rows'} as CSV",
        data=lambda: export.to_csv_bytes(frame),
        file_name=export.file_name(what, file_label(filters)),
        mime="text/csv",
        on_click="ignore",
        key=key,
        icon=":material/download:",
    )


def export_tables(stamp, filters: Filters) -> dict[str, pd.DataFrame]:
    """Every table as the current filters show it, for the zip and the command line."""
    return {
        "initiatives": queries.initiatives(stamp, filters),
        "milestones": queries.milestones(stamp, filters),
        "figures": queries.figures(stamp, filters),
        "metrics": queries.metrics(stamp, filters),
        "quality_issues": queries.quality_issues(stamp, filters),
        "enrollment": queries.enrollment(stamp),
    }


def zip_export(stamp, filters: Filters, vocabulary: Vocabulary) -> bytes:
    """Every table as the filters show it, with the README that says what the zip holds."""
    tables = export_tables(stamp, filters)
    readme = export.readme_text(
        describe(filters, vocabulary),
        queries.build_info(stamp).iloc[0].to_dict(),
        queries.dictionary(stamp),
        tables,
        asof=filters.asof,
    )
    return export.zip_bytes(tables, readme)


def download_all(stamp, filters: Filters, vocabulary: Vocabulary) -> None:
    """The zip of every table, built only when the button is clicked."""
    st.download_button(
        "Download all (zip)",
        data=lambda: zip_export(stamp, filters, vocabulary),
        file_name=export.file_name("all-tables", file_label(filters), "zip"),
        mime="application/zip",
        on_click="ignore",
        key="download_all",
        icon=":material/folder_zip:",
        help="One CSV and one Parquet file per table shown, with a README of the filters, the "
        "source file's SHA-256, the build time and the data dictionary.",
    )
