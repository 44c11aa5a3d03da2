"""The app's Offer page in a real Chromium, on a copy of the example: Fjord Energy's offer with its
chart, table and verdict; a value typed that survives a reload; a cliff the model refuses marked
beside its field; an opportunity without an offer opening on "Record the offer". axe-core finds
no serious problem, and the `browser` fixture fails a test whose page asks another host."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from followup.app import server as followup_app
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

pytestmark = pytest.mark.browser

#: Upper bounds for waiting on the page (milliseconds); limits, not expectations.
PAGE_LIMIT = 90_000
UI_LIMIT = 30_000
FJORD = "fjord-energy-analyst"
NORTHWIND = "northwind-data-analyst"
PAGE = "09_offer.ipynb"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[followup_app.App]:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path_factory.mktemp("offer") / "data"
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


def open_offer(browser, app: followup_app.App, opportunity: str, ready: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app.page_url(PAGE, opportunity), wait_until="commit")
    page.get_by_text(ready).first.wait_for(timeout=PAGE_LIMIT)
    page.wait_for_timeout(500)  # let the widgets finish drawing
    return page


def field(page, label: str):
    return page.get_by_label(label, exact=True).filter(visible=True)


def saved_offer(app: followup_app.App, opportunity: str) -> dict | None:
    path = app.data / "opportunities" / f"{opportunity}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("offer")


def wait_saved(page) -> None:
    page.locator(".followup-status").get_by_text(re.compile(r"^Saved")).first.wait_for(
        timeout=UI_LIMIT
    )


def test_the_offer_page_shows_the_years_chart_and_verdict_and_a_value_survives_a_reload(
    app, browser, screenshots: Path
) -> None:
    page = open_offer(browser, app, FJORD, "Offer · Fjord Energy")
    view = page.locator(".followup-offer-view")
    chart = view.locator("figure img")
    assert chart.get_attribute("src").startswith("data:image/png;base64,")
    assert chart.evaluate("img => img.naturalWidth") > 0, "the chart is drawn"
    assert view.locator("table tbody tr").count() == 4
    assert "The sign-on is paid back if you leave within 12 months." in view.inner_text()
    assert view.get_by_role("link", name="the Follow up page").get_attribute("href") == (
        f"04_follow_up.ipynb?opportunity={FJORD}"
    )
    assert view.get_by_role("link", name="the Compare page").count() == 1
    assert field(page, "Base salary").input_value() == "780,000"
    page.screenshot(path=str(screenshots / "app_09_offer.png"), full_page=True)
    assert serious_axe_findings(page) == []

    field(page, "Paid days off").fill("27")
    field(page, "Cliff months").fill("48")  # after the last of the grant's three years
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Cliff months.").first.wait_for(timeout=UI_LIMIT)  # named in the status
    errors = " ".join(page.locator(".followup-error").all_inner_texts())
    assert "after the last of its 3 years" in errors
    offer = saved_offer(app, FJORD)
    assert offer["pto_days"] == 27
    assert offer["equity"][0]["vesting"]["cliff_months"] == 12

    page.reload(wait_until="commit")
    page.get_by_text("Offer · Fjord Energy").first.wait_for(timeout=PAGE_LIMIT)
    assert field(page, "Paid days off").input_value() == "27"
    assert field(page, "Cliff months").input_value() == "12"


def test_an_opportunity_without_an_offer_opens_on_record_the_offer_and_saves_one(
    app, browser, screenshots: Path
) -> None:
    assert saved_offer(app, NORTHWIND) is None
    page = open_offer(browser, app, NORTHWIND, "Offer · Northwind Logistics")
    assert page.get_by_text("Record the offer").count() >= 1
    assert field(page, "Base salary").input_value() == ""
    assert serious_axe_findings(page) == []
    field(page, "Base salary").fill("61000")
    field(page, "Answer by").fill("2026-12-04")
    wait_saved(page)
    offer = saved_offer(app, NORTHWIND)
    assert (offer["currency"], offer["base"], offer["answer_by"]) == ("EUR", 61000, "2026-12-04")
    view = page.locator(".followup-offer-view")
    view.get_by_text("Base 61,000 EUR").wait_for(timeout=UI_LIMIT)
    page.screenshot(path=str(screenshots / "app_09_offer_new.png"), full_page=True)
