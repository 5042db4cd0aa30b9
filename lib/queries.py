"""Every SQL query the app runs, in one place. Values are always bound, never formatted in.

Each function takes the database stamp first, so its cached result belongs to one build of the
database and a rebuild is picked up without a restart.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from lib.db import Stamp, query
from lib.filters import Filters

CACHE = {"show_spinner": False, "max_entries": 512}

# The initiatives the filters keep. A search keeps those whose text holds every word, in any
# of its paragraphs or milestones. The date window keeps an initiative with at least one
# milestone inside it; a milestone without dates counts as spanning its table's whole period.
CHOSEN_INITIATIVES = """
WITH searchable AS (
    SELECT i.initiative_id,
           lower(concat_ws(' ', any_value(i.title), any_value(i.objective),
                           any_value(i.narrative), string_agg(m.description, ' '))) AS body
    FROM initiatives AS i
    LEFT JOIN milestones AS m USING (initiative_id)
    GROUP BY i.initiative_id
),
chosen AS (
    SELECT i.*
    FROM initiatives AS i
    JOIN searchable AS s USING (initiative_id)
    WHERE (len($phases::VARCHAR[]) = 0 OR list_contains($phases::VARCHAR[], i.phase))
      AND (len($initiatives::VARCHAR[]) = 0
           OR list_contains($initiatives::VARCHAR[], i.initiative_id))
      AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], i.status))
      AND (len($deliverables::VARCHAR[]) = 0
           OR list_contains($deliverables::VARCHAR[], i.deliverable))
      AND (len($words::VARCHAR[]) = 0
           OR list_bool_and(list_transform($words::VARCHAR[],
                                           lambda w: regexp_matches(s.body, w))))
      AND (($from::DATE IS NULL AND $to::DATE IS NULL)
           OR EXISTS (SELECT 1 FROM milestones AS m
                      WHERE m.initiative_id = i.initiative_id
                        AND ($from::DATE IS NULL
                             OR coalesce(m.end_date, i.plan_end) >= $from::DATE)
                        AND ($to::DATE IS NULL
                             OR coalesce(m.start_date, i.plan_start) <= $to::DATE)))
)
"""

MILESTONES_IN_WINDOW = """
      AND ($from::DATE IS NULL OR coalesce(m.end_date, c.plan_end) >= $from::DATE)
      AND ($to::DATE IS NULL OR coalesce(m.start_date, c.plan_start) <= $to::DATE)
