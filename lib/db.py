"""The app's read-only access to the database the ETL built.

One connection per process and database file, opened read-only; each query runs on its own
cursor, so sessions and threads never share one. A rebuild renames a new file into place: the
file's identity (its stamp) changes, and the next query opens the new file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.paths import DB_ENV, database_path


class DatabaseUnavailable(RuntimeError):
    """The database is missing or unreadable; the message says what to do."""


@dataclass(frozen=True)
class Stamp:
    """Identifies one build of the database file: a rebuild changes it."""

    path: str
    inode: int
    mtime_ns: int
    size: int


def current_stamp() -> Stamp:
    path = database_path()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatabaseUnavailable(
            f"No database at {path}. Build it with `make run` (or `python -m etl build`), "
            f"or point {DB_ENV} at a built file."
        ) from None
    return Stamp(str(path), info.st_ino, info.st_mtime_ns, info.st_size)


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(stamp: Stamp) -> duckdb.DuckDBPyConnection:
    # Not duckdb.connect(path): DuckDB hands out the instance it already has open for a path,
    # so after a rebuild every new connection would still read the replaced file. A fresh
    # in-memory instance that attaches the path opens the file that is there now.
    try:
        connection = duckdb.connect(":memory:")
        connection.execute("ATTACH ? AS plan (READ_ONLY)", [stamp.path])
        connection.execute("USE plan")
        connection.execute("SELECT count(*) FROM initiatives").fetchone()
    except duckdb.Error as error:
        raise DatabaseUnavailable(
            f"The database at {stamp.path} cannot be read ({str(error).splitlines()[0]}). "
            "Rebuild it with `python -m etl build`."
        ) from None
    return connection


def query(stamp: Stamp, sql: str, parameters: list | dict | None = None) -> pd.DataFrame:
    """Run one parameterised query (`?` with a list, `$name` with a dict) on its own cursor."""
    cursor = _open(stamp).cursor()
    try:
        cursor.execute("USE plan")  # a cursor starts in the in-memory catalog
        return cursor.execute(sql, parameters or []).df()
    except duckdb.Error as error:
        raise DatabaseUnavailable(
            f"The database at {Path(stamp.path).name} does not answer as expected "
            f"({str(error).splitlines()[0]}). Rebuild it with `python -m etl build`."
        ) from None
    finally:
        cursor.close()
