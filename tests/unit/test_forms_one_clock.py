"""The pages read the same checklist as the command line: one clock for actions, one zone for
times, and the cancelled rounds left out everywhere."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from followup.clock import Clock, parse_now
from followup.forms.dashboard import Dashboard, upcoming
from followup.forms.follow_up import FollowUpForm
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

ID = "northwind-data-analyst"


def _data(root: Path) -> dict:
    return yaml.safe_load((root / "opportunities" / f"{ID}.yaml").read_text(encoding="utf-8"))


def test_mark_sent_records_the_time_of_the_click_not_of_the_page(example_dir: Path) -> None:
    opened = datetime.now(ZoneInfo("Europe/Berlin")).replace(microsecond=0)
    book = Workbook(example_dir)
    form = FollowUpForm(book, book.get(ID), opened, autosave_seconds=None)
    time.sleep(1.2)  # the page stays open a while before the click
    assert form.mark_thank_you(0, "Jörg Müller")
    sent = datetime.fromisoformat(
        _data(example_dir)["rounds"][0]["interviewers"][0]["thank_you"]["sent_at"]
    )
    assert sent >= opened + timedelta(seconds=1), (sent, opened)


def test_a_pretended_page_clock_moves_on_from_the_time_it_was_given() -> None:
    start = parse_now(EXAMPLE_NOW)
    clock = Clock.for_page(start)
    assert clock.pretend
    assert start <= clock.now() < start + timedelta(minutes=1)
    assert not Clock.for_page(datetime.now().astimezone()).pretend


def test_a_cancelled_round_is_not_an_upcoming_interview_on_the_dashboard(example_dir: Path) -> None:
    before = parse_now("2026-11-20T18:00:00+01:00")
    ahead = upcoming(Dashboard(Workbook(example_dir), before).view)
    assert [r.name for r, o in ahead if o.id == ID] == ["Onsite"]
    path = example_dir / "opportunities" / f"{ID}.yaml"
    data = _data(example_dir)
    data["rounds"][0]["cancelled"] = True
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    board = Dashboard(Workbook(example_dir), before)
    assert [r.name for r, o in upcoming(board.view) if o.id == ID] == []
    assert "Onsite" not in board.agenda.value


def test_the_dashboard_shows_every_time_in_your_zone_named_once(example_dir: Path) -> None:
    """A round in New York, a person in Berlin: the interview and its deadline read in Berlin
    time with the hour there beside them, and no other zone name on the page."""
    (example_dir / "settings.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    path = example_dir / "opportunities" / f"{ID}.yaml"
    data = _data(example_dir)
    data["rounds"][0]["starts_at"] = "2026-12-03T09:30:00-05:00"
    data["rounds"][0]["timezone"] = "America/New_York"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    board = Dashboard(Workbook(example_dir), parse_now("2026-12-02T09:00:00+00:00"))
    agenda = board.agenda.value
    assert "Thu 03 Dec 2026 15:30 (09:30 there)" in agenda, agenda
    for other in ("UTC", "EST", "CET"):
        assert other not in agenda + board.overview.value, other
    header = board.widget.children[0].value
    assert "times in Europe/Berlin (CET)" in header
