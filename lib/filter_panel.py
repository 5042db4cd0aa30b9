"""The filter widgets in the sidebar, kept in step with the URL.

The URL is read when it changes from outside (a shared link, the back button, an edited
address) and written back after every run, so a copied link reproduces the view.
"""

from __future__ import annotations

import streamlit as st

from lib.filters import (
    DELIVERABLES,
    EARLIEST,
    LATEST,
    MAX_SEARCH_LENGTH,
    PHASES,
    PUBLICATION_DATE,
    STATUSES,
    Filters,
    Vocabulary,
    limit_words,
    parse_query,
    to_query,
)

WIDGET_KEYS = {
    "phases": "filter_phase",
    "initiatives": "filter_initiative",
    "statuses": "filter_status",
    "deliverables": "filter_deliverable",
    "date_from": "filter_from",
    "date_to": "filter_to",
    "q": "filter_q",
    "asof": "filter_asof",
}

# Every date picker of the panel: empty until set, ISO dates, kept across page switches.
DATE_PICKER = dict(
    value=None, min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD", persist_state="session"
)


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _apply(filters: Filters) -> None:
    """Set the widgets' values; only allowed before the widgets are drawn in this run."""
    for name, key in WIDGET_KEYS.items():
        value = getattr(filters, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value


def clear_filters() -> None:
    """Widget callback: back to the whole report at the publication date."""
    _apply(Filters())


def narrow_to(**changes) -> None:
    """Widget callback: narrow the filters, e.g. from a chart selection."""
    for name, value in changes.items():
        st.session_state[WIDGET_KEYS[name]] = list(value) if isinstance(value, tuple) else value


def sync_from_url(vocabulary: Vocabulary) -> None:
    """Read the URL into the widgets when it did not come from us.

    Moving to another page drops the query string; the filters then stay as they were and
    are written back. A URL that differs from the one we wrote (a shared link, the back
    button) is read, and whatever in it is unknown or malformed is reported once. Clearing
    the filters is the sidebar's or the "Clear filters" button's job.
    """
    current = _url_params()
    written = st.session_state.get("_written_query")

    # An empty query string on a later run is Streamlit's page switch, or the back button
    # landing on the entry such a switch left in the history: the filters stay.
    if written is None or (current and current != written):
        filters, notices = parse_query(current, vocabulary)
        _apply(filters)
        st.session_state["_notices"] = notices


def render(vocabulary: Vocabulary) -> Filters:
    """Draw the filter widgets in the sidebar and return what they hold."""
    titles = dict(vocabulary.initiatives)
    # Re-assigning each value makes it the widget's own again after a page switch, when
    # Streamlit would otherwise start the widget afresh; a rebuilt database may also have
    # dropped an initiative that was chosen.
    for key in WIDGET_KEYS.values():
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    chosen = st.session_state.get(WIDGET_KEYS["initiatives"], [])
    st.session_state[WIDGET_KEYS["initiatives"]] = [v for v in chosen if v in titles]

    with st.sidebar:
        st.header("Filters")
        phases = st.multiselect("Phase", PHASES, key=WIDGET_KEYS["phases"], persist_state="session")
        initiatives = st.multiselect(
            "Initiative",
            list(titles),
            key=WIDGET_KEYS["initiatives"],
            persist_state="session",
            format_func=lambda initiative_id: titles.get(initiative_id, initiative_id),
        )
        statuses = st.multiselect(
            "Status", STATUSES, key=WIDGET_KEYS["statuses"], persist_state="session"
        )
        deliverables = st.multiselect(
            "Deliverable (ACT)",
            DELIVERABLES,
            key=WIDGET_KEYS["deliverables"],
            persist_state="session",
            help="ACT initiatives are either actions taken or written plans, per the report's "
            "opening lists.",
        )
        left, right = st.columns(2)
        date_from = left.date_input("Milestones from", key=WIDGET_KEYS["date_from"], **DATE_PICKER)
        date_to = right.date_input("to", key=WIDGET_KEYS["date_to"], **DATE_PICKER)
        q = st.text_input(
            "Search text",
            key=WIDGET_KEYS["q"],
            persist_state="session",
            max_chars=MAX_SEARCH_LENGTH,
            placeholder="e.g. mental health",
        )
        asof = st.date_input(
            "As of",
            key=WIDGET_KEYS["asof"],
            **DATE_PICKER,
            help="Milestones are classed as not started, active, open-ended or end date passed "
            "on this date. Default: the report's publication (June 2022).",
        )

    if date_from and date_to and date_from > date_to:
        st.sidebar.warning("The date window ends before it starts; it is not applied.")
        date_from = date_to = None
    return Filters(
        phases=tuple(phases),
        initiatives=tuple(initiatives),
        statuses=tuple(statuses),
        deliverables=tuple(deliverables),
        date_from=date_from,
        date_to=date_to,
        q=searched(q),
        asof=asof or PUBLICATION_DATE,
    )


def searched(typed: str | None) -> str:
    """The typed search, cut to the words a search uses, saying so when it cuts."""
    q, too_many = limit_words((typed or "").strip())
    if too_many:
        st.sidebar.caption(too_many)
    return q


def write_to_url(filters: Filters) -> None:
    """Make the URL say exactly what the filters hold."""
    wanted = {key: [value] for key, value in to_query(filters).items()}
    if _url_params() != wanted:
        st.query_params.from_dict(to_query(filters))
    st.session_state["_written_query"] = wanted


def set_up() -> None:
    """The shared frame of every page: the database stamp, the filters, the URL in step.

    The entrypoint calls it before running the page. A page run on its own (Streamlit's test
    harness reruns only the page after an interaction) calls it from its header instead.
    """
    from lib import queries
    from lib.db import current_stamp

    stamp = current_stamp()
    titles = queries.vocabulary(stamp)
    vocabulary = Vocabulary(dict(zip(titles["initiative_id"], titles["title"], strict=True)))
    sync_from_url(vocabulary)
    filters = render(vocabulary)
    write_to_url(filters)
    st.session_state.update(stamp=stamp, filters=filters, vocabulary=vocabulary, _frame_ready=True)
