"""The stage history on disk: written by the store when a save changes the stage, merged when two
writers save, and brought in by a tracker import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from followup.core.model import Interview, Opportunity, Status
from followup.imports.tracker import plan_tracker, read_tracker
from followup.storage.workbook import Workbook


def new_workbook(tmp_path: Path, **fields) -> tuple[Workbook, Opportunity]:
    book = Workbook(tmp_path / "book")
    o = Opportunity.model_validate({"id": "acme", "company": "Acme", **fields})
    book.create(o)
    return book, o


def on_disk(book: Workbook) -> dict:
    return yaml.safe_load(book.path_for("acme").read_text(encoding="utf-8"))


def test_a_status_change_saved_writes_the_history_with_the_day_of_the_decision(tmp_path):
    book, _ = new_workbook(tmp_path, applied_on="2026-10-01")
    assert "stages" not in on_disk(book)  # a new file keeps its derived history unwritten

    def reject(o: Opportunity) -> None:
        o.status = Status.REJECTED
        o.outcome_on = date(2026, 10, 20)

    book.update("acme", reject)
    assert on_disk(book)["stages"] == [
        {"stage": "applied", "day": "2026-10-01"},
        {"stage": "rejected", "day": "2026-10-20"},
    ]


def test_a_save_that_changes_no_stage_leaves_an_older_file_without_a_history(tmp_path):
    book, _ = new_workbook(tmp_path, applied_on="2026-10-01")
    book.update("acme", lambda o: setattr(o, "notes", "Met them at a meetup."))
    assert "stages" not in on_disk(book)


def test_a_first_round_saved_moves_the_application_to_interviewing(tmp_path):
    book, _ = new_workbook(tmp_path, applied_on="2026-10-01")
    past = Interview(name="Phone", starts_at="2026-10-09T10:00+02:00")
    book.update("acme", lambda o: o.rounds.append(past))
    assert on_disk(book)["stages"] == [
        {"stage": "applied", "day": "2026-10-01"},
        {"stage": "interviewing", "day": "2026-10-09"},
    ]


def test_two_writers_saving_stage_changes_both_land(tmp_path):
    book, _ = new_workbook(tmp_path, applied_on="2026-10-01")
    first = book.get("acme")
    second = book.get("acme")
    mine = first.opportunity.model_copy(deep=True)
    mine.rounds.append(Interview(name="Phone", starts_at="2026-10-09T10:00+02:00"))
    book.save(mine, base_version=first.version, base=first.opportunity)
    theirs = second.opportunity.model_copy(deep=True)
    theirs.status = Status.REJECTED
    theirs.outcome_on = date(2026, 10, 20)
    saved = book.save(theirs, base_version=second.version, base=second.opportunity)
    assert saved.merged_from_disk
    assert [c["stage"] for c in on_disk(book)["stages"]] == ["applied", "interviewing", "rejected"]


def test_a_tracker_row_marked_interviewing_stands_under_interviewing_with_its_dates(tmp_path):
    data = (
        b"Company,Job Title,Stage,Date Applied,Interview Date,Source\n"
        b"Acme,Analyst,Interviewing,2026-10-01,,LinkedIn\n"
        b"Brio,Engineer,Rejected,2026-10-02,2026-10-10,Referral\n"
        b"Coda,Designer,Applied,2026-10-03,,\n"
    )
    tracker = read_tracker(data, tmp_path / "apps.csv")
    assert tracker.problems == []
    rows = {r.opportunity.company: r.opportunity for r in tracker.rows}
    assert [(c.stage.value, c.day) for c in rows["Acme"].stages] == [
        ("applied", date(2026, 10, 1)),
        ("interviewing", None),
    ]
    assert rows["Acme"].source.value == "job board"
    assert [c.stage.value for c in rows["Brio"].stages] == ["applied", "interviewing", "rejected"]
    assert rows["Brio"].source.value == "referral"
    assert [c.stage.value for c in rows["Coda"].stages] == ["applied"]
    book = Workbook(tmp_path / "book")
    book.create_many([p.opportunity for p in plan_tracker(tracker, []) if p.created])
    loaded = {o.company: o for o in book.load().opportunities}
    assert [c.stage.value for c in loaded["Acme"].stages] == ["applied", "interviewing"]


def test_an_invitation_imported_on_the_command_line_moves_the_application_to_interviewing(
    tmp_path,
):
    from followup.cli.commands import main
    from support import ROOT

    book = Workbook(tmp_path / "book")
    book.create(
        Opportunity(id="northwind", company="Northwind Logistics", applied_on=date(2026, 11, 3))
    )
    invite = ROOT / "tests" / "data" / "invites" / "outlook-onsite.ics"
    args = ["import", str(invite), "--opportunity", "northwind", "--data", str(book.root), "--yes"]
    assert main(args) == 0
    saved = book.get("northwind").opportunity
    assert [c.stage.value for c in saved.stages] == ["applied", "interviewing"]
    (held,) = saved.rounds
    assert saved.stages[-1].day <= held.starts_at.date()  # invited before the round, at the latest
