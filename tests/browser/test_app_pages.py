"""Every page of `followup app`, in a real Chromium, for a person who uses a screen reader or a
keyboard, and for one who is offline.

One app server (real Voilà, real kernels) serves a copy of the example workbook. axe-core checks
each page; Playwright finds each field by its label, as a screen reader names it; Tab walks the
interview form; and the `browser` fixture refuses (and fails the test on) any request that would
leave this machine.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.app import server as followup_app
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

pytestmark = pytest.mark.browser

#: Upper bounds for waiting on the page (milliseconds); limits, not expectations.
PAGE_LIMIT = 90_000
UI_LIMIT = 30_000
NORTHWIND = "northwind-data-analyst"
#: Each page, the opportunity it opens on, and a text that shows once its form is drawn.
PAGES = {
    "00_dashboard.ipynb": ("", "Every process by stage"),
    "01_interview.ipynb": (NORTHWIND, "Interview · Northwind Logistics"),
    "02_debrief.ipynb": (NORTHWIND, "Debrief · Northwind Logistics"),
    "03_reflect.ipynb": (NORTHWIND, "Reflect · Northwind Logistics"),
    "04_follow_up.ipynb": (NORTHWIND, "Follow up · Northwind Logistics"),
    "05_compare.ipynb": (NORTHWIND, "Your ranking"),
}
#: The fields of the interview form's first two tabs, in reading order.
OPPORTUNITY_FIELDS = [
    "Company",
    "Role",
    "Location",
    "Job posting",
    "Applied on",
    "Came through",
    "Recruiter",
    "Their title",
    "Their email",
    "Their phone",
]
ROUND_FIELDS = [
    "Round",
    "Name of the round",
    "Day",
    "Starting at",
    "Time zone",
    "Minutes",
    "Format",
]
#: The name of the element that has the keyboard focus: its label's text, else its own text.
FOCUSED = """() => {
  const e = document.activeElement;
  const label = e && e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
  return label ? label.textContent.trim() : (e ? e.textContent.trim() : "");
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[followup_app.App]:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path_factory.mktemp("pages") / "data"
    shutil.copytree(EXAMPLE, data)
    server = followup_app.start(data, now=EXAMPLE_NOW)
    try:
        yield server
    finally:
        server.stop()


def labelled(page, label: str):
    """The input shown on the page whose label reads exactly `label`."""
    return page.get_by_label(label, exact=True).filter(visible=True)


def open_page(browser, app: followup_app.App, name: str):
    opportunity, ready = PAGES[name]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app.page_url(name, opportunity), wait_until="commit")
    page.get_by_text(ready).first.wait_for(timeout=PAGE_LIMIT)
    page.wait_for_timeout(500)  # let the widgets finish drawing
    return page


def serious_problems(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_no_app_page_has_a_serious_accessibility_problem_or_asks_another_host(
    app, browser, screenshots: Path, name: str
) -> None:
    page = open_page(browser, app, name)
    assert serious_problems(page) == []
    page.screenshot(path=str(screenshots / f"access_{name.removesuffix('.ipynb')}.png"))
    # The `browser` fixture fails this test if the page asked any other host for anything.


def test_every_interview_field_is_named_by_its_label(app, browser) -> None:
    page = open_page(browser, app, "01_interview.ipynb")
    for label in ROUND_FIELDS:
        field = labelled(page, label)
        assert field.count() == 1, label
        assert field.evaluate("e => e.tagName") in ("INPUT", "SELECT", "TEXTAREA"), label
    page.locator(".lm-TabBar-tab", has_text="Opportunity").first.click()
    labelled(page, "Company").wait_for(timeout=UI_LIMIT)
    for label in OPPORTUNITY_FIELDS:
        assert labelled(page, label).count() == 1, label
    assert labelled(page, "Company").input_value() == "Northwind Logistics"


def test_each_reason_beside_a_rating_is_named_for_screen_readers_without_a_label_shown(
    app, browser
) -> None:
    page = open_page(browser, app, "03_reflect.ipynb")
    reason = labelled(page, "Why, for people")
    assert reason.count() == 1
    assert reason.get_attribute("placeholder") == "why, in a few words"
    label = page.locator(f"label[for='{reason.get_attribute('id')}']")
    assert label.bounding_box()["width"] <= 1, "the name is for screen readers; the row shows it"


def test_tab_goes_through_the_fields_in_reading_order_and_then_to_save_not_the_trash(
    app, browser
) -> None:
    page = open_page(browser, app, "01_interview.ipynb")
    page.locator(".lm-TabBar-tab", has_text="Opportunity").first.click()
    labelled(page, "Company").focus()
    visited = [page.evaluate(FOCUSED)]
    for _ in OPPORTUNITY_FIELDS:
        page.keyboard.press("Tab")
        visited.append(page.evaluate(FOCUSED))
    assert visited == [*OPPORTUNITY_FIELDS, "Save"]
    assert "trash" not in visited[-1].lower()


@pytest.mark.parametrize(
    ("name", "opening"),
    [
        ("00_dashboard.ipynb", "Opening your follow-ups…"),
        ("02_debrief.ipynb", "Opening the debrief…"),
    ],
)
def test_the_loading_line_says_what_is_opening(app, name: str, opening: str) -> None:
    with urllib.request.urlopen(app.page_url(name, PAGES[name][0]), timeout=120) as response:
        text = response.read().decode("utf-8")
    assert opening in text
    assert "Running " not in text
    assert "cdn.jsdelivr.net" not in text, "no stylesheet from another host"


def test_leaving_a_page_stops_its_kernel_at_once_not_at_the_idle_cull(app, browser) -> None:
    page = open_page(browser, app, "02_debrief.ipynb")
    config = page.locator("#jupyter-config-data").text_content()
    kernel_id = json.loads(config)["kernelId"]
    page.goto(app.page_url("00_dashboard.ipynb"), wait_until="commit")
    page.get_by_text(PAGES["00_dashboard.ipynb"][1]).first.wait_for(timeout=PAGE_LIMIT)
    deadline = time.monotonic() + PAGE_LIMIT / 1000
    while f"Kernel shutdown: {kernel_id}" not in app.log_tail(200_000):
        assert time.monotonic() < deadline, "the debrief's kernel is still running"
        time.sleep(0.5)
    log = app.log_tail(200_000)
    assert not re.search(rf"Culling .*{kernel_id}", log), "stopped by the page's beacon"
    assert "_xsrf' argument missing" not in log
    page.close()
