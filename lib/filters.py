"""The shared filters: what they hold, how they read from and write to the URL.

The URL contract (README, "Sharing a view"):
    ?phase=ACT&initiative=<id>,<id>&status=In%20Progress&deliverable=written%20plan
     &from=2022-07-01&to=2023-06-30&q=mental%20health&asof=2022-09-01
Lists are comma-separated; a repeated key adds its values. Anything unknown or malformed is
dropped with a notice and never raises: `parse_query` is total over every possible input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

PUBLICATION_DATE = date(2022, 6, 1)  # the report's month; see etl/load.py
PHASES = ("LEARN", "ASSESS", "COMMUNICATE", "ACT")
STATUSES = ("Completed", "In Progress")
DELIVERABLES = ("action taken", "written plan")

MAX_VALUE_LENGTH = 2000
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 10
# The dates a filter may hold: wide around the plan period (2022-23), and what the sidebar's
# date pickers accept.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
# Keys Streamlit itself reads from the URL; they are not ours to complain about.
STREAMLIT_KEYS = {"embed", "embed_options"}


@dataclass(frozen=True)
class Filters:
    phases: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    deliverables: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    asof: date = PUBLICATION_DATE

    def is_default(self) -> bool:
        return self == Filters(asof=self.asof) and self.asof == PUBLICATION_DATE

    def narrowing(self) -> bool:
        """True when some filter removes rows (the as-of date only reclassifies them)."""
        return replace(self, asof=PUBLICATION_DATE) != Filters()


@dataclass(frozen=True)
class Vocabulary:
    """The values a filter may take in this database."""

    initiatives: Mapping[str, str] = field(default_factory=dict)  # id -> title


def _values(raw: str | Iterable[str]) -> list[str]:
    return [raw] if isinstance(raw, str) else [str(value) for value in raw]


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def limit_words(q: str) -> tuple[str, str | None]:
    """A search of at most MAX_SEARCH_WORDS words, and a notice when words were dropped."""
    words = q.split()
    if len(words) <= MAX_SEARCH_WORDS:
        return q, None
    return " ".join(words[:MAX_SEARCH_WORDS]), (
        f"Searched for the first {MAX_SEARCH_WORDS} words only."
    )


def _iso_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _choose(key: str, values: list[str], allowed: Iterable[str], notices: list[str]) -> tuple:
    by_folded = {value.casefold(): value for value in allowed}
    chosen, unknown = [], []
    for value in _split(values):
        match = by_folded.get(value.casefold())
        if match is None:
            unknown.append(value)
        elif match not in chosen:
            chosen.append(match)
    if unknown:
        shown = ", ".join(repr(value[:40]) for value in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        notices.append(f"Ignored unknown {key} {shown}{more}.")
    return tuple(chosen)


def parse_query(params: Mapping[str, str | Iterable[str]], vocabulary: Vocabulary):
    """Filters from URL query parameters, and a notice for everything that was ignored."""
    notices: list[str] = []
    found: dict[str, list[str]] = {}
    for key, raw in params.items():
        values = _values(raw)
        if key in STREAMLIT_KEYS:
            continue
        if key not in QUERY_KEYS:
            notices.append(f"Ignored unknown parameter {key[:40]!r}.")
            continue
        if any(len(value) > MAX_VALUE_LENGTH for value in values):
            notices.append(f"Ignored {key}: the value is too long.")
            continue
        found[key] = values

    filters = Filters(
        phases=_choose("phase", found.get("phase", []), PHASES, notices),
        initiatives=_choose(
            "initiative", found.get("initiative", []), vocabulary.initiatives, notices
        ),
        statuses=_choose("status", found.get("status", []), STATUSES, notices),
        deliverables=_choose("deliverable", found.get("deliverable", []), DELIVERABLES, notices),
    )

    single: dict[str, str] = {}
    for key in ("from", "to", "asof", "q"):
        values = found.get(key, [])
        if len(values) > 1:
            notices.append(f"Used the last of {len(values)} values given for {key}.")
        if values:
            single[key] = values[-1]

    dates = {}
    for key in ("from", "to", "asof"):
        if key in single:
            dates[key] = _iso_date(single[key].strip())
            if dates[key] is None:
                notices.append(f"Ignored {key}={single[key][:40]!r}: not a date (YYYY-MM-DD).")
            elif not EARLIEST <= dates[key] <= LATEST:
                span = f"{EARLIEST.year}-{LATEST.year}"
                notices.append(f"Ignored {key}={dates[key].isoformat()}: outside {span}.")
                dates[key] = None
    date_from, date_to = dates.get("from"), dates.get("to")
    if date_from and date_to and date_from > date_to:
        notices.append("Ignored from and to: the window ends before it starts.")
        date_from = date_to = None

    q = single.get("q", "").strip()
    if len(q) > MAX_SEARCH_LENGTH:
        notices.append(f"Shortened the search to {MAX_SEARCH_LENGTH} characters.")
        # Trimmed again: a cut that ends on a space would not read back the same from the URL.
        q = q[:MAX_SEARCH_LENGTH].rstrip()
    q, too_many = limit_words(q)
    if too_many:
        notices.append(too_many)

    filters = replace(
        filters,
        date_from=date_from,
        date_to=date_to,
        q=q,
        asof=dates.get("asof") or PUBLICATION_DATE,
    )
    return filters, notices


QUERY_KEYS = ("phase", "initiative", "status", "deliverable", "from", "to", "q", "asof")


def to_query(filters: Filters) -> dict[str, str]:
    """The canonical query parameters of a filter state; defaults are left out."""
    query = {
        "phase": ",".join(filters.phases),
        "initiative": ",".join(filters.initiatives),
        "status": ",".join(filters.statuses),
        "deliverable": ",".join(filters.deliverables),
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "q": filters.q,
        "asof": filters.asof.isoformat() if filters.asof != PUBLICATION_DATE else "",
    }
    return {key: value for key, value in query.items() if value}


def describe(filters: Filters, vocabulary: Vocabulary) -> str:
    """The filters in words, for the banner every page shows."""
    parts = []
    if filters.phases:
        parts.append("phase " + " or ".join(filters.phases))
    if filters.initiatives:
        titles = [vocabulary.initiatives.get(i, i) for i in filters.initiatives]
        shown = "; ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
        parts.append(f"initiative {shown}")
    if filters.statuses:
        parts.append("status " + " or ".join(filters.statuses))
    if filters.deliverables:
        parts.append("deliverable " + " or ".join(filters.deliverables))
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "the start"
        end = filters.date_to.isoformat() if filters.date_to else "the end"
        parts.append(f"milestones between {start} and {end}")
    if filters.q:
        parts.append(f"text containing “{filters.q}”")
    return ", ".join(parts)


def file_label(filters: Filters) -> str:
    """A short, file-name-safe summary of the filters, for export names."""
    pieces = [*filters.phases, *filters.statuses, *filters.deliverables]
    if filters.initiatives:
        pieces.append(f"{len(filters.initiatives)}-initiatives")
    if filters.date_from:
        pieces.append(f"from-{filters.date_from.isoformat()}")
    if filters.date_to:
        pieces.append(f"to-{filters.date_to.isoformat()}")
    if filters.q:
        pieces.append(f"q-{filters.q}")
    if filters.asof != PUBLICATION_DATE:
        pieces.append(f"asof-{filters.asof.isoformat()}")
    safe = [re.sub(r"[^A-Za-z0-9.-]+", "-", piece).strip("-") for piece in pieces]
    label = "_".join(piece for piece in safe if piece) or "all"
    return label[:80].rstrip("-_") or "all"


def active_filters() -> Filters:
    """The filters the entrypoint read for this run (app.py sets them before the page runs)."""
    import streamlit as st

    return st.session_state.get("filters", Filters())
