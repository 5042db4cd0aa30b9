"""Where the project keeps its inputs and its database, shared by the ETL and the app."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "raw" / "lausd-100-day-plan-report-2022.txt"
ENROLLMENT = ROOT / "data" / "reference" / "lausd-enrollment-public.csv"
SCHEMA = Path(__file__).resolve().parent / "schema.sql"
DB_ENV = "PLAN_EXPLORER_DB"


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db, else $PLAN_EXPLORER_DB, else data/plan.duckdb."""
    if explicit:
        return Path(explicit)
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    return ROOT / "data" / "plan.duckdb"
