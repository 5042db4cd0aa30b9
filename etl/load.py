"""Load the parsed report into DuckDB, atomically: build a temporary file, then rename it over.

A failed build removes its temporary file and leaves the previous database as it was.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import paths
from etl.enrollment import read_enrollment, with_losses
from etl.figures import FigureTables, figure_tables
from etl.report import QualityIssue, Report, parse
from etl.source import InputError, SourceText, read_source

log = logging.getLogger("etl")

# The report carries no day of publication; it came out in June 2022 (its Strategic Plan status
# still expects June 21, 2022), so the app's default as-of date is the first of that month.
PUBLICATION_DATE = date(2022, 6, 1)


def build(source_path: Path, db_path: Path, enrollment_path: Path | None = None) -> dict:
    """Build the database at db_path from the report text; returns the row counts loaded."""
    started = time.perf_counter()
    check_target(db_path)
    source = read_source(source_path)
    log.info(
        "read %s: %s lines, %.1f KB in %.2f s",
        source.path.name,
        f"{source.text.count(chr(10)) + 1:,}",
        source.size / 1024,
        time.perf_counter() - started,
    )

    stage = time.perf_counter()
    report = parse(source.text)
    report.issues[:0] = source_issues(source, report)
    warnings = sum(issue.severity == "warning" for issue in report.issues)
    log.info(
        "parsed %d initiatives, %d milestones, %d quality issues (%d warnings) in %.2f s",
        len(report.sections),
        len(report.milestones),
        len(report.issues),
        warnings,
        time.perf_counter() - stage,
    )

    stage = time.perf_counter()
    figures = figure_tables(report, source.text)
    enrollment = with_losses(read_enrollment(enrollment_path)) if enrollment_path else []
    log.info(
        "%s; %d enrollment rows in %d series in %.2f s",
        figures.summary(),
        len(enrollment),
        len({row["series"] for row in enrollment}),
        time.perf_counter() - stage,
    )

    stage = time.perf_counter()
    tables = report_tables(report, source) | figure_frames(figures, enrollment)
    counts = write_atomically(db_path, tables)
    log.info(
        "loaded %s into %s in %.2f s",
        ", ".join(f"{n:,} {t}" for t, n in counts.items()),
        db_path,
        time.perf_counter() - stage,
    )
    log.info("built in %.2f s", time.perf_counter() - started)
    return counts


def source_issues(source: SourceText, report: Report) -> list[QualityIssue]:
    """Problems of the file as a whole, which no single record shows."""
    issues = []
    if source.had_crlf:
        issues.append(
            QualityIssue(
                "build_info",
                None,
                "source_file",
                "CRLF",
                "Windows (CRLF) line endings",
                "read them as plain line ends",
                None,
                severity="info",
            )
        )
    if source.had_cr:
        issues.append(
            QualityIssue(
                "build_info",
                None,
                "source_file",
                "CR",
                "lines end in CR alone (classic Mac OS line endings)",
                "read them as plain line ends",
                None,
                severity="info",
            )
        )
    if source.had_bom:
        issues.append(
            QualityIssue(
                "build_info",
                None,
                "source_file",
                "BOM",
                "a byte-order mark opens the file",
                "ignored it",
                None,
                severity="info",
            )
        )
    if report.milestones and not any(m.quarter_markers for m in report.milestones):
        issues.append(
            QualityIssue(
                "milestones",
                None,
                "quarter_markers",
                "0",
                "no milestone carries a quarter marker (U+F06C): the glyphs "
                "were probably lost when the text was extracted",
                "loaded the dates; marker counts are all 0",
                None,
            )
        )
        # Without glyphs every dated milestone would also get its own "0 quarter markers, but
        # its dates span …" warning: the same fact 150 times over. The issue above says it once.
        report.issues[:] = [i for i in report.issues if i.field != "quarter_markers"]
    return issues


def report_tables(report: Report, source: SourceText) -> dict[str, pd.DataFrame]:
    initiatives = pd.DataFrame(
        [
            {
                "initiative_id": s.initiative_id,
                "phase": s.phase,
                "title": s.title,
                "status": s.status,
                "status_text": s.status_text,
                "estimated_completion": s.estimated_completion,
                "completion_precision": s.completion_precision,
                "deliverable": s.deliverable,
                "objective": s.objective,
                "narrative": s.narrative,
                "source_url": s.source_url,
                "source_line": s.source_line,
                "printed_lines": ",".join(str(n) for n in s.printed_lines),
                "plan_start": s.plan_start,
                "plan_end": s.plan_end,
                "quarter_columns": s.quarter_columns,
                "milestone_count": len(s.milestones),
            }
            for s in report.sections
        ]
    )
    # The records hold only plain values, so vars() gives what asdict() would, without its deep
    # copy of every value: a fifth of a build of 100 copies of the report.
    milestones = pd.DataFrame([vars(m) for m in report.milestones])
    issues = pd.DataFrame(
        [{"issue_id": number, **vars(issue)} for number, issue in enumerate(report.issues, start=1)]
    )
    paragraphs = pd.DataFrame(
        [vars(p) for p in [*report.letter, *(p for s in report.sections for p in s.paragraphs)]]
    )
    build_info = pd.DataFrame(
        [
            {
                "source_file": source.path.name,
                "source_sha256": source.sha256,
                "source_bytes": source.size,
                "source_lines": report.line_count,
                "built_at": datetime.now(UTC),
                "publication_date": PUBLICATION_DATE,
            }
        ]
    )
    return {
        "initiatives": initiatives,
        "milestones": milestones,
        "quality_issues": issues,
        "paragraphs": paragraphs,
        "build_info": build_info,
    }


def check_target(db_path: Path) -> None:
    """Refuse a target the build would destroy or could not write: it replaces whole files."""
    if db_path.is_dir():
        raise InputError(f"{db_path}: a folder, not a database file")
    if not db_path.parent.is_dir():
        raise InputError(f"{db_path.parent}: no such folder for the database")
    if db_path.exists() and not is_duckdb_file(db_path):
        raise InputError(
            f"{db_path}: exists and is not a DuckDB database; refusing to replace it "
            "(delete it first if it is a broken database)"
        )


def is_duckdb_file(path: Path) -> bool:
    """DuckDB files carry the magic bytes DUCK at offset 8."""
    with open(path, "rb") as existing:
        return existing.read(12)[8:12] == b"DUCK"


def write_atomically(db_path: Path, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Create every table in a temporary file beside db_path, then rename it into place."""
    remove_abandoned_builds(db_path)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    temporary.unlink(missing_ok=True)
    try:
        counts = write_tables(temporary, tables)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return counts


