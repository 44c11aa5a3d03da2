"""A file broken by hand is named, never hides behind 'no opportunities', and is repaired from
the last version that could be read: on the command line and on the dashboard."""

from __future__ import annotations

from pathlib import Path

from followup.clock import parse_now
from followup.forms.dashboard import Dashboard
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW
from support import run_followup as run

ID = "northwind-data-analyst"


def _saved_then_broken(root: Path) -> Path:
    """One save by followup (a version in the history), then a typo made by hand."""
    assert run("done", "northwind", "research", "--data", str(root)).returncode == 0
    path = root / "opportunities" / f"{ID}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: active", "status: actve"))
    return path


def test_status_names_the_broken_file_and_the_command_that_repairs_it(example_dir: Path):
    _saved_then_broken(example_dir)
    result = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert f"{ID}.yaml:" in result.stderr and "field status" in result.stderr
    assert f"followup restore {ID} --version 2" in result.stderr
    repair = run("restore", ID, "--version", "2", "--data", str(example_dir))
    assert repair.returncode == 0, repair.stderr
    again = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert again.returncode == 0 and "Northwind Logistics" in again.stdout


def test_a_workbook_whose_only_file_is_broken_does_not_say_it_is_empty(tmp_path: Path):
    book = Workbook(tmp_path)
    path = book.path_for("solo")
    path.parent.mkdir(parents=True)
    path.write_text("id: solo\ncompany: Solo\nstatus: actve\n", encoding="utf-8")
    result = run("status", "--data", str(tmp_path), "--now", EXAMPLE_NOW)
    assert "No opportunities yet" not in result.stdout
    assert "No opportunity could be read: 1 file could not be read" in result.stdout
    assert "solo.yaml:3: field status" in result.stderr


def test_the_dashboard_offers_to_repair_a_broken_file_and_does(example_dir: Path):
    path = _saved_then_broken(example_dir)
    board = Dashboard(Workbook(example_dir), parse_now(EXAMPLE_NOW))
    buttons = [
        b
        for box in board.widget.children
        for row in getattr(box, "children", ())
        for b in getattr(row, "children", ())
        if getattr(b, "description", "") == "Repair from the last good version"
    ]
    assert len(buttons) == 1
    buttons[0].click()
    assert "status: active" in path.read_text(encoding="utf-8")
    assert Workbook(example_dir).load().problems == []
