"""The forms in a real JupyterLab and a real Chromium: type, click, and read the files on disk.

Each test opens a copy of a workbook notebook, runs Run → Run All Cells from the menu, works the
form as a person would, and checks the YAML the kernel wrote. Screenshots of each form are taken
along the way (into $FOLLOWUP_SCREENSHOTS, e.g. notebooks/screenshots, else a temporary folder).
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from support import ROOT

pytestmark = pytest.mark.browser

#: Upper bounds for waiting on the page (milliseconds); they are limits, not expectations.
KERNEL_LIMIT = 120_000
UI_LIMIT = 30_000
NORTHWIND = "Northwind Logistics · Data Analyst"
NORTHWIND_YAML = "opportunities/northwind-data-analyst.yaml"


def kernel_idle(lab, name: str) -> bool:
    """The server's own word: the notebook has a session whose kernel is idle."""
    with urllib.request.urlopen(f"{lab.url}/api/sessions", timeout=5) as response:
        sessions = json.load(response)
    return any(
        s.get("path") == name and (s.get("kernel") or {}).get("execution_state") == "idle"
        for s in sessions
    )


def open_and_run(browser, lab, name: str, *, height: int = 1000):
    """Open a notebook in JupyterLab, Run → Run All Cells, and wait for its form."""
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(lab.notebook_url(name))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=KERNEL_LIMIT)
    deadline = time.monotonic() + KERNEL_LIMIT / 1000
    while not kernel_idle(lab, name):
        assert time.monotonic() < deadline, f"no idle kernel for {name}; see {lab.log}"
        page.wait_for_timeout(250)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_selector(".jp-OutputArea-output .jupyter-widgets", timeout=KERNEL_LIMIT)
    return page


def form(page):
    """The cell output that holds the form."""
    return page.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-widgets")).first


def choose(page, label: str, heading: str) -> None:
    """Pick the opportunity in the form's picker and wait for its form to be drawn."""
    form(page).locator(".widget-dropdown select").first.select_option(label=label)
    page.get_by_text(heading).wait_for(timeout=UI_LIMIT)


def open_tab(page, title: str) -> None:
    form(page).locator(".lm-TabBar-tab", has_text=title).first.click()


def status(page):
    return form(page).locator(".followup-status")


def shoot(page, folder: Path, name: str) -> Path:
    target = folder / name
    page.wait_for_timeout(300)  # let the last redraw settle before the picture
    form(page).screenshot(path=str(target))
    return target


def test_debrief_typed_in_chromium_is_saved_to_the_yaml(browser, lab, screenshots) -> None:
    path = lab.data / NORTHWIND_YAML
    before = path.read_text(encoding="utf-8")
    page = open_and_run(browser, lab, "02_debrief.ipynb")
    choose(page, NORTHWIND, "Debrief · Northwind Logistics")
    open_tab(page, "Overall")
    page.get_by_placeholder("How did it go, honestly?").fill("Calm; the dbt question went well.")
    form(page).get_by_role("button", name="Save").click()
    status(page).get_by_text(re.compile(r"^Saved at")).wait_for(timeout=UI_LIMIT)
    after = path.read_text(encoding="utf-8")
    assert after != before
    debrief = yaml.safe_load(after)["rounds"][0]["debrief"]
    assert debrief["overall_feeling"] == "Calm; the dbt question went well."

    # Autosave: type, don't click, and the kernel saves shortly after.
    form(page).locator("textarea").last.fill("Ask about the on-call rota.")
    status(page).get_by_text(re.compile(r"^Saved automatically")).wait_for(timeout=UI_LIMIT)
    debrief = yaml.safe_load(path.read_text(encoding="utf-8"))["rounds"][0]["debrief"]
    assert debrief["notes"] == "Ask about the on-call rota."
    open_tab(page, "Answers")
    shoot(page, screenshots, "02_debrief.png")


