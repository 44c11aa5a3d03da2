"""`followup offers --format html` in a real Chromium, offline: each offer's chart is drawn from
inside the page, its table and its verdict are there, nothing is asked of another host (the
`browser` fixture fails the test on any such request), no serious axe-core finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import EXAMPLE
from support import run_followup as run

pytestmark = pytest.mark.browser


def test_the_offers_page_draws_each_offer_offline(browser, tmp_path: Path, screenshots: Path):
    from axe_playwright_python.sync_playwright import Axe

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    (data / "settings.yaml").write_text(
        "home_currency: EUR\nrates: {NOK: 0.085, GBP: 1.16}\n", encoding="utf-8"
    )
    out = tmp_path / "offers.html"
    result = run("offers", "--data", str(data), "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(out.as_uri())
    assert page.title() == "Your offers side by side"
    sections = page.locator("section")
    assert sections.count() == 2
    for i in range(sections.count()):
        section = sections.nth(i)
        chart = section.locator("figure img")
        assert chart.get_attribute("src").startswith("data:image/png;base64,")
        assert chart.evaluate("img => img.naturalWidth") > 0, "the chart is drawn"
        assert section.locator("table tbody tr").count() == 4
    lumen = page.locator("#offer-lumen-ux-researcher").inner_text()
    assert "Base 52,000 GBP: 5% below your target (55,000 GBP)" in lumen
    assert (
        "Over 4 years, worth more than Fjord Energy's offer only if the equity is worth 3" in lumen
    )
    page.screenshot(path=str(screenshots / "offers.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
