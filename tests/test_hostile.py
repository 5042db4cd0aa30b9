"""Hostile text and hostile links: what a report or a URL smuggles in is shown, never run.

A variant of the real report carries HTML, script tags, Markdown links to `javascript:`, image
Markdown and spreadsheet formulas in a section title, a narrative and milestone descriptions.
The app built from it is opened in Chromium: nothing executes, no link or image comes out of
the text, and CSV exports neutralise the formulas. URL parameters carrying SQL, markup, huge
or repeated values only ever produce a notice.
"""

import csv
import hashlib
import io
import zipfile
from urllib.parse import quote, urlencode, urlparse

import duckdb
import pytest
from playwright.sync_api import expect

from etl import paths
from etl.__main__ import main
from tests.browser import chromium as browser
from tests.browser.chromium import exceptions, metric, open_app, open_tab
from tests.browser.server import serve
from tests.browser.session import AppSession, chart_count

TITLE = (
    'Family Academy <script>window.__pwned="title"</script> '
    '[menu](javascript:window.__pwned="title-link") ![logo](/pwned-title.png) '
    '<img src=/pwned-title-img.png onerror=window.__pwned="title-img">'
)
FORMULA_TITLE = '=HYPERLINK("https://example.invalid/","Cultural Arts Passport")'
NARRATIVE = (
    '=HYPERLINK("https://example.invalid/","Read the plan") '
    '<script>window.__pwned="narrative"</script> '
    'read [the plan](javascript:window.__pwned="narrative-link"), see '
    "![chart](/pwned-narrative.png) or "
    "<a href=\"javascript:window.__pwned='narrative-a'\">here</a>."
)
MILESTONE = (
    '<img src=/pwned-milestone.png onerror=window.__pwned="milestone"> '
    '<b>Identify</b> and train <a href="/pwned-link">DACE</a> instructors'
)
GLYPH = "\uf06c"


def swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def hostile_report() -> str:
    """The real report with hostile text in two titles, a narrative and four milestones."""
    text = paths.REPORT.read_text(encoding="utf-8")
    text = swap(text, " ACT | Family Academy\n", f" ACT | {TITLE}\n")
    text = swap(text, " ACT | Cultural Arts Passport\n", f" ACT | {FORMULA_TITLE}\n")
    text = swap(
        text,
        "NARRATIVE \nLos Angeles Unified collaborated with parents",
        f"NARRATIVE \n{NARRATIVE}\n\nLos Angeles Unified collaborated with parents",
    )
    text = swap(text, " Identify and train DACE instructors  5/16/22", f" {MILESTONE}  5/16/22")
    return swap(
        text,
        f"Develop and implement marketing campaign 6/01/22 8/05/22 {GLYPH}\n",
        f"@SUM(A1:A9) Develop and implement marketing campaign 6/01/22 8/05/22 {GLYPH}\n\n"
        f"-42 7/01/22 9/30/22 {GLYPH}\n\n"
        f"-3+4 7/01/22 9/30/22 {GLYPH}\n",
    )


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A database built by the real ETL from the hostile variant of the report."""
    folder = tmp_path_factory.mktemp("hostile")
    source, database = folder / "hostile-report.txt", folder / "plan.duckdb"
    source.write_text(hostile_report(), encoding="utf-8")
    assert main(["build", "--source", str(source), "--db", str(database)]) == 0
    return database


@pytest.fixture(scope="module")
def hostile_ids(hostile_db):
    """The initiative ids the ETL gave the two sections with hostile titles."""
    with duckdb.connect(str(hostile_db), read_only=True) as connection:
        family, formula = (
            connection.execute(
                "SELECT initiative_id FROM initiatives WHERE title = ?", [title]
            ).fetchone()[0]
            for title in (TITLE, FORMULA_TITLE)
        )
    return family, formula


@pytest.fixture(scope="module")
def hostile_server(hostile_db, tmp_path_factory):
    """The app served over the hostile database."""
    with serve(hostile_db, tmp_path_factory.mktemp("hostile-server") / "streamlit.log") as server:
        yield server


def watch_for_smuggled(tab):
    """Note every request for a file the text names (/pwned-…): an image or link that loaded."""
    tab.smuggled = []
    tab.page.on(
        "request",
        lambda r: tab.smuggled.append(r.url) if "/pwned-" in urlparse(r.url).path else None,
    )
    return tab


@pytest.fixture
def hostile_tab(chromium, hostile_server):
    """A fresh browser page on the hostile app, every outside request blocked and noted."""
    tab = watch_for_smuggled(open_tab(chromium, hostile_server.url))
    yield tab
    tab.page.context.close()


# What would show that something from the text ran or loaded.
PROBE = """() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    scripts: [...document.querySelectorAll('script')]
        .filter(s => s.textContent.includes('__pwned')).length,
    javascript_links: [...document.querySelectorAll('a[href]')]
        .filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:'))
        .map(a => a.outerHTML),
    images_from_text: [...document.querySelectorAll('img[src], image')]
        .filter(i => (i.getAttribute('src') || i.getAttribute('href') || '').includes('pwned'))
        .map(i => i.outerHTML),
    links_from_text: [...document.querySelectorAll('a[href]')]
        .filter(a => a.getAttribute('href').includes('pwned'))
        .map(a => a.outerHTML),
})"""
NOTHING_RAN = {
    "pwned": None,
    "scripts": 0,
    "javascript_links": [],
    "images_from_text": [],
    "links_from_text": [],
}


def assert_nothing_ran(tab):
    assert tab.page.evaluate(PROBE) == NOTHING_RAN
    assert tab.smuggled == []
    assert exceptions(tab) == []
    assert tab.errors() == []
    assert tab.unexpected_outside_requests() == []


# The pages whose charts put report text (titles, milestone descriptions) in their hovers.
TEXT_IN_HOVER = {"timeline", "initiatives"}


def hover_every_bar(tab):
    """Plotly builds its hover labels from the text: show each one."""
    for bar in tab.page.locator(".js-plotly-plot .trace.bars .point path").all():
        box = bar.bounding_box()
        if not box or box["width"] * box["height"] == 0:
            continue  # a bar of zero height has nothing to hover
        bar.hover(force=True)
        tab.page.locator(".hoverlayer .hovertext").first.wait_for(state="attached")


@pytest.mark.browser
def test_the_probe_sees_what_would_have_run(hostile_tab):
    """The checks below would catch a script that ran, a link to javascript: and a text image."""
    origin = hostile_tab.origin
    hostile_tab.page.set_content(
        '<script>window.__pwned = "probe"</script>'
        '<a href="javascript:void(0)">run</a>'
        f'<img src="{origin}/pwned-probe.png"><a href="{origin}/pwned-link">link</a>'
    )
    hostile_tab.page.wait_for_load_state()

    assert hostile_tab.page.evaluate(PROBE) == {
        "pwned": "probe",
        "scripts": 1,
        "javascript_links": ['<a href="javascript:void(0)">run</a>'],
        "images_from_text": [f'<img src="{origin}/pwned-probe.png">'],
        "links_from_text": [f'<a href="{origin}/pwned-link">link</a>'],
    }
    assert hostile_tab.smuggled == [f"{origin}/pwned-probe.png"]


def test_the_etl_stores_hostile_text_as_printed(hostile_db, hostile_ids):
    family, formula = hostile_ids
    with duckdb.connect(str(hostile_db), read_only=True) as connection:
        narrative = connection.execute(
            "SELECT narrative FROM initiatives WHERE initiative_id = ?", [family]
        ).fetchone()[0]
        descriptions = connection.execute(
            "SELECT description FROM milestones WHERE initiative_id = ? ORDER BY seq", [family]
        ).fetchall()

    assert narrative.startswith(NARRATIVE + "\n\n")
    assert [d for (d,) in descriptions] == [
        MILESTONE,
        "@SUM(A1:A9) Develop and implement marketing campaign",
        "-42",
        "-3+4",
    ]
    assert formula == "act-hyperlink-https-example-invalid-cultural-arts-passport"


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_runs_or_loads_anything_from_the_text(hostile_tab, hostile_ids):
    family, _ = hostile_ids
    open_app(hostile_tab, "", "Overview")
    pages = browser.navigation(hostile_tab)
    assert len(pages) >= 6

    for page in pages:
        open_app(hostile_tab, f"{page}?initiative={family}", None)
        charts = chart_count(hostile_tab.origin, page, f"initiative={family}")
        browser.wait_for_charts(hostile_tab, charts)
        if page in TEXT_IN_HOVER:
            hover_every_bar(hostile_tab)
        assert_nothing_ran(hostile_tab)
    open_app(hostile_tab, "search?q=pwned", "Search")
    assert_nothing_ran(hostile_tab)


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_text_reads_as_text(hostile_tab, hostile_ids):
    family, _ = hostile_ids
    open_app(hostile_tab, f"initiatives?initiative={family}", "Initiatives")
    page = hostile_tab.page

    expect(
        page.get_by_role("heading", level=2).filter(has_text="ACT | Family Academy")
    ).to_have_text(f"ACT | {TITLE}")
    expect(page.get_by_text('<script>window.__pwned="narrative"</script>')).to_be_visible()
    expect(
        page.get_by_text('[the plan](javascript:window.__pwned="narrative-link")')
    ).to_be_visible()

    browser.wait_for_charts(hostile_tab, 1)
    page.locator(".js-plotly-plot .trace.bars .point path").first.hover(force=True)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(state="attached")
    hover_text = hover.text_content()
    assert TITLE in hover_text
    assert_nothing_ran(hostile_tab)


def download_csv(tab, label):
    with tab.page.expect_download() as started:
        tab.page.get_by_role("button", name=label).click()
    payload = started.value.path().read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")
    return payload


@pytest.mark.browser
@pytest.mark.slow
def test_csv_exports_neutralise_formulas_and_keep_numbers(hostile_tab, hostile_ids):
    family, formula = hostile_ids
    open_app(hostile_tab, f"timeline?initiative={family},{formula}", "Timeline")

    payload = download_csv(hostile_tab, "Download 12 rows as CSV")
    rows = {
        row["milestone_id"]: row for row in csv.DictReader(io.StringIO(payload.decode("utf-8-sig")))
    }

    assert rows[f"{formula}--01"]["title"] == "'" + FORMULA_TITLE
    assert rows[f"{family}--01"]["title"] == TITLE  # text that is no formula is left alone
    assert rows[f"{family}--01"]["description"] == MILESTONE
    assert (
        rows[f"{family}--02"]["description"]
        == "'@SUM(A1:A9) Develop and implement marketing campaign"
    )
    assert rows[f"{family}--03"]["description"] == "-42"  # a negative number stays a number
    assert rows[f"{family}--04"]["description"] == "'-3+4"
    assert rows[f"{family}--03"]["seq"] == "3" and rows[f"{family}--03"]["source_line"].isdigit()
    assert_nothing_ran(hostile_tab)


@pytest.mark.browser
@pytest.mark.slow
def test_the_zip_export_neutralises_the_narrative(hostile_tab, hostile_ids):
    family, _ = hostile_ids
    open_app(hostile_tab, f"?initiative={family}", "Overview")

    with hostile_tab.page.expect_download() as started:
        hostile_tab.page.get_by_role("button", name="Download all (zip)").click()
    archive = zipfile.ZipFile(started.value.path())
    (initiative,) = csv.DictReader(
        io.StringIO(archive.read("csv/initiatives.csv").decode("utf-8-sig"))
    )

    assert initiative["narrative"].startswith("'" + NARRATIVE)
    assert initiative["title"] == TITLE
    assert_nothing_ran(hostile_tab)


# (query string, notices, Initiatives shown): what a hostile or broken link does.
LINKS = [
    (
        {"initiative": "'; DROP TABLE initiatives; --"},
        ['Ignored unknown initiative "\'; DROP TABLE initiatives; --".'],
        "42",
    ),
    ({"phase": "ACT' OR '1'='1"}, ["Ignored unknown phase \"ACT' OR '1'='1\"."], "42"),
    (
        {"from": "2022-01-01'; DROP TABLE milestones; --"},
        ['Ignored from="2022-01-01\'; DROP TABLE milestones; --": not a date (YYYY-MM-DD).'],
        "42",
    ),
    # A search is a search: nothing holds these words, and nothing else happens.
    ({"q": "'; DROP TABLE initiatives; --"}, [], "0"),
    ({"phase": "A" * 5000}, ["Ignored phase: the value is too long."], "42"),
    # 20 of the 42 sections hold the word "report".
    (
        {"q": "report " * 60},
        ["Shortened the search to 200 characters.", "Searched for the first 10 words only."],
        "20",
    ),
    (
        {"colour": "red", "db": "/etc/passwd"},
        ["Ignored unknown parameter 'colour'.", "Ignored unknown parameter 'db'."],
        "42",
    ),
    ([("phase", "ACT"), ("phase", "LEARN")], [], "31"),
    (
        [("q", "budget"), ("q", "zzzz-no-such-word")],
        ["Used the last of 2 values given for q."],
        "0",
    ),
    ({"asof": "<script>alert(1)</script>"}, None, "42"),
]


def escaped(notice: str) -> str:
    """A notice as the page sends it: Markdown-escaped, so nothing in it becomes markup."""
    from lib.ui import escape_markdown

    return escape_markdown(notice)


@pytest.mark.parametrize(("query", "notices", "initiatives"), LINKS)
def test_a_hostile_link_is_only_a_notice(app_server, query, notices, initiatives):
    with AppSession(app_server.url) as session:
        run = session.run("", urlencode(query))

    assert run.problems() == []
    if notices is not None:
        assert run.warnings == [escaped(notice) for notice in notices]
    else:
        assert len(run.warnings) == 1 and "not a date" in run.warnings[0]
    assert run.metrics["Initiatives"] == initiatives


def test_the_database_is_intact_after_hostile_links(app_server, built_db):
    before = hashlib.sha256(built_db.read_bytes()).hexdigest()
    with AppSession(app_server.url) as session:
        for query, _, _ in LINKS:
            for page in ("", "timeline", "initiatives", "search", "quality"):
                assert session.run(page, urlencode(query)).problems() == []

    with duckdb.connect(str(built_db), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM initiatives").fetchone() == (42,)
        assert connection.execute("SELECT count(*) FROM milestones").fetchone() == (160,)
    assert hashlib.sha256(built_db.read_bytes()).hexdigest() == before


@pytest.mark.browser
@pytest.mark.slow
def test_markup_in_a_link_shows_as_text(tab):
    markup = {
        "phase": "[x](javascript:window.__pwned=1)",
        "status": "![i](/pwned-status.png)",
        "deliverable": "<img src=/pwned-tag.png onerror=window.__pwned=2>",
        "q": "<script>window.__pwned=3</script>",
    }
    watch_for_smuggled(tab)

    open_app(tab, "?" + "&".join(f"{k}={quote(v)}" for k, v in markup.items()), "Overview")

    notices = tab.page.locator('[data-testid="stAlertContentWarning"]')
    expect(notices).to_have_count(3)
    expect(notices.filter(has_text="[x](javascript:window.__pwned=1)")).to_have_count(1)
    expect(notices.filter(has_text="![i](/pwned-status.png)")).to_have_count(1)
    assert (
        tab.page.locator(
            '[data-testid="stAlertContentWarning"] a, [data-testid="stAlertContentWarning"] img'
        ).count()
        == 0
    )
    assert metric(tab, "Initiatives") == "0"  # the search for the script's text finds nothing
    assert_nothing_ran(tab)
