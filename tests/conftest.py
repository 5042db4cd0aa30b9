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


@pytest.fixture(scope="session")
def app_server(built_db, tmp_path_factory):
    """The app as `make run` serves it (a real `streamlit run`) on a free port of 127.0.0.1, over
    the session's database; stopped when the test run ends."""
    from tests.browser.server import serve

    with serve(built_db, tmp_path_factory.mktemp("server") / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium driven by Playwright, one per test file.

    Without a chromium the browser tests skip on a developer's machine and fail in CI (CI=true).
    """
    from tests.browser import chromium as browser

    action, reason = browser.unavailable(None, browser.chromium_path())
    if action == "fail":
        pytest.fail(reason)
    if action == "skip":
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=browser.chromium_path(), args=browser.LAUNCH_ARGS
        )
    except Exception as error:
        playwright.stop()
        message = f"chromium did not start: {str(error).splitlines()[0]}"
        if browser.in_ci():
            pytest.fail(message)
        pytest.skip(message)
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture
def tab(chromium, app_server):
    """A page in a fresh browser context on the served app: no cookies, no cache, and no request
    allowed to leave 127.0.0.1 (blocked ones are listed in tab.outside_requests)."""
    from tests.browser.chromium import open_tab

    opened = open_tab(chromium, app_server.url)
    yield opened
    opened.page.context.close()
