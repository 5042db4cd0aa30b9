"""Shared fixtures: the real report, parsed, and a database built from it."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import paths  # noqa: E402
from etl.load import build  # noqa: E402
from etl.report import parse  # noqa: E402


@pytest.fixture(scope="session")
def report_text() -> str:
    """The bundled report text, exactly as committed."""
    return paths.REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report(report_text):
    """The bundled report, parsed (no database)."""
    return parse(report_text)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A database built once per test run from the real report, by the real ETL."""
    path = tmp_path_factory.mktemp("db") / "plan.duckdb"
    build(paths.REPORT, path, paths.ENROLLMENT)
    return path


@pytest.fixture
def db(built_db):
    """A read-only connection to the session's database."""
    with duckdb.connect(str(built_db), read_only=True) as connection:
        yield connection


@pytest.fixture
def app_db(built_db, monkeypatch):
    """Point the app at the session's database, as PLAN_EXPLORER_DB does in a deployment."""
    monkeypatch.setenv(paths.DB_ENV, str(built_db))
    return built_db
