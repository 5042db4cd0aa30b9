"""The app in a real browser: every page draws without an error, filters and downloads work.

Headless Debian Chromium against `streamlit run app.py` on 127.0.0.1 over the real report's
database. One screenshot per page goes to tests/screenshots/ (git-ignored) for a human to look at.
"""

import csv
import io
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser import chromium as browser
from tests.browser.chromium import drawn_bars, exceptions, metric, open_app, table_rows
from tests.browser.session import chart_count
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = ROOT / "tests" / "screenshots"
BOM = b"\xef\xbb\xbf"


def screenshot(tab, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def assert_clean(tab):
    """What a user must never see, and what the browser must never do, on any page."""
    assert exceptions(tab) == []
    assert tab.errors() == []
    assert tab.unexpected_outside_requests() == []


def download(tab, label):
    """Click the download button labelled label; the file's bytes."""
    with tab.page.expect_download() as started:
        tab.page.get_by_role("button", name=label).click()
    return started.value.path().read_bytes()


def csv_rows(payload):
    assert payload.startswith(BOM), "Excel reads the encoding from the byte-order mark"
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))


def quality_issue_count(built_db):
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as connection:
        return connection.execute("SELECT count(*) FROM quality_issues").fetchone()[0]


@pytest.mark.parametrize(
    ("action", "environment", "chromium"),
    [
        ("run", {}, "/usr/bin/chromium"),
        ("run", {"CI": "true"}, "/usr/bin/chromium"),
        ("skip", {}, None),
        ("skip", {"CI": "false"}, None),
        ("fail", {"CI": "true"}, None),
        ("fail", {"CI": "1"}, None),
    ],
)
def test_without_a_browser_skip_locally_and_fail_in_ci(action, environment, chromium):
    assert browser.unavailable(environment, chromium)[0] == action


def test_overview(tab):
    open_app(tab, "", "Overview")
    browser.wait_for_charts(tab, 2)

    assert metric(tab, "Initiatives") == "42"
    # Status by phase: a Completed and an In Progress bar per phase that has one (4 + 2).
    assert drawn_bars(tab, 0) == 6
    assert_clean(tab)
    screenshot(tab, "overview")


def test_timeline(tab):
    open_app(tab, "timeline", "Timeline")
    browser.wait_for_charts(tab, 1)

    assert drawn_bars(tab) == 160
    assert table_rows(tab) == 160
    assert_clean(tab)
    screenshot(tab, "timeline")


def test_initiatives(tab):
    open_app(tab, "initiatives", "Initiatives")

    assert table_rows(tab) == 42
    assert tab.page.locator(".js-plotly-plot").count() == 0
    assert_clean(tab)
    screenshot(tab, "initiatives")


def test_initiative_detail_from_a_deep_link(tab):
    open_app(tab, "initiatives?initiative=communicate-external-communications", "Initiatives")
    browser.wait_for_charts(tab, 1)

    expect(
        tab.page.get_by_role("heading", name="COMMUNICATE | External Communications")
    ).to_be_visible()
    assert drawn_bars(tab) == 5
    assert_clean(tab)
    screenshot(tab, "initiative-detail")


def test_search(tab):
    open_app(tab, "search?q=mental%20health", "Search")

    caption = tab.page.get_by_text("15 passages in 4 initiatives.")
    expect(caption).to_be_visible()
    passages = caption.inner_text().split()[0]
    expect(tab.page.get_by_role("button", name=f"Download {passages} rows as CSV")).to_be_visible()
    assert_clean(tab)
    screenshot(tab, "search")


def test_data_quality(tab, built_db):
    open_app(tab, "quality", "Data quality")

    issues = quality_issue_count(built_db)
    assert metric(tab, "Quality issues") == str(issues)
    assert table_rows(tab) == issues
    assert_clean(tab)
    screenshot(tab, "quality")


def test_data_dictionary(tab):
    open_app(tab, "dictionary", "Data dictionary")

    expect(tab.page.get_by_text("Built from lausd-100-day-plan-report-2022.txt")).to_be_visible()
    expanders = tab.page.locator('[data-testid="stExpander"]')
    expect(expanders.filter(has_text="initiatives")).not_to_have_count(0)
    expect(expanders.filter(has_text="milestones")).not_to_have_count(0)
    assert_clean(tab)
    screenshot(tab, "dictionary")


