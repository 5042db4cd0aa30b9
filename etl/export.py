"""`python -m etl export`: every table of a built database as CSV or Parquet, with a README.

The files are the ones the app's "Download all" zip holds for an unfiltered view.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb

from etl.load import schema_tables
from etl.source import InputError
from lib.export import readme_text, to_csv_bytes, to_parquet_bytes

log = logging.getLogger("etl")

# Every table and column with its description; the app's dictionary page runs it too.
DICTIONARY = """
SELECT c.table_name AS "table", t.comment AS table_description,
       c.column_name AS "column", c.data_type AS type, c.comment AS description
FROM duckdb_columns() AS c
JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
WHERE c.database_name = current_database() AND c.schema_name = 'main'
ORDER BY t.table_name, c.column_index
"""


def export_tables(db_path: Path, out: Path, file_format: str) -> dict[str, int]:
    started = time.perf_counter()
    if not db_path.is_file():
        raise InputError(f"{db_path}: no database there; build it with `python -m etl build`")
    out.mkdir(parents=True, exist_ok=True)

    with duckdb.connect(str(db_path), read_only=True) as connection:
        present = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        tables = {
            # A table by name, with no SQL text: nothing is formatted into a statement.
            name: connection.table(name).df()
            for name in schema_tables()
            if name in present  # names from schema.sql only
        }
        dictionary = connection.execute(DICTIONARY).df()
    build = tables["build_info"].iloc[0].to_dict()

    for name, frame in tables.items():
        if file_format == "csv":
            (out / f"{name}.csv").write_bytes(to_csv_bytes(frame))
        else:
            (out / f"{name}.parquet").write_bytes(to_parquet_bytes(frame))
    layout = (
        "Files: <table>.csv (UTF-8 with BOM, formula-like text prefixed with an apostrophe)."
        if file_format == "csv"
        else "Files: <table>.parquet (typed, unaltered)."
    )
    readme = readme_text("", build, dictionary, tables, layout)
    (out / "README.txt").write_text(readme, encoding="utf-8")

    counts = {name: len(frame) for name, frame in tables.items()}
    log.info(
        "exported %s as %s to %s in %.2f s",
        ", ".join(f"{n:,} {t}" for t, n in counts.items()),
        file_format,
        out,
        time.perf_counter() - started,
    )
    return counts