def remove_abandoned_builds(db_path: Path) -> None:
    """Delete the temporary files of builds that were killed before they could clean up.

    A build killed outright (SIGKILL, power cut) leaves its .building file behind; it never
    breaks a later build, whose file has its own process id, but it would stay forever.
    """
    if os.name != "posix":  # os.kill(pid, 0) only probes on POSIX; elsewhere it would kill
        return
    pattern = re.compile(rf"\.{re.escape(db_path.name)}\.(\d+)\.building(\.wal)?")
    for leftover in db_path.parent.glob(f".{glob.escape(db_path.name)}.*.building*"):
        found = pattern.fullmatch(leftover.name)
        if found and not process_alive(int(found.group(1))):
            leftover.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_tables(path: Path, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    counts = {}
    with duckdb.connect(str(path)) as connection:
        # One transaction: committed one by one, the schema's hundred-odd statements (most
        # of them COMMENTs) cost about as much CPU as the rest of the load.
        connection.execute("BEGIN TRANSACTION")
        connection.execute(paths.SCHEMA.read_text(encoding="utf-8"))
        for name, frame in tables.items():
            if frame.empty:
                counts[name] = 0
                continue
            # A relation lists the table's columns in order at no cost; duckdb_columns() took
            # 2-4 ms a table. The INSERT names the columns, so the frame needs no copy.
            columns = [c for c in connection.table(name).columns if c in frame.columns]
            connection.register("incoming", frame)
            connection.execute(insert_statement(name, columns))
            connection.unregister("incoming")
            counts[name] = len(frame)
        connection.execute("COMMIT")
        connection.execute("CHECKPOINT")
    return counts


def schema_tables() -> list[str]:
    return re.findall(r"^CREATE TABLE (\w+)", paths.SCHEMA.read_text(encoding="utf-8"), re.M)


def insert_statement(table: str, columns: list[str]) -> str:
    """INSERT for one of the schema's own tables; names come from schema.sql, never from input."""
    if table not in schema_tables() or not all(column.isidentifier() for column in columns):
        raise ValueError(f"not a table of the schema: {table}")
    column_list = ", ".join(columns)
    # Identifiers cannot be bound as parameters; these are checked against schema.sql above.
    return f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM incoming"  # noqa: S608


def parse_only(source_path: Path) -> Report:
    """Parse without loading, for benchmarks and tests that look at records."""
    return parse(read_source(source_path).text)


def figure_frames(figures: FigureTables, enrollment: list[dict]) -> dict[str, pd.DataFrame]:
    """The report's figures, the catalogue's metrics and the enrollment series, as tables."""
    enrollment_frame = pd.DataFrame(enrollment)
    for column in ("previous_enrollment", "lost_since_previous"):
        if column in enrollment_frame:
            enrollment_frame[column] = enrollment_frame[column].astype("Int64")
    return {
        "figures": pd.DataFrame([vars(f) for f in figures.figures]),
        "metrics": pd.DataFrame([vars(m) for m in figures.metrics]),
        "enrollment": enrollment_frame,
    }
