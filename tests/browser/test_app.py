"""`followup app` in a real Chromium: a person's first evening with an empty workbook.

One app server (real Voilà, real kernels) serves the whole module. The walk starts on the start
page, records an interview with two interviewers, writes a debrief, sets a salary range, marks a
thank-you sent and opens the comparison, checking the YAML on disk after each step. Screenshots go
to $FOLLOWUP_SCREENSHOTS (e.g. docs/screenshots), else a temporary folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from followup.app import server as followup_app
from support import kernel_ready, require

pytestmark = pytest.mark.browser

#: Upper bounds for waiting on the page (milliseconds); limits, not expectations.
PAGE_LIMIT = 90_000
UI_LIMIT = 30_000
ACME = "acme-maps-gis-analyst"
#: Words a job seeker should never have to read in the app.
JARGON = re.compile(r"\bkernel\b|Run All|Traceback|Error displaying widget", re.IGNORECASE)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[followup_app.App]:
    require(kernel_ready(), "the python3 kernel")
    server = followup_app.start(tmp_path_factory.mktemp("app") / "my-workbook")
    try:
        yield server
    finally:
        server.stop()


def open_page(page, url: str, ready: str) -> None:
    """Go to a page of the app and wait until the text `ready` shows in its form."""
    page.goto(url, wait_until="commit")
    page.get_by_text(ready).first.wait_for(timeout=PAGE_LIMIT)


def shoot(page, folder: Path, name: str) -> None:
    page.wait_for_timeout(300)  # let the last redraw settle before the picture
    page.screenshot(path=str(folder / name), full_page=True)


def plain(page) -> None:
    """No code, no kernel talk, no Run All, no traceback on the page."""
    body = page.inner_text("body")
    assert not JARGON.search(body), JARGON.search(body).group(0)
    code = ".jp-CodeCell .jp-InputArea:visible, .jp-CodeMirrorEditor:visible, pre.highlight:visible"
    assert page.locator(code).count() == 0


def save(page) -> None:
    page.get_by_role("button", name="Save").click()
    page.locator(".followup-status").get_by_text(re.compile(r"^Saved")).first.wait_for(
        timeout=UI_LIMIT
    )


def saved(app: followup_app.App) -> dict:
    return yaml.safe_load((app.data / "opportunities" / f"{ACME}.yaml").read_text("utf-8"))


def test_a_first_evening_in_the_app_from_the_start_page_to_the_comparison(
    app, browser, screenshots
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # The start page: what the workbook does, and one button.
    open_page(page, app.url, "Record an interview")
    assert page.title() == "Your follow-ups", "the tab names the page, not a file"
    welcome = page.locator(".followup-welcome")
    assert welcome.locator("li").count() == 3
    assert welcome.get_by_role("link").count() == 1
    assert "Keep searching" not in page.inner_text("body")
    plain(page)
    shoot(page, screenshots, "app_00_start.png")
    page.get_by_role("link", name="Record an interview").click()

    # Record an interview with two interviewers.
    page.get_by_text("A new opportunity", exact=True).wait_for(timeout=PAGE_LIMIT)
    page.get_by_placeholder("e.g. Northwind Logistics").fill("Acme Maps")
    page.get_by_placeholder("e.g. Data Analyst").fill("GIS Analyst")
    page.get_by_role("button", name="Create").click()
    page.get_by_text("Interview · Acme Maps · GIS Analyst").wait_for(timeout=UI_LIMIT)
    page.get_by_text(f"Created and saved as {ACME}.yaml.", exact=False).wait_for(timeout=UI_LIMIT)
    assert saved(app)["company"] == "Acme Maps"
    # The address follows what the page shows: a reload opens the opportunity just created.
    page.wait_for_function(f"location.search.includes('opportunity={ACME}')", timeout=UI_LIMIT)
    page.reload(wait_until="commit")
    page.get_by_text("Interview · Acme Maps · GIS Analyst").wait_for(timeout=PAGE_LIMIT)
    page.locator(".lm-TabBar-tab", has_text="Round").first.click()
    page.get_by_placeholder("Phone screen, Round 2, Onsite…").fill("Onsite")
    page.get_by_label("Day", exact=True).fill("2026-11-26")
    page.get_by_label("Starting at", exact=True).fill("10:00")
    page.locator(".lm-TabBar-tab", has_text="People").first.click()
    names = page.get_by_placeholder("As they write it")
    for count, name in enumerate(("Dana Ortiz", "Sam Lee"), start=1):
        page.get_by_role("button", name="Add an interviewer").click()
        names.nth(count - 1).wait_for(timeout=UI_LIMIT)
        names.nth(count - 1).fill(name)
    save(page)
    [interview] = saved(app)["rounds"]
    assert interview["name"] == "Onsite"
    assert [p["name"] for p in interview["interviewers"]] == ["Dana Ortiz", "Sam Lee"]
    plain(page)
    shoot(page, screenshots, "app_01_interview.png")

    # Debrief: the page address names the opportunity, so a bookmark opens it.
    open_page(page, app.page_url("02_debrief.ipynb", ACME), "Debrief · Acme Maps")
    page.locator(".lm-TabBar-tab", has_text="Overall").first.click()
    page.get_by_placeholder("How did it go, honestly?").fill("Warm; the map demo landed.")
    save(page)
    assert saved(app)["rounds"][0]["debrief"]["overall_feeling"] == "Warm; the map demo landed."
    plain(page)
    shoot(page, screenshots, "app_02_debrief.png")

    # Salary range.
    open_page(page, app.page_url("03_reflect.ipynb", ACME), "Reflect · Acme Maps")
    page.locator(".lm-TabBar-tab", has_text="Salary range").first.click()
    page.get_by_placeholder("EUR").fill("EUR")
    page.get_by_placeholder("58000").fill("58000")
    page.get_by_placeholder("64000").fill("64000")
    page.get_by_placeholder("70000").fill("70000")
    save(page)
    salary = saved(app)["salary_range"]
    assert (salary["currency"], salary["minimum"], salary["target"], salary["stretch"]) == (
        "EUR",
        58000,
        64000,
        70000,
    )
    plain(page)
    shoot(page, screenshots, "app_03_salary.png")

    # The dashboard's board shows the process; its card opens the follow-up on it.
    open_page(page, app.url, "Every process by stage")
    board = page.locator(".followup-board")
    assert "Acme Maps · GIS Analyst" in board.inner_text()
    plain(page)
    shoot(page, screenshots, "app_00_dashboard.png")
    board.get_by_role("link", name="Acme Maps · GIS Analyst").click()
    page.get_by_text("Follow up · Acme Maps").wait_for(timeout=PAGE_LIMIT)
    assert page.url.split("?", 1)[1] == f"opportunity={ACME}", "the address names the process"

    # Mark the first thank-you sent.
    page.locator(".lm-TabBar-tab", has_text="Thank-you notes").first.click()
    page.get_by_role("button", name="Mark sent").first.click()
    page.get_by_text(re.compile(r"Dana Ortiz.*sent \w{3} \d")).first.wait_for(timeout=UI_LIMIT)
    people = saved(app)["rounds"][0]["interviewers"]
    assert people[0]["thank_you"]["sent_at"], "Dana's note is marked sent on disk"
    assert not people[1].get("thank_you", {}).get("sent_at"), "Sam's is still to send"
    plain(page)
    shoot(page, screenshots, "app_04_follow_up.png")

    # The browser's back button returns to the dashboard, which links to the comparison.
    page.go_back(wait_until="commit")
    page.get_by_text("Every process by stage").wait_for(timeout=PAGE_LIMIT)
    page.get_by_role("link", name="compare them").click()
    page.get_by_text("Acme Maps").first.wait_for(timeout=PAGE_LIMIT)
    cells = page.locator("#ranking tbody tr").first.locator("td")
    align = "e => getComputedStyle(e).textAlign"
    assert cells.nth(1).evaluate(align) == "left", "text reads from the left, as in the reports"
    assert cells.nth(0).evaluate(align) == "right", "numbers stay right-aligned"
    plain(page)
    shoot(page, screenshots, "app_05_compare.png")
