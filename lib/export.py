"""Exports: CSV that spreadsheets open safely and correctly, and the zip of everything shown.

A text cell that starts like a formula is prefixed with an apostrophe, so Excel shows it as
text instead of running it; numbers, negative ones included, stay numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _iso(cell):
    if isinstance(cell, pd.Timestamp | datetime):
        return (
            cell.isoformat()
            if (cell.hour, cell.minute, cell.second) != (0, 0, 0)
            else (cell.date().isoformat())
        )
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            safe[column] = series.map(lambda v: None if pd.isna(v) else _iso(v))
        elif not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            safe[column] = series.map(lambda v: neutralise(_iso(v)))
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads the encoding from it), ISO dates."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def file_name(what: str, filter_label: str, extension: str = "csv") -> str:
    return f"100-day-plan_{what}_{filter_label}.{extension}"


def zip_bytes(tables: dict[str, pd.DataFrame], readme: str) -> bytes:
    """One CSV and one Parquet file per table, and a README saying what they hold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, frame in tables.items():
            archive.writestr(f"csv/{name}.csv", to_csv_bytes(frame))
            archive.writestr(f"parquet/{name}.parquet", to_parquet_bytes(frame))
    return buffer.getvalue()


ZIP_LAYOUT = (
    "Files: one per table the app shows, with the rows and columns it shows: csv/<table>.csv\n"
    "(UTF-8 with BOM, formula-like text prefixed with an apostrophe) and\n"
    "parquet/<table>.parquet (the same rows, typed, unaltered)."
)


def readme_text(
    filters_described: str,
    build: dict,
    dictionary: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    layout: str = ZIP_LAYOUT,
    asof: date | None = None,
) -> str:
    """What an export holds: its filters, its source, and a dictionary of its own columns."""
    lines = [
        "100-Day Plan Explorer export",
        "",
        f"Filters applied: {filters_described or 'none (the whole report)'}",
        *([f"As-of date of the milestone states: {asof.isoformat()}"] if asof else []),
        f"Source file: {build['source_file']}",
        f"Source SHA-256: {build['source_sha256']}",
        f"Database built at: {_iso(build['built_at'])}",
        "",
        layout,
        "",
        "Rows per table:",
        *(f"  {name}: {len(frame)}" for name, frame in tables.items()),
        "",
        "Data dictionary",
    ]
    for name, frame in tables.items():
        lines += ["", f"{name}: {describe_table(dictionary, name)}"]
        lines += [
            f"  {column}: {describe_column(dictionary, name, column)}" for column in frame.columns
        ]
    return "\n".join(lines) + "\n"


def describe_table(dictionary: pd.DataFrame, table: str) -> str:
    rows = dictionary[dictionary["table"] == table]
    return rows["table_description"].iloc[0] if len(rows) else "rows as the app shows them."


def describe_column(dictionary: pd.DataFrame, table: str, column: str) -> str:
    """The column's description in its own table, else in the table it was joined from."""
    same = dictionary[(dictionary["table"] == table) & (dictionary["column"] == column)]
    if len(same):
        return f"({same['type'].iloc[0]}) {same['description'].iloc[0]}"
    elsewhere = dictionary[dictionary["column"] == column]
    if len(elsewhere):
        first = elsewhere.iloc[0]
        return f"({first['type']}) {first['description']} (from {first['table']})"
    return "computed for this view."
