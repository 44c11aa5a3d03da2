"""The dashboard: every opportunity's next actions, overdue first, the pipeline warning, links."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.app.address import request_query
from followup.clock import parse_now
from followup.forms.dashboard import Dashboard, due_today, notebook, page_link, upcoming
from followup.forms.debrief import notebook as debrief_notebook
from followup.forms.page import esc, remembered
from followup.steps import Stage, overview, stage
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)


def test_opportunities_are_listed_in_the_checklists_order(example_dir: Path) -> None:
    book = Workbook(example_dir)
    board = Dashboard(book, NOW)
    expected = [c.opportunity.title for c in overview(book.load().opportunities, NOW).checklists]
    html = board.overview.value
    positions = [html.index(title.replace("&", "&amp;")) for title in expected]
    assert positions == sorted(positions)


def test_an_overdue_step_comes_first(example_dir: Path) -> None:
    board = Dashboard(Workbook(example_dir), parse_now("2026-12-20T12:00:00+01:00"))
    first = board.view.checklists[0]
    assert first.open_steps[0].state.value == "overdue"
    html = board.overview.value
    assert html.index(esc(first.opportunity.title)) < min(
        html.index(esc(c.opportunity.title)) for c in board.view.checklists[1:]
    )


def test_too_few_open_processes_show_the_keep_searching_warning(example_dir: Path) -> None:
    (example_dir / "settings.yaml").write_text("min_active: 10\n", encoding="utf-8")
    board = Dashboard(Workbook(example_dir), NOW)
    assert "Keep searching." in board.widget.children[1].value
    assert "aim for at least 10" in board.widget.children[1].value


def test_choosing_an_opportunity_links_the_notebooks_that_open_on_it(example_dir: Path) -> None:
    book = Workbook(example_dir)
    board = Dashboard(book, NOW)
    board.picker.value = "harbor-bank-pm"
    assert remembered(book) == "harbor-bank-pm"
    markdown = board.links.outputs[0]["data"]["text/markdown"]
    for name in ("01_interview.ipynb", "02_debrief.ipynb", "03_reflect.ipynb", "04_follow_up"):
        assert f"({name}" in markdown
    page = debrief_notebook(str(example_dir), "", "", EXAMPLE_NOW, autosave_seconds=None)
    assert page.editor.opportunity.id == "harbor-bank-pm"


def test_a_broken_file_is_named_and_the_rest_still_shown(example_dir: Path) -> None:
    (example_dir / "opportunities" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    board = Dashboard(Workbook(example_dir), NOW)
    messages = " ".join(getattr(c, "value", "") for c in board.widget.children)
    assert "broken.yaml" in messages and "company" in messages
    assert "Northwind Logistics" in board.overview.value


def test_an_empty_workbook_opens_on_a_welcome_with_one_way_in(tmp_path: Path) -> None:
    board = Dashboard(Workbook(tmp_path), NOW)
    assert board.picker is None and board.welcome
    page = board.overview.value
    assert page.count("<li>") == 3, "what the workbook does, in three lines"
    assert page.count("<a ") == 1 and "href='01_interview.ipynb'" in page
    assert ">Record an interview</a>" in page
    shown = " ".join(getattr(c, "value", "") for c in board.widget.children)
    assert "Keep searching" not in shown and "Only 0" not in shown, "no nudge with nothing to say"


def test_the_keep_searching_nudge_appears_once_there_is_an_opportunity(example_dir: Path) -> None:
    board = Dashboard(Workbook(example_dir), NOW)
    assert not board.welcome
    assert "Keep searching" in board.widget.children[1].value or "Keep going" in (
        board.widget.children[1].value
    )


def test_blocked_linkedin_steps_are_not_listed_as_tasks(example_dir: Path) -> None:
    book = Workbook(example_dir)
    board = Dashboard(book, NOW)
    view = overview(book.load().opportunities, NOW)
    linkedin = [s for c in view.checklists for s in c.steps if s.kind == "linkedin"]
    blocked = [s for s in linkedin if s.state.value == "blocked"]
    shown = [s for s in linkedin if s.state.value != "blocked" and s.state.open]
    assert blocked and shown, "the example has open processes and one that has ended"
    assert board.overview.value.count("<b>Connect on LinkedIn</b>") == len(shown)


def test_headless_dashboard_is_plain_html(example_dir: Path) -> None:
    shown = notebook(str(example_dir), EXAMPLE_NOW, interactive=False)
    assert "Your follow-ups" in shown.data
    assert "Harbor Bank" in shown.data


def test_upcoming_interviews_are_the_next_14_days_in_the_persons_zone(
    example_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    week_before = parse_now("2026-11-20T18:00:00+01:00")
    board = Dashboard(Workbook(example_dir), week_before)
    starts = [(o.id, r.name) for r, o in upcoming(board.view)]
    assert starts == [
        ("northwind-data-analyst", "Onsite"),
        ("lumen-ux-researcher", "Meet the team"),
    ]
    assert "Thu 26 Nov 2026 10:00" in board.agenda.value
    assert "07_prepare.ipynb" in board.agenda.value, "each upcoming round links its prep sheet"
    assert "UTC" not in board.agenda.value
    assert upcoming(board.view, days=5) == [], "six days ahead is outside a five-day window"
    after = Dashboard(Workbook(example_dir), NOW)
    later = [(o.id, r.name) for r, o in upcoming(after.view)]
    assert later == [("lumen-ux-researcher", "Meet the team")], "Onsite has started"


def test_due_today_lists_overdue_steps_and_nothing_due_later(example_dir: Path) -> None:
    board = Dashboard(Workbook(example_dir), NOW)
    listed = due_today(board.view)
    assert listed, "the example has a check-in that is overdue"
    assert "end of Thu 19 Nov 2026" in board.agenda.value, "due as the checklist says, in its zone"
    for step, _ in listed:
        assert step.state.actionable
        assert step.state.value == "overdue" or step.due.date() <= NOW.date()
    later = [
        s
        for c in board.view.checklists
        for s in c.open_steps
        if s.due and s.due.astimezone(NOW.tzinfo).date() > NOW.date() and s.state.value != "overdue"
    ]
    assert later and not any(s in [step for step, _ in listed] for s in later)


def test_the_board_puts_every_process_in_the_column_the_rules_give(example_dir: Path) -> None:
    book = Workbook(example_dir)
    board = Dashboard(book, NOW)
    html = board.board.value
    columns = html.split("<td")[1:]
    assert [c.split("<b>")[1].split("</b>")[0] for c in columns] == [
        s.value.capitalize() for s in Stage
    ]
    for checks in board.view.checklists:
        o = checks.opportunity
        [column] = [c for c in columns if esc(o.title) in c]
        assert f"<b>{stage(o, NOW).value.capitalize()}</b>" in column
    assert "05_compare.ipynb" in html


def test_in_the_app_links_carry_the_opportunity_in_the_address(
    example_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "opportunity=harbor-bank-pm")
    request_query.cache_clear()
    try:
        assert remembered(Workbook(example_dir)) == "harbor-bank-pm"
        board = Dashboard(Workbook(example_dir), NOW)
        assert "04_follow_up.ipynb?opportunity=northwind-data-analyst" in board.board.value
        page = debrief_notebook(str(example_dir), "", "", EXAMPLE_NOW, autosave_seconds=None)
        assert page.editor.opportunity.id == "harbor-bank-pm"
    finally:
        request_query.cache_clear()
    monkeypatch.delenv("VOILA_PREHEAT")
    assert page_link("follow_up", "harbor-bank-pm") == "04_follow_up.ipynb", "JupyterLab: plain"


def test_the_workbook_folder_reads_with_a_tilde_for_the_home_folder(tmp_path, monkeypatch):
    from followup.forms.dashboard import shown_path

    monkeypatch.setenv("HOME", str(tmp_path / "ana"))
    assert shown_path(tmp_path / "ana" / "my-search") == "~/my-search"
    assert shown_path(tmp_path / "elsewhere") == str((tmp_path / "elsewhere").resolve())


def test_the_dashboard_keeps_the_trash_within_reach_until_it_is_emptied(example_dir: Path) -> None:
    book = Workbook(example_dir)
    assert Dashboard(book, NOW).trash.rows == {}  # nothing in the trash: nothing shown
    book.trash("northwind-data-analyst")
    board = Dashboard(book, NOW)
    assert list(board.trash.rows) == ["northwind-data-analyst"]
    assert board.trash.widget in board.widget.children
    board.trash.rows["northwind-data-analyst"].children[1].click()
    assert book.get("northwind-data-analyst").opportunity.company == "Northwind Logistics"
    assert board.trash.rows == {} and "Brought back" in board.trash.status.value
    assert "Open Northwind Logistics" in board.trash.status.value
    assert "Northwind Logistics" in board.overview.value  # drawn again at once
    assert "Northwind Logistics" in board.board.value
    # With every opportunity in the trash, the welcome page still offers them back.
    for stored in book.load().stored.values():
        book.trash(stored.opportunity.id)
    empty = Dashboard(book, NOW)
    assert empty.welcome and len(empty.trash.rows) == 5
    assert empty.trash.widget in empty.widget.children
    next(iter(empty.trash.rows.values())).children[1].click()
    assert not empty.welcome and empty.board is not None  # the board, no longer the welcome
    book.empty_trash()
    assert Dashboard(book, NOW).trash.rows == {}
