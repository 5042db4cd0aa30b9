"""lib.filters over every possible URL: parse_query never raises and lets through only known
values; a filter state survives the round trip through its URL. Property-based (hypothesis)."""

import re
from datetime import date
from urllib.parse import parse_qs, urlencode

from hypothesis import example, given
from hypothesis import strategies as st

from etl import paths
from etl.report import parse
from lib.filters import (
    DELIVERABLES,
    EARLIEST,
    LATEST,
    MAX_SEARCH_LENGTH,
    PHASES,
    QUERY_KEYS,
    STATUSES,
    STREAMLIT_KEYS,
    Filters,
    Vocabulary,
    file_label,
    limit_words,
    parse_query,
    to_query,
)

# The real report's 42 initiatives: the vocabulary the app builds from its database.
VOCABULARY = Vocabulary(
    {s.initiative_id: s.title for s in parse(paths.REPORT.read_text(encoding="utf-8")).sections}
)
HOSTILE = [
    "'; DROP TABLE initiatives; --",
    "ACT' OR '1'='1",
    "<script>window.__pwned=1</script>",
    "[x](javascript:alert(1))",
    '=HYPERLINK("http://127.0.0.1:9/")',
    "2022-02-30",
    "9999-99-99",
    "\u0662\u0660\u0662\u0662-\u0660\u0661-\u0660\u0661",  # 2022-01-01 in Arabic-Indic digits
    "ACT,,, ,LEARN",
    "x" * 5000,
]

keys = st.one_of(
    st.sampled_from([*QUERY_KEYS, *sorted(STREAMLIT_KEYS)]),
    st.text(max_size=60),
)
values = st.one_of(
    st.text(max_size=300),
    st.sampled_from([*HOSTILE, *PHASES, *STATUSES, *DELIVERABLES, *VOCABULARY.initiatives]),
    st.dates().map(date.isoformat),
)
# What st.query_params hands over: one string per key, or a list for a repeated key.
query_params = st.dictionaries(keys, st.one_of(values, st.lists(values, max_size=5)), max_size=10)


def unique(options):
    return st.lists(st.sampled_from(options), unique=True).map(tuple)


@st.composite
def filter_states(draw):
    """Any state the sidebar can hold: known values, a window that does not end before it starts,
    a search text as the text box keeps it (trimmed, at most 200 characters and 10 words),
    dates the date pickers accept."""
    days = st.dates(min_value=EARLIEST, max_value=LATEST)
    first, second = draw(st.one_of(st.none(), days)), draw(st.one_of(st.none(), days))
    if first and second and first > second:
        first, second = second, first
    return Filters(
        phases=draw(unique(PHASES)),
        initiatives=draw(unique(list(VOCABULARY.initiatives))),
        statuses=draw(unique(STATUSES)),
        deliverables=draw(unique(DELIVERABLES)),
        date_from=first,
        date_to=second,
        q=draw(st.text(max_size=MAX_SEARCH_LENGTH).map(lambda q: limit_words(q.strip())[0])),
        asof=draw(days),
    )


@given(query_params)
def test_parse_query_never_raises_and_keeps_only_known_values(params):
    filters, notices = parse_query(params, VOCABULARY)

    assert set(filters.phases) <= set(PHASES)
    assert set(filters.statuses) <= set(STATUSES)
    assert set(filters.deliverables) <= set(DELIVERABLES)
    assert set(filters.initiatives) <= set(VOCABULARY.initiatives)
    for chosen in (filters.phases, filters.statuses, filters.deliverables, filters.initiatives):
        assert len(set(chosen)) == len(chosen)
    assert isinstance(filters.asof, date)
    assert filters.date_from is None or isinstance(filters.date_from, date)
    assert filters.date_to is None or isinstance(filters.date_to, date)
    if filters.date_from and filters.date_to:
        assert filters.date_from <= filters.date_to
    assert len(filters.q) <= MAX_SEARCH_LENGTH and filters.q == filters.q.strip()


@given(query_params)
def test_notices_are_short_single_lines(params):
    _, notices = parse_query(params, VOCABULARY)

    for notice in notices:
        assert "\n" not in notice and "\r" not in notice
        assert len(notice) <= 400


@given(query_params)
def test_every_unknown_key_gets_a_notice(params):
    _, notices = parse_query(params, VOCABULARY)

    unknown = [k for k in params if k not in QUERY_KEYS and k not in STREAMLIT_KEYS]
    assert len([n for n in notices if n.startswith("Ignored unknown parameter")]) == len(unknown)


@given(query_params)
@example({"q": "a" * (MAX_SEARCH_LENGTH - 1) + " and more"})  # the cut falls on a space
def test_what_parse_query_keeps_is_stable(params):
    filters, _ = parse_query(params, VOCABULARY)

    assert parse_query(to_query(filters), VOCABULARY) == (filters, [])


@given(filter_states())
def test_a_filter_state_round_trips_through_its_url(filters):
    assert parse_query(to_query(filters), VOCABULARY) == (filters, [])
    assert to_query(parse_query(to_query(filters), VOCABULARY)[0]) == to_query(filters)


@given(filter_states())
def test_a_filter_state_round_trips_through_an_encoded_address(filters):
    address = urlencode(to_query(filters))

    assert parse_query(parse_qs(address), VOCABULARY) == (filters, [])


@given(st.lists(st.sampled_from(PHASES), min_size=1, max_size=6))
def test_repeated_keys_add_their_values(phases):
    repeated, _ = parse_query({"phase": phases}, VOCABULARY)
    joined, _ = parse_query({"phase": ",".join(phases)}, VOCABULARY)

    assert repeated == joined
    assert repeated.phases == tuple(dict.fromkeys(phases))


@given(query_params)
def test_export_file_names_stay_safe(params):
    filters, _ = parse_query(params, VOCABULARY)

    label = file_label(filters)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,80}", label)
    assert not label.startswith((".", "-"))