"""


def filter_parameters(filters: Filters) -> dict:
    return {
        "phases": list(filters.phases),
        "initiatives": list(filters.initiatives),
        "statuses": list(filters.statuses),
        "deliverables": list(filters.deliverables),
        "words": [word_start(word) for word in search_words(filters.q)],
        "from": filters.date_from,
        "to": filters.date_to,
    }


def search_words(text: str) -> list[str]:
    return [word for word in text.lower().split() if word][:10]


def word_start(word: str) -> str:
    """A search word matches at the start of a word: "mental" finds "mental", not "environmental".

    The pattern is a bound value like any other, escaped so that its characters match literally.
    """
    return r"\b" + re.escape(word)


@st.cache_data(**CACHE)
def vocabulary(stamp: Stamp) -> pd.DataFrame:
    return query(
        stamp,
        """
        SELECT initiative_id, phase, title
        FROM initiatives
        ORDER BY source_line
        """,
    )


@st.cache_data(**CACHE)
def build_info(stamp: Stamp) -> pd.DataFrame:
    return query(stamp, "SELECT * FROM build_info")


@st.cache_data(**CACHE)
def initiatives(stamp: Stamp, filters: Filters) -> pd.DataFrame:
    return query(
        stamp,
        CHOSEN_INITIATIVES
        + """
        SELECT initiative_id, phase, title, status, status_text, estimated_completion,
               deliverable, milestone_count, source_url, source_line, objective, narrative
        FROM chosen
        ORDER BY source_line
        """,
        filter_parameters(filters),
    )


@st.cache_data(**CACHE)
def milestones(stamp: Stamp, filters: Filters) -> pd.DataFrame:
    """Milestones of the chosen initiatives that fall inside the date window."""
    return query(
        stamp,
        CHOSEN_INITIATIVES
        + """
        SELECT m.milestone_id, m.initiative_id, c.phase, c.title, m.seq, m.description,
               m.start_text, m.end_text, m.start_date, m.end_date, m.is_ongoing,
               m.quarter_markers, m.source_line, c.plan_start, c.plan_end
        FROM milestones AS m
        JOIN chosen AS c USING (initiative_id)
        WHERE TRUE
        """
        + MILESTONES_IN_WINDOW
        + """
        ORDER BY c.source_line, m.seq
        """,
        filter_parameters(filters),
    )


@st.cache_data(**CACHE)
def quality_issues(stamp: Stamp, filters: Filters) -> pd.DataFrame:
    """Issues of the chosen initiatives and their milestones; report-wide ones when unfiltered."""
    parameters = filter_parameters(filters) | {"narrowing": filters.narrowing()}
    return query(
        stamp,
        CHOSEN_INITIATIVES
        + """
        SELECT q.issue_id, q.severity, q.record_table, q.record_id, q.field, q.raw_value,
               q.problem, q.action, q.source_line
        FROM quality_issues AS q
        LEFT JOIN milestones AS m
               ON q.record_table = 'milestones' AND q.record_id = m.milestone_id
        WHERE NOT $narrowing
           OR coalesce(m.initiative_id, q.record_id) IN (SELECT initiative_id FROM chosen)
        ORDER BY q.issue_id
        """,
        parameters,
    )


@st.cache_data(**CACHE)
def initiative(stamp: Stamp, initiative_id: str) -> pd.DataFrame:
    return query(
        stamp,
        """
        SELECT *
        FROM initiatives
        WHERE initiative_id = ?
        """,
        [initiative_id],
    )


@st.cache_data(**CACHE)
def milestones_of(stamp: Stamp, initiative_id: str) -> pd.DataFrame:
    return query(
        stamp,
        """
        SELECT m.milestone_id, m.initiative_id, i.phase, i.title, m.seq, m.description,
               m.start_text, m.end_text, m.start_date, m.end_date, m.is_ongoing,
               m.quarter_markers, m.source_line, i.plan_start, i.plan_end
        FROM milestones AS m
        JOIN initiatives AS i USING (initiative_id)
        WHERE m.initiative_id = ?
        ORDER BY m.seq
        """,
        [initiative_id],
    )


@st.cache_data(**CACHE)
def search(stamp: Stamp, filters: Filters) -> pd.DataFrame:
    """Titles, paragraphs and milestones of the chosen initiatives holding a search word.

    Hits holding more of the words come first.
    """
    return query(
        stamp,
        CHOSEN_INITIATIVES
        + """
        , texts AS (
            SELECT c.initiative_id, c.title, c.phase, 'title' AS found_in,
                   c.title AS text, c.source_line
            FROM chosen AS c
            UNION ALL
            SELECT p.initiative_id, c.title, c.phase, p.part, p.text, p.source_line
            FROM paragraphs AS p
            JOIN chosen AS c USING (initiative_id)
            UNION ALL
            SELECT m.initiative_id, c.title, c.phase, 'milestone', m.description, m.source_line
            FROM milestones AS m
            JOIN chosen AS c USING (initiative_id)
        )
        , scored AS (
            SELECT *, len(list_filter($words::VARCHAR[],
                                      lambda w: regexp_matches(lower(text), w))) AS words_found
            FROM texts
        )
        SELECT initiative_id, title, phase, found_in, text, source_line, words_found
        FROM scored
        WHERE words_found > 0
        ORDER BY words_found DESC, source_line
        """,
        filter_parameters(filters),
    )


@st.cache_data(**CACHE)
def dictionary(stamp: Stamp) -> pd.DataFrame:
    """Every table and column of the database with its description (from COMMENT ON)."""
    # Imported here, not at the top: etl.export brings in the whole ETL (parser, figures,
    # loader), which only this query needs, and every page's first run paid for it.
    from etl.export import DICTIONARY

    return query(stamp, DICTIONARY)


# --- figures and enrollment

# The letter's figures (and metrics derived across initiatives) belong to no initiative: they
# are shown with the whole report and left out as soon as a filter narrows it.
FIGURES_IN_CHOSEN = """
    (f.initiative_id IN (SELECT initiative_id FROM chosen)
     OR (f.initiative_id IS NULL AND NOT $narrowing))
