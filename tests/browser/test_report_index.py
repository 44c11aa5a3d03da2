"""The reports in a real Chromium, offline: the index links every report, nothing fails to load."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from followup import batch
from followup.clock import parse_now
from followup.store import Workbook
from support import EXAMPLE, EXAMPLE_NOW, chromium, kernel_ready, require


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
def browser():
    with chromium() as launched:
        yield launched


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
    expected = {Path(o.path).resolve().as_uri() for o in result.made}
    assert set(hrefs) == expected
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
    assert count == len(result.made)
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
