"""Command line: `python -m etl build` makes the database; `python -m etl export` writes it out."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import duckdb

from etl import paths
from etl.report import NoSectionsError
from etl.source import InputError

DB_HELP = f"database file (default: ${paths.DB_ENV}, else data/plan.duckdb)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="parse the report and build the DuckDB database")
    build.add_argument(
        "--source", type=Path, default=paths.REPORT, help="report text (default: %(default)s)"
    )
    build.add_argument("--db", help=DB_HELP)
    build.add_argument(
        "--enrollment",
        type=Path,
        default=paths.ENROLLMENT,
        help="enrollment CSV (default: %(default)s)",
    )

    export = commands.add_parser("export", help="write every table as CSV or Parquet")
    export.add_argument("--db", help=DB_HELP)
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    if args.db is not None and not args.db.strip():
        print("error: --db is empty; name the database file", file=sys.stderr)
        return 2
    try:
        if args.command == "build":
            from etl.load import build as run_build

            run_build(args.source, paths.database_path(args.db), args.enrollment)
        else:
            from etl.export import export_tables

            export_tables(paths.database_path(args.db), args.out, args.format)
    except (InputError, NoSectionsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as error:
        print(f"error: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the previous database is unchanged", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
