"""The app's "Prepare" and "Practice" pages in a real Chromium, on a copy of the example: the
prep sheet of Lumen's next round, and a practice rating that is saved and survives a reload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from followup.app import server as followup_app
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

pytestmark = pytest.mark.browser

#: Upper bounds for waiting on the page (milliseconds); limits, not expectations.
PAGE_LIMIT = 90_000
UI_LIMIT = 30_000
SAMPLE = "How do you decide sample sizes for usability tests?"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[followup_app.App]:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path_factory.mktemp("prep") / "data"
    shutil.copytree(EXAMPLE, data)
    server = followup_app.start(data, now=EXAMPLE_NOW)
    try:
        yield server
    finally:
        server.stop()


def serious_axe_findings(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_prepare_shows_the_sheet_of_the_next_round(app, browser, screenshots: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app.page_url("07_prepare.ipynb"), wait_until="commit")
    page.locator("#prep-sheet").wait_for(timeout=PAGE_LIMIT)
    sheet = page.locator("#prep-sheet").inner_text()
    assert "Prepare for Meet the team: Lumen Health" in sheet
    assert SAMPLE in sheet
    assert "Choosing between a usability test and a survey" in sheet  # the story that fits
    assert "55,000 GBP" in sheet
    assert "Sam Okafor" in sheet
    page.screenshot(path=str(screenshots / "app_07_prepare.png"), full_page=True)
    assert serious_axe_findings(page) == []


def test_a_practice_rating_is_saved_and_survives_a_reload(app, browser, screenshots: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app.page_url("08_practice.ipynb"), wait_until="commit")
    card = page.locator(".practice-card", has_text=SAMPLE)
    card.wait_for(timeout=PAGE_LIMIT)
    page.screenshot(path=str(screenshots / "app_08_practice.png"), full_page=True)
    assert serious_axe_findings(page) == []
    card.get_by_role("button", name="Good").click()
    page.get_by_text("Saved: good.").wait_for(timeout=UI_LIMIT)
    expect(page.locator(".practice-card", has_text=SAMPLE)).to_have_count(0, timeout=UI_LIMIT)

    saved = yaml.safe_load((app.data / "practice.yaml").read_text(encoding="utf-8"))
    (rated,) = [c for c in saved["cards"] if c["question"] == SAMPLE]
    assert [r["grade"] for r in rated["reviews"]] == ["good"]

    page.reload(wait_until="commit")
    page.locator(".practice-card").first.wait_for(timeout=PAGE_LIMIT)
    assert page.locator(".practice-card", has_text=SAMPLE).count() == 0
    assert page.locator(".practice-card").count() >= 1  # the others are still due


def test_the_exported_prep_sheet_opens_offline_and_prints_on_at_most_two_pages(
    tmp_path, browser
) -> None:
    from followup.cli.commands import main

    require(kernel_ready(), "the python3 kernel")
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    out = tmp_path / "sheets"
    assert (
        main(["prep", "lumen", "--data", str(data), "--now", EXAMPLE_NOW, "--out", str(out)]) == 0
    )
    sheet = out / "lumen-ux-researcher" / "prep-meet-the-team.html"
    page = browser.new_page()
    page.goto(sheet.as_uri())
    assert "Prepare for Meet the team" in page.inner_text("h1")
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 2, f"{pages} pages"
    assert browser.refused == []