def test_reflect_refuses_a_salary_out_of_order_and_writes_nothing(
    browser, lab, screenshots
) -> None:
    path = lab.data / NORTHWIND_YAML
    before = path.read_bytes()
    page = open_and_run(browser, lab, "03_reflect.ipynb")
    choose(page, NORTHWIND, "Reflect · Northwind Logistics")
    shoot(page, screenshots, "03_reflect.png")
    open_tab(page, "Salary range")
    page.get_by_placeholder("58000").fill("90000")
    beside = form(page).locator(".followup-error", has_text="The minimum (90,000) is above")
    beside.wait_for(timeout=UI_LIMIT)
    form(page).get_by_role("button", name="Save").click()
    status(page).get_by_text(re.compile(r"^Not saved")).wait_for(timeout=UI_LIMIT)
    assert path.read_bytes() == before
    assert not (lab.data / ".history").exists()
    shoot(page, screenshots, "03_reflect_salary.png")


def test_interview_creates_an_opportunity_and_a_round_in_its_time_zone(
    browser, lab, screenshots
) -> None:
    page = open_and_run(browser, lab, "01_interview.ipynb")
    page.get_by_text("A new opportunity", exact=True).wait_for(timeout=UI_LIMIT)
    page.get_by_placeholder("e.g. Northwind Logistics").fill("Acme Maps")
    page.get_by_placeholder("e.g. Data Analyst").fill("GIS Analyst")
    shoot(page, screenshots, "01_new_opportunity.png")
    form(page).get_by_role("button", name="Create").click()
    page.get_by_text("Interview · Acme Maps · GIS Analyst").wait_for(timeout=UI_LIMIT)
    created = lab.data / "opportunities" / "acme-maps-gis-analyst.yaml"
    assert yaml.safe_load(created.read_text(encoding="utf-8"))["company"] == "Acme Maps"

    open_tab(page, "Round")
    page.get_by_placeholder("Phone screen, Round 2, Onsite…").fill("Phone screen")
    form(page).get_by_label("Day", exact=True).fill("2026-11-30")
    form(page).get_by_label("Starting at", exact=True).fill("16:30")
    form(page).get_by_placeholder("Type a city, e.g. Berlin").fill("Oslo")
    page.get_by_text("thank-you notes due by Tue 01 Dec 2026 17:30 CET").wait_for(timeout=UI_LIMIT)
    form(page).get_by_role("button", name="Save").click()
    status(page).get_by_text(re.compile(r"^Saved at")).wait_for(timeout=UI_LIMIT)
    [interview] = yaml.safe_load(created.read_text(encoding="utf-8"))["rounds"]
    assert interview["starts_at"] == "2026-11-30T16:30:00+01:00"
    assert interview["timezone"] == "Europe/Oslo"
    shoot(page, screenshots, "01_interview.png")


def test_follow_up_marks_a_thank_you_sent_and_shows_drafts(browser, lab, screenshots) -> None:
    path = lab.data / NORTHWIND_YAML
    page = open_and_run(browser, lab, "04_follow_up.ipynb")
    choose(page, NORTHWIND, "Follow up · Northwind Logistics")
    shoot(page, screenshots, "04_follow_up.png")
    open_tab(page, "Thank-you notes")
    form(page).get_by_role("button", name="Mark sent").first.click()
    form(page).get_by_text(re.compile(r"Jörg Müller.*sent Thu 26 Nov 2026 18:00")).wait_for(
        timeout=UI_LIMIT
    )
    joerg = yaml.safe_load(path.read_text(encoding="utf-8"))["rounds"][0]["interviewers"][0]
    # The page pretends it opened at 18:00; the note is recorded at the click, moments later.
    sent = datetime.fromisoformat(joerg["thank_you"]["sent_at"])
    opened = datetime.fromisoformat("2026-11-26T18:00:00+01:00")
    assert opened <= sent < opened + timedelta(minutes=10), sent
    open_tab(page, "Drafts")
    draft = form(page).locator("textarea").first
    draft.wait_for(timeout=UI_LIMIT)
    assert "To: Amélie Dubois" in draft.input_value()
    assert form(page).locator("a[href^='mailto:']").count() == 0
    shoot(page, screenshots, "04_follow_up_drafts.png")


