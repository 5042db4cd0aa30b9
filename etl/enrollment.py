"""Read the public enrollment counts and compute the students lost, one series at a time.

The two series count different things (all schools under the district's state code, charters
included, against the district's own Norm Day count), so a year is only ever compared with
another year of the same series and the same entity.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from etl.source import InputError

REQUIRED = ("series", "school_year", "enrollment", "definition", "source")
OPTIONAL = ("entity",)
SERIES = {
    "cde_census_day": "California Department of Education, Census Day",
    "lausd_norm_day": "Los Angeles Unified, Norm Day",
}
# A file without an entity column holds district totals.
DISTRICT = "district"
MAX_ENROLLMENT = 10_000_000  # more than any school district in the country enrols


@dataclass(frozen=True)
class EnrollmentRow:
    series: str
    entity: str
    school_year: str
    year_start: int
    enrollment: int
    definition: str
    source: str
    source_line: int


def read_enrollment(path: Path) -> list[EnrollmentRow]:
    """Every row of the CSV, validated; the first bad row raises InputError naming its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8; save the CSV as UTF-8") from None
    return parse_enrollment(text, path.name)


def parse_enrollment(text: str, name: str) -> list[EnrollmentRow]:
    reader = csv.DictReader(io.StringIO(text), strict=True)
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED + OPTIONAL]
    if missing:
        raise InputError(f"{name} line 1: missing column(s) {', '.join(missing)}")
    if unknown:
        raise InputError(f"{name} line 1: unknown column(s) {', '.join(unknown)}")

    rows: list[EnrollmentRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    try:
        for record in reader:
            row = parse_row(record, len(columns), reader.line_num, name)
            key = (row.series, row.entity, row.school_year)
            if key in seen:
                raise InputError(
                    f"{name} line {row.source_line}: {row.series} {row.school_year} "
                    f"({row.entity}) is already on line {seen[key]}"
                )
            seen[key] = row.source_line
            rows.append(row)
    except csv.Error as error:
        raise InputError(f"{name} line {reader.line_num}: not valid CSV ({error})") from None
    if not rows:
        raise InputError(f"{name}: no enrollment rows after the header")
    return rows


def parse_row(record: dict, width: int, line: int, name: str) -> EnrollmentRow:
    def fault(problem: str) -> InputError:
        return InputError(f"{name} line {line}: {problem}")

    # DictReader files surplus cells under None and fills missing ones with None.
    found = width + len(record.get(None) or []) - sum(v is None for v in record.values())
    if found != width:
        raise fault(f"{found} fields where the header has {width}")
    cells = {key: value.strip() for key, value in record.items()}

    series = cells["series"]
    if series not in SERIES:
        raise fault(f"unknown series {series!r} (known: {', '.join(SERIES)})")

    school_year = cells["school_year"]
    year = re.fullmatch(r"(\d{4})-(\d{2})", school_year)
    if not year:
        raise fault(f"school year {school_year!r} is not written like 2021-22")
    year_start = int(year.group(1))
    if int(year.group(2)) != (year_start + 1) % 100:
        raise fault(f"school year {school_year!r} does not span two consecutive years")

    count = cells["enrollment"]
    if not re.fullmatch(r"\d+", count) or not 0 < int(count) <= MAX_ENROLLMENT:
        raise fault(f"enrollment {count!r} is not a positive whole number of students")

    for column in ("definition", "source"):
        if not cells[column]:
            raise fault(
                f"the {column} is empty: every count must say what it counts and where from"
            )

    entity = cells.get("entity", DISTRICT)
    if not entity:
        raise fault("the entity is empty")
    return EnrollmentRow(
        series,
        entity,
        school_year,
        year_start,
        int(count),
        cells["definition"],
        cells["source"],
        line,
    )


def with_losses(rows: list[EnrollmentRow]) -> list[dict]:
    """Each row with the students lost since the year before and since the series' first year.

    Both are computed within one series and one entity, never across them. A year whose
    previous school year is missing from its series gets no year-over-year loss.
    """
    groups: dict[tuple[str, str], list[EnrollmentRow]] = {}
    for row in rows:
        groups.setdefault((row.series, row.entity), []).append(row)

    table = []
    for group in groups.values():
        group.sort(key=lambda r: r.year_start)
        first = group[0]
        by_year = {r.year_start: r for r in group}
        for row in group:
            previous = by_year.get(row.year_start - 1)
            table.append(
                {
                    "series": row.series,
                    "series_name": SERIES[row.series],
                    "entity": row.entity,
                    "school_year": row.school_year,
                    "year_start": row.year_start,
                    "enrollment": row.enrollment,
                    "previous_enrollment": previous.enrollment if previous else None,
                    "lost_since_previous": (
                        previous.enrollment - row.enrollment if previous else None
                    ),
                    "lost_since_previous_pct": (
                        100 * (previous.enrollment - row.enrollment) / previous.enrollment
                        if previous
                        else None
                    ),
                    "base_school_year": first.school_year,
                    "lost_since_base": first.enrollment - row.enrollment,
                    "lost_since_base_pct": (
                        100 * (first.enrollment - row.enrollment) / first.enrollment
                    ),
                    "definition_changed": (
                        previous.definition != row.definition if previous else None
                    ),
                    "definition": row.definition,
                    "source": row.source,
                    "source_line": row.source_line,
                }
            )
    return sorted(table, key=lambda r: (r["series"], r["entity"], r["year_start"]))
