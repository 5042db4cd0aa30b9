"""Where each milestone stands on an as-of date.

The report states no completion for milestones, so a milestone whose end date is behind us is
"end date passed", never "done".
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

NOT_STARTED = "not started"
ACTIVE = "active"
ENDED = "end date passed"
OPEN_ENDED = "open-ended"
UNDATED = "no dates"
STATES = (NOT_STARTED, ACTIVE, OPEN_ENDED, ENDED, UNDATED)


def state(start: date | None, end: date | None, is_ongoing: bool, asof: date) -> str:
    """One milestone's state. A missing start ("Ongoing") means it was already under way."""
    if start is not None and start > asof:
        return NOT_STARTED
    if end is not None:
        return ENDED if end < asof else ACTIVE
    if is_ongoing:
        return OPEN_ENDED
    return UNDATED if start is None else ACTIVE


def _as_date(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value


def classify(milestones: pd.DataFrame, asof: date) -> pd.DataFrame:
    """The milestones with their as-of state and the span their timeline bar covers.

    A bar runs to the end of its end day. A milestone with no start is drawn from its table's
    first quarter, and one with no end to its table's last quarter (the plan period).
    """
    frame = milestones.copy()
    starts = [_as_date(v) for v in frame["start_date"]]
    ends = [_as_date(v) for v in frame["end_date"]]
    frame["state"] = [
        state(start, end, bool(ongoing), asof)
        for start, end, ongoing in zip(starts, ends, frame["is_ongoing"], strict=True)
    ]
    plan_starts = [_as_date(v) for v in frame["plan_start"]]
    plan_ends = [_as_date(v) for v in frame["plan_end"]]
    frame["plan_start"], frame["plan_end"] = plan_starts, plan_ends
    frame["bar_start"] = [s or p for s, p in zip(starts, plan_starts, strict=True)]
    frame["bar_end"] = [
        (e or p) + timedelta(days=1) if (e or p) else None
        for e, p in zip(ends, plan_ends, strict=True)
    ]
    frame["ends_within_90_days"] = [
        e is not None and asof < e <= asof + timedelta(days=90) for e in ends
    ]
    return frame