def test_dashboard_lists_next_actions_and_links_to_the_chosen_opportunity(
    browser, lab, screenshots
) -> None:
    page = open_and_run(browser, lab, "00_dashboard.ipynb", height=2600)
    form(page).get_by_text("Every process by stage").wait_for(timeout=UI_LIMIT)
    assert form(page).get_by_text("Thank-you note to Jörg Müller").count() == 1
    form(page).locator(".widget-dropdown select").first.select_option(
        label="Harbor Bank · Product Manager, Payments"
    )
    link = form(page).get_by_role("link", name="Follow up: the checklist, actions and drafts")
    link.wait_for(timeout=UI_LIMIT)
    assert (lab.data / ".last-opportunity").read_text(encoding="utf-8") == "harbor-bank-pm"
    shoot(page, screenshots, "00_dashboard.png")
    link.click()
    page.locator(".lm-TabBar-tab", has_text="04_follow_up.ipynb").wait_for(timeout=UI_LIMIT)


def field_input(page, label: str):
    """The input beside a field's label."""
    row = (
        form(page)
        .locator(".widget-hbox")
        .filter(has=page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$")))
    )
    return row.last.locator("input, textarea").first


def tab_titles(page) -> list[str]:
    return [t.strip() for t in form(page).locator(".lm-TabBar-tabLabel").all_inner_texts()]


def test_an_impossible_date_writes_nothing_and_its_tab_says_so(browser, lab, screenshots) -> None:
    path = lab.data / NORTHWIND_YAML
    before = path.read_bytes()
    page = open_and_run(browser, lab, "01_interview.ipynb")
    choose(page, NORTHWIND, "Interview · Northwind Logistics")
    open_tab(page, "Round")
    field_input(page, "Day").fill("2026-02-31")
    beside = form(page).locator(".followup-error", has_text="February 2026 has 28 days")
    beside.wait_for(timeout=UI_LIMIT)
    status(page).get_by_text(re.compile(r"Round › Day")).wait_for(timeout=UI_LIMIT)
    assert path.read_bytes() == before
    assert field_input(page, "Day").input_value() == "2026-02-31"

    # Another tab: its change saves, while the hidden tab's title still points at the problem.
    open_tab(page, "Opportunity")
    field_input(page, "Location").fill("Hamburg, hybrid")
    status(page).get_by_text(re.compile(r"^Saved automatically.*except 1 value")).wait_for(
        timeout=UI_LIMIT
    )
    assert "Round ⚠ 1" in tab_titles(page)
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["location"] == "Hamburg, hybrid"
    assert saved["rounds"][0]["starts_at"] == "2026-11-26T10:00:00+01:00"
    shoot(page, screenshots, "01_interview_error_tab.png")


def test_two_notebooks_on_one_opportunity_merge_and_ask_about_one_field(
    browser, lab, screenshots
) -> None:
    path = lab.data / NORTHWIND_YAML
    interview = open_and_run(browser, lab, "01_interview.ipynb")
    choose(interview, NORTHWIND, "Interview · Northwind Logistics")
    follow_up = open_and_run(browser, lab, "04_follow_up.ipynb")
    choose(follow_up, NORTHWIND, "Follow up · Northwind Logistics")

    # Different fields: both land, without a word.
    open_tab(follow_up, "Recruiter")
    field_input(follow_up, "What happens next").fill("A call with the CFO")
    status(follow_up).get_by_text(re.compile(r"^Saved automatically")).wait_for(timeout=UI_LIMIT)
    open_tab(interview, "Opportunity")
    field_input(interview, "Location").fill("Hamburg, hybrid")
    status(interview).get_by_text(re.compile(r"changes saved elsewhere")).wait_for(timeout=UI_LIMIT)
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["location"] == "Hamburg, hybrid"
    assert saved["timeline"]["next_step"] == "A call with the CFO"
    open_tab(interview, "Next steps")  # the other notebook's value is shown, and marked
    assert field_input(interview, "What happens next").input_value() == "A call with the CFO"
    form(interview).locator(".followup-changed-elsewhere").first.wait_for(timeout=UI_LIMIT)
    shoot(interview, screenshots, "01_interview_changed_elsewhere.png")

    # The same field: the second writer sees both values beside it and chooses.
    field_input(follow_up, "What happens next").fill("Their words")
    status(follow_up).get_by_text(re.compile(r"^Saved automatically")).wait_for(timeout=UI_LIMIT)
    open_tab(interview, "Next steps")
    field_input(interview, "What happens next").fill("My words")
    choice = form(interview).locator(".followup-merge-choice")
    choice.wait_for(timeout=UI_LIMIT)
    assert "My words" in choice.inner_text() and "Their words" in choice.inner_text()
    assert "Next steps ⚠ 1" in tab_titles(interview)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["timeline"]["next_step"] == (
        "Their words"
    )
    # Only that field waits for the choice: another edit meanwhile is saved at once.
    open_tab(interview, "Opportunity")
    field_input(interview, "Location").fill("Hamburg, remote")
    status(interview).get_by_text(
        re.compile(r"^Saved automatically at .*, except 1 field changed here and elsewhere")
    ).wait_for(timeout=UI_LIMIT)
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["location"] == "Hamburg, remote"
    assert saved["timeline"]["next_step"] == "Their words"
    open_tab(interview, "Next steps")
    assert field_input(interview, "What happens next").input_value() == "My words"
    shoot(interview, screenshots, "01_interview_conflict.png")
    choice.get_by_role("button", name="Keep mine").click()
    status(interview).get_by_text(re.compile(r"^Saved at [\d:]+\.$")).wait_for(timeout=UI_LIMIT)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["timeline"]["next_step"] == "My words"


def test_an_invitation_dropped_in_the_interview_form_adds_its_round(
    browser, lab, screenshots
) -> None:
    (lab.data / "settings.yaml").write_text(
        "your_email: alex.morgan@example.org\ntimezone: Europe/Berlin\n", encoding="utf-8"
    )
    invite = ROOT / "tests" / "data" / "invites" / "outlook-onsite.ics"
    before = (lab.data / NORTHWIND_YAML).read_bytes()
    page = open_and_run(browser, lab, "01_interview.ipynb")
    with page.expect_file_chooser() as chooser:
        form(page).locator(".widget-upload").first.click()
    chooser.value.set_files(str(invite))
    form(page).get_by_text("Thu 03 Dec 2026 10:00 CET (Europe/Berlin), 90 min, onsite").wait_for(
        timeout=UI_LIMIT
    )
    assert (lab.data / NORTHWIND_YAML).read_bytes() == before  # previewed, not written
    shoot(page, screenshots, "01_interview_invite_preview.png")
    form(page).get_by_role("button", name="Add to the workbook").click()
    form(page).get_by_text("Added to the workbook: northwind-data-analyst.").wait_for(
        timeout=UI_LIMIT
    )
    rounds = yaml.safe_load((lab.data / NORTHWIND_YAML).read_text(encoding="utf-8"))["rounds"]
    assert rounds[-1]["name"] == "Onsite interview"  # the title's role is not the round's name
    assert rounds[-1]["timezone"] == "Europe/Berlin"
    assert [p["name"] for p in rounds[-1]["interviewers"]] == ["Jörg Müller", "Amélie Dubois"]


def test_a_notebook_opened_and_left_untouched_is_not_modified(browser, lab) -> None:
    """Starting its kernel changes nothing: closing an untouched notebook asks nothing."""
    name = "02_debrief.ipynb"
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(lab.notebook_url(name))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=KERNEL_LIMIT)
    deadline = time.monotonic() + KERNEL_LIMIT / 1000
    while not kernel_idle(lab, name):
        assert time.monotonic() < deadline, f"no idle kernel for {name}; see {lab.log}"
        page.wait_for_timeout(250)
    page.wait_for_timeout(1500)  # the kernel's details reach the notebook after it is idle
    tab = page.locator(".lm-TabBar-tab", has_text=name).first
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or "")
    page.close()
