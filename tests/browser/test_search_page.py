"""The app's "Your search" page (06_search) in a real Chromium, on a copy of the example workbook:
what to do today above every chart, charts drawn from inside the page, nothing asked of another
host (the `browser` fixture fails the test on any such request), no serious axe-core finding."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.app import server as followup_app
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

pytestmark = pytest.mark.browser

#: Upper bound for waiting on the page (milliseconds); a limit, not an expectation.
PAGE_LIMIT = 90_000
PAGE = "06_search.ipynb"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[followup_app.App]:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path_factory.mktemp("search") / "data"
    shutil.copytree(EXAMPLE, data)
    server = followup_app.start(data, now=EXAMPLE_NOW)
    try:
        yield server
    finally:
        server.stop()


def test_your_search_shows_today_first_then_the_charts_from_inside_the_page(
    app, browser, screenshots: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app.page_url(PAGE), wait_until="commit")
    page.locator("#today").wait_for(timeout=PAGE_LIMIT)
    page.screenshot(path=str(screenshots / "app_06_search.png"), full_page=True)
    assert page.title() == "Your search"
    today = page.locator("#today").bounding_box()
    charts = page.locator("figure.followup-chart img")
    assert charts.count() >= 3  # the funnel, two waiting times, the activity heatmap
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("src").startswith("data:image/png;base64,")
        assert chart.bounding_box()["y"] > today["y"] + today["height"]
        assert chart.evaluate("img => img.naturalWidth") > 0, "the chart is drawn"
    assert "Thank-you note to Jörg Müller" in page.locator("#today").inner_text()
    assert "median 10 days" in page.inner_text("body")
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    page.screenshot(path=str(screenshots / "app_06_search.png"), full_page=True)