# Pages with a test of their own above; any other page of the navigation gets the general one.
COVERED = {"", "timeline", "initiatives", "search", "quality", "dictionary"}


def test_every_other_page_of_the_navigation_draws_cleanly(tab):
    open_app(tab, "", "Overview")
    others = [page for page in browser.navigation(tab) if page not in COVERED]

    for page in others:
        open_app(tab, page, None)
        browser.wait_for_charts(tab, chart_count(tab.origin, page))
        assert_clean(tab)
        screenshot(tab, page)


@pytest.mark.parametrize(
    ("query", "initiatives", "milestones"),
    [
        ("phase=COMMUNICATE", 1, 5),
        ("status=In%20Progress", 5, 25),
    ],
)
def test_a_filtered_link_shows_only_its_rows(tab, query, initiatives, milestones):
    open_app(tab, f"?{query}", "Overview")
    assert metric(tab, "Initiatives") == str(initiatives)

    open_app(tab, f"timeline?{query}", "Timeline")
    browser.wait_for_charts(tab, 1)
    assert drawn_bars(tab) == milestones
    assert table_rows(tab) == milestones
    assert_clean(tab)


def test_choosing_a_phase_in_the_sidebar_filters_and_writes_the_url(tab):
    open_app(tab, "", "Overview")
    phase = tab.page.locator('[data-testid="stMultiSelect"]').filter(has_text="Phase")

    phase.locator("input").click()
    tab.page.get_by_role("option", name="COMMUNICATE", exact=True).click()
    tab.page.keyboard.press("Escape")

    expect(
        tab.page.locator('[data-testid="stMetric"]').filter(has_text="Initiatives")
    ).to_contain_text("1")
    expect(tab.page).to_have_url(f"{tab.origin}/?phase=COMMUNICATE")
    assert metric(tab, "Initiatives") == "1"
    assert_clean(tab)


def test_csv_download_holds_the_rows_shown_and_keeps_the_view(tab):
    open_app(tab, "timeline?status=In%20Progress", "Timeline")
    browser.wait_for_charts(tab, 1)
    shown = table_rows(tab)
    assert shown == 25

    rows = csv_rows(download(tab, f"Download {shown} rows as CSV"))

    assert len(rows) == shown
    assert len({row["initiative_id"] for row in rows}) == 5
    assert all(row["milestone_id"].startswith(row["initiative_id"] + "--") for row in rows)
    # The download ran no script: the filter, the URL and the rows shown are as they were.
    assert parse_qs(urlparse(tab.page.url).query) == {"status": ["In Progress"]}
    status = tab.page.locator('[data-testid="stMultiSelect"]').filter(has_text="Status")
    expect(status).to_contain_text("In Progress")
    assert table_rows(tab) == shown
    assert drawn_bars(tab) == shown
    assert_clean(tab)


def test_zip_download_holds_every_table_as_shown(tab):
    open_app(tab, "?phase=COMMUNICATE", "Overview")

    archive = zipfile.ZipFile(io.BytesIO(download(tab, "Download all (zip)")))

    assert len(csv_rows(archive.read("csv/initiatives.csv"))) == 1
    assert len(csv_rows(archive.read("csv/milestones.csv"))) == 5
    assert "Filters applied: phase COMMUNICATE" in archive.read("README.txt").decode("utf-8")
    assert metric(tab, "Initiatives") == "1"
    assert_clean(tab)


def test_a_page_link_opened_first_on_a_new_server_gets_the_app_navigation(
    chromium, built_db, tmp_path
):
    # Before any session has run app.py, Streamlit serves /timeline by running pages/timeline.py
    # alone, with a menu of file names; the page reruns itself through the entrypoint instead.
    from tests.browser.chromium import open_tab
    from tests.browser.server import serve

    with serve(built_db, tmp_path / "streamlit.log") as server:
        tab = open_tab(chromium, server.url)
        try:
            open_app(tab, "timeline?phase=COMMUNICATE", "Timeline")
            links = tab.page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
            labels = [link.strip().splitlines()[-1] for link in links]  # after the icon's name
            assert labels[:3] == ["Overview", "Timeline", "Initiatives"]
            browser.wait_for_charts(tab, 1)
            assert drawn_bars(tab) == 5
            assert_clean(tab)
        finally:
            tab.page.context.close()