"""


@st.cache_data(**CACHE)
def figures(stamp: Stamp, filters: Filters, categories: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every figure of the chosen initiatives, in the chosen categories (all when none)."""
    parameters = filter_parameters(filters) | {
        "narrowing": filters.narrowing(),
        "categories": list(categories),
    }
    return query(
        stamp,
        CHOSEN_INITIATIVES
        + """
        SELECT f.figure_id, f.initiative_id, i.phase,
               coalesce(i.title, 'Opening letter') AS title, f.part, f.milestone_id,
               f.category, f.label, f.qualifier, f.value_text, f.unit, f.scale, f.value,
               f.value_low, f.value_high, f.is_range, f.metric_key, f.quote, f.source_line
        FROM figures AS f
        LEFT JOIN initiatives AS i USING (initiative_id)
        WHERE """
        + FIGURES_IN_CHOSEN
        + """
          AND (len($categories::VARCHAR[]) = 0
               OR list_contains($categories::VARCHAR[], f.category))
        ORDER BY f.source_line, f.figure_id
        """,
        parameters,
    )


@st.cache_data(**CACHE)
def figures_of(stamp: Stamp, initiative_id: str) -> pd.DataFrame:
    return query(
        stamp,
        """
        SELECT figure_id, initiative_id, part, milestone_id, category, label, qualifier,
               value_text, unit, scale, value, value_low, value_high, is_range, metric_key,
               quote, source_line
        FROM figures
        WHERE initiative_id = ?
        ORDER BY source_line, figure_id
        """,
        [initiative_id],
    )


@st.cache_data(**CACHE)
def metrics(stamp: Stamp, filters: Filters) -> pd.DataFrame:
    """The catalogue's headline metrics (printed and derived) of the chosen initiatives."""
    parameters = filter_parameters(filters) | {"narrowing": filters.narrowing()}
    return query(
        stamp,
        CHOSEN_INITIATIVES
        + """
        SELECT f.metric_key, f.kind, f.category, f.label, f.qualifier, f.value_text, f.unit,
               f.value, f.value_low, f.value_high, f.is_range, f.formula, f.formula_values,
               f.note, f.quote, f.source_line, f.figure_id, f.initiative_id,
               coalesce(i.title, 'Opening letter') AS title
        FROM metrics AS f
        LEFT JOIN initiatives AS i USING (initiative_id)
        WHERE """
        + FIGURES_IN_CHOSEN
        + """
        ORDER BY f.catalogue_line
        """,
        parameters,
    )


@st.cache_data(**CACHE)
def enrollment(stamp: Stamp) -> pd.DataFrame:
    """The public enrollment series; they are not from the report, so no filter applies."""
    return query(
        stamp,
        """
        SELECT series, series_name, entity, school_year, year_start, enrollment,
               previous_enrollment, lost_since_previous, lost_since_previous_pct,
               base_school_year, lost_since_base, lost_since_base_pct, definition_changed,
               definition, source, source_line
        FROM enrollment
        ORDER BY series, entity, year_start
        """,
    )


@st.cache_data(**CACHE)
def charts_without_numbers(stamp: Stamp) -> pd.DataFrame:
    """Charts of the report whose numbers the text extraction lost, as the parser flagged them."""
    return query(
        stamp,
        """
        SELECT record_id AS initiative_id, raw_value, source_line
        FROM quality_issues
        WHERE field = 'narrative' AND problem LIKE 'text of a chart%'
        ORDER BY source_line
        """,
    )
