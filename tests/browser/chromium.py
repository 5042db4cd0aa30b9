"""Debian's Chromium driven by Playwright, and what a test needs to read a Streamlit page.

Playwright's own browser download is not used: CI installs the `chromium` package (.ci/run).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlparse

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every wait in a browser test ends by this deadline (ms); a cold first page run takes seconds.
TIMEOUT_MS = 45_000


def in_ci(environment: dict[str, str] | None = None) -> bool:
    value = (environment if environment is not None else os.environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


def unavailable(environment: dict[str, str] | None, chromium: str | None) -> tuple[str, str]:
    """What a browser test does without a browser: ("run", ""), ("skip", why) or ("fail", why).

    On a developer's machine a missing Chromium skips the browser tests; in CI it must fail,
    or the suite would pass without having looked at a single page.
    """
    if chromium:
        return "run", ""
    reason = "Debian's chromium is not installed (apt-get install -y chromium)"
    return (
        ("fail", f"{reason}; CI must run the browser tests")
        if in_ci(environment)
        else (
            "skip",
            reason,
        )
    )


def chromium_path() -> str | None:
    return shutil.which("chromium")


@dataclass
class Tab:
    """One page of a fresh browser context, and what it said while the test used it."""

    page: object
    origin: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        """Console errors that are the app's, without Streamlit's own base-path probes.

        Opened at a page's path (/timeline), Streamlit's frontend first asks for
        /timeline/_stcore/health and /timeline/_stcore/host-config, gets 404, then finds the
        server at the root: two console errors on every deep link that are not ours.
        """
        return [
            error
            for error in self.console_errors
            if not (
                " 404 " in error and ("/_stcore/health" in error or "/_stcore/host-config" in error)
            )
        ]

    def unexpected_outside_requests(self) -> list[str]:
        """Requests for anything not on the app's own server: none are expected at all."""
        return list(self.outside_requests)


def open_tab(browser, origin: str) -> Tab:
    """A page in a new context that may reach only origin; anything else is blocked and noted."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, origin)
    allowed = urlparse(origin).netloc

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc == allowed:
            route.continue_()
        else:
            tab.outside_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    page.on(
        "console",
        lambda message: (
            tab.console_errors.append(f"{message.text} {message.location.get('url')}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
    return tab


def open_app(tab: Tab, path: str, title: str | None) -> None:
    """Load path and wait until the page titled title (any page if None) has finished its run."""
    page = tab.page
    page.goto(f"{tab.origin}/{path.lstrip('/')}")
    wait_for_run(tab, title)


def wait_for_run(tab: Tab, title: str | None) -> None:
    page = tab.page
    heading = page.get_by_role("heading", level=1)
    (heading.filter(has_text=title) if title else heading).first.wait_for()
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def navigation(tab: Tab) -> list[str]:
    """The URL paths of every page in the sidebar's navigation ("" for the default page)."""
    links = tab.page.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for()
    return [
        urlparse(href).path.lstrip("/") for href in links.evaluate_all("a => a.map(x => x.href)")
    ]


def exceptions(tab: Tab) -> list[str]:
    return tab.page.locator('[data-testid="stException"]').all_inner_texts()


def metric(tab: Tab, label: str) -> str:
    box = tab.page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def wait_for_charts(tab: Tab, count: int) -> None:
    """Plotly draws after the run, from a lazily loaded bundle: wait for count drawn charts."""
    tab.page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n "
        "&& document.querySelectorAll('.js-plotly-plot').length >= n",
        arg=count,
    )


def drawn_bars(tab: Tab, chart: int = 0) -> int:
    """How many bars the chart's SVG holds, over all its traces."""
    return tab.page.evaluate(
        "i => document.querySelectorAll('.js-plotly-plot')[i]"
        ".querySelectorAll('.trace.bars .point').length",
        chart,
    )


def table_rows(tab: Tab, table: int = 0) -> int:
    """Data rows of an st.dataframe, from the accessible grid the canvas table keeps."""
    grid = (
        tab.page.locator('[data-testid="stDataFrame"]').nth(table).locator("table[aria-rowcount]")
    )
    grid.wait_for(state="attached")
    return int(grid.get_attribute("aria-rowcount")) - 1
