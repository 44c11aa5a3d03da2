"""The dashboard: every opportunity's next actions, overdue first, the pipeline warning, links."""

from __future__ import annotations

from pathlib import Path

from followup.clock import parse_now
from followup.forms.common import esc, remembered
from followup.forms.dashboard import Dashboard, notebook
from followup.forms.debrief import notebook as debrief_notebook
from followup.rules import overview
from followup.store import Workbook
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
    linkedin = [s for c in view.checklists for s in c.steps if s.kind.value == "linkedin"]
    blocked = [s for s in linkedin if s.state.value == "blocked"]
    shown = [s for s in linkedin if s.state.value != "blocked" and s.state.open]
    assert blocked and shown, "the example has open processes and one that has ended"
    assert board.overview.value.count("<b>Connect on LinkedIn</b>") == len(shown)


def test_headless_dashboard_is_plain_html(example_dir: Path) -> None:
    shown = notebook(str(example_dir), EXAMPLE_NOW, interactive=False)
    assert "Your follow-ups" in shown.data
    assert "Harbor Bank" in shown.data
