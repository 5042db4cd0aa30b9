"""Date forms of the report's milestone tables, and the calendar quarters of their Gantt columns.

Every parser here returns what it read and, separately, what was wrong with it, so that the
caller records a quality issue instead of silently correcting the source.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# One cell of the START or END column, as printed.
DATE_TOKEN = r"\d{1,2}/\d{1,2}/\d{2,4}|[Oo]ngoing|N/A|Q[1-4]-\d{2}"

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


@dataclass(frozen=True)
class ParsedDate:
    value: date | None
    is_ongoing: bool = False
    problem: str | None = None
    action: str | None = None


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, _last_day(year, last_month))


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _full_year(two_or_four: str) -> int:
    year = int(two_or_four)
    return 2000 + year if len(two_or_four) <= 2 else year


def parse_cell(text: str, role: str) -> ParsedDate:
    """Read one START (role "start") or END (role "end") cell.

    `Q2-22` stands for a whole quarter, so it opens on the quarter's first day as a start and
    closes on its last day as an end.
    """
    cell = text.strip()
    if cell.lower() == "ongoing":
        return ParsedDate(None, is_ongoing=True)
    if cell.upper() == "N/A":
        return ParsedDate(None)

    quarter = re.fullmatch(r"Q([1-4])-(\d{2})", cell)
    if quarter:
        first, last = quarter_bounds(_full_year(quarter.group(2)), int(quarter.group(1)))
        return ParsedDate(first if role == "start" else last)

    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", cell)
    if not numeric:
        return ParsedDate(None, problem="not a date", action="stored no date")

    month, day, year = int(numeric.group(1)), int(numeric.group(2)), _full_year(numeric.group(3))
    if not 1 <= month <= 12 or day < 1:
        return ParsedDate(None, problem="no such date", action="stored no date")
    last = _last_day(year, month)
    if day > last:
        # The report prints 9/31/22: the author meant the end of September, so the month's last
        # day keeps the milestone on the timeline, and the quality table says we did it.
        return ParsedDate(
            date(year, month, last),
            problem="no such date",
            action=f"stored the last day of the month ({date(year, month, last).isoformat()})",
        )
    return ParsedDate(date(year, month, day))


def parse_completion(status_text: str) -> tuple[date | None, str | None]:
    """The estimated completion in a status: `In Progress (Estimated completion - June 2023)`.

    Returns the date and its precision: a month alone is read as that month's last day.
    """
    found = re.search(
        r"completion\s*[-–]\s*([A-Za-z]+)\s+(?:(\d{1,2}),?\s+)?(\d{4})", status_text, re.IGNORECASE
    )
    if not found or found.group(1).lower() not in MONTHS:
        return None, None
    month, year = MONTHS[found.group(1).lower()], int(found.group(3))
    if found.group(2):
        day = min(int(found.group(2)), _last_day(year, month))
        return date(year, month, day), "day"
    return date(year, month, _last_day(year, month)), "month"
