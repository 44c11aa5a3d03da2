"""The reports in a real Chromium, offline: the index links every report, nothing fails to load."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from followup.clock import parse_now
from followup.reports import batch
from followup.storage.workbook import Workbook
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, batch.Result]:
    require(kernel_ready(batch.KERNEL_NAME), "a python3 Jupyter kernel")
    data = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(EXAMPLE, data)
    out = data.parent / "reports"
    result = batch.run(Workbook(data), out, parse_now(EXAMPLE_NOW), jobs=2)
    assert not result.failed, [o.error for o in result.failed]
    return out, result


@pytest.fixture(scope="module")
def browser(module_browser):
    return module_browser


class Watch:
    """Every request a page makes, and those that failed or left this machine."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))

    @property
    def remote(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).scheme not in ("file", "data")]


@pytest.mark.browser
@pytest.mark.kernel
def test_the_index_opens_offline_and_links_every_report(reports, browser):
    out, result = reports
    context = browser.new_context(offline=True)
    page = context.new_page()
    watch = Watch(page)
    page.goto((out / "index.html").as_uri())
    assert page.title() == "Your interview reports"
    hrefs = page.eval_on_selector_all("a.report", "links => links.map(a => a.href)")
    preps = page.eval_on_selector_all("a.prep", "links => links.map(a => a.href)")
    made = {Path(o.path).resolve().as_uri() for o in result.made}
    sheets = {uri for uri in made if uri.rsplit("/", 1)[1].startswith("prep-")}
    assert set(hrefs) == made - sheets and set(preps) == sheets
    assert sheets, "the example has a round to come: its prep sheet is linked"
    assert page.locator("#comparison tbody tr").count() == 5
    assert page.locator("#pipeline tbody tr").count() == 5
    assert watch.failed == [] and watch.remote == []
    context.close()


@pytest.mark.browser
@pytest.mark.kernel
def test_each_report_opens_from_the_index_with_its_charts_and_no_failed_request(reports, browser):
    out, result = reports
    context = browser.new_context(offline=True)
    page = context.new_page()
    watch = Watch(page)
    page.goto((out / "index.html").as_uri())
    count = page.locator("a.report").count()
    assert count == len([o for o in result.made if not Path(o.path).name.startswith("prep-")])
    for index in range(count):
        page.goto((out / "index.html").as_uri())
        page.locator("a.report").nth(index).click()
        page.wait_for_load_state("load")
        assert page.url.endswith(".html") and page.url != (out / "index.html").as_uri()
        assert page.locator("h1").first.inner_text().strip()
        images = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])"
        )
        assert images, page.url
        assert all(done and width > 0 for done, width in images), page.url
        assert page.locator("script").count() == 0
    assert watch.failed == [] and watch.remote == []
    context.close()


#: A window a person reads in, and an A4 page's printable width at 96 dpi.
SIZES = {"screen": {"width": 1280, "height": 900}, "print": {"width": 718, "height": 1000}}
PAGES = ["index.html", "northwind-data-analyst/onsite.html", "lumen-ux-researcher/final-round.html"]


@pytest.mark.browser
@pytest.mark.kernel
@pytest.mark.parametrize("size", list(SIZES))
def test_the_index_and_reports_fit_the_window_and_the_page_with_every_image_shown(
    reports, browser, screenshots, size
):
    out, _ = reports
    context = browser.new_context(offline=True, viewport=SIZES[size])
    page = context.new_page()
    watch = Watch(page)
    page.emulate_media(media="print" if size == "print" else "screen")
    for name in PAGES:
        page.goto((out / name).as_uri())
        page.wait_for_load_state("load")
        width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], f"{name} scrolls sideways at {size} size: {width}"
        images = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.alt])"
        )
        assert all(done and natural > 0 and alt for done, natural, alt in images), name
        if name != "index.html":
            assert images, f"{name} has no chart"
            heading = page.locator("h1").first.inner_text()
            assert " · " in heading, heading  # which opportunity and which round
            if size == "screen":
                page.locator("a", has_text="All your reports").click()
                page.wait_for_load_state("load")
                assert page.url == (out / "index.html").as_uri()
                page.go_back()
        stem = "index" if name == "index.html" else Path(name).parent.name
        page.screenshot(path=str(screenshots / f"report_{stem}_{size}.png"), full_page=True)
    assert watch.failed == [] and watch.remote == []
    context.close()
