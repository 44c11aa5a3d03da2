"""The forms keep the stage history: a status changed in the follow-up form is recorded with its
day, and the interview form records when and how the application went out."""

from __future__ import annotations

from pathlib import Path

import yaml

from followup.clock import parse_now
from followup.core.model import Source, Status
from followup.forms.follow_up import FollowUpForm
from followup.forms.interview import InterviewForm
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"


def _data(root: Path, opportunity_id: str = ID) -> dict:
    path = root / "opportunities" / f"{opportunity_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_rejection_recorded_in_the_follow_up_form_ends_the_stage_history(example_dir: Path):
    book = Workbook(example_dir)
    form = FollowUpForm(book, book.get(ID), NOW, autosave_seconds=None)
    before = _data(example_dir)["stages"]
    form.status_field.widget.value = Status.REJECTED
    assert form.flush() is True
    assert _data(example_dir)["stages"] == [
        *before,
        {"stage": "rejected", "day": "2026-11-26"},
    ]


def test_an_offer_then_its_acceptance_each_get_their_own_day(example_dir: Path):
    book = Workbook(example_dir)
    form = FollowUpForm(book, book.get(ID), NOW, autosave_seconds=None)
    form.status_field.widget.value = Status.OFFER
    form.outcome_on.widget.value = "2026-11-25"
    assert form.flush() is True
    form.status_field.widget.value = Status.ACCEPTED
    assert form.flush() is True
    stages = _data(example_dir)["stages"][-2:]
    assert stages[0] == {"stage": "offer", "day": "2026-11-25"}
    assert stages[1]["stage"] == "accepted"


def test_the_interview_form_records_the_day_applied_and_where_it_came_from(example_dir: Path):
    book = Workbook(example_dir)
    form = InterviewForm(book, book.get("harbor-bank-pm"), NOW, autosave_seconds=None)
    assert form.applied_on.widget.value == "2026-10-14"
    assert form.source.widget.value is Source.JOB_BOARD
    form.applied_on.widget.value = "2026-10-12"
    form.source.widget.value = Source.REFERRAL
    assert form.save() is True
    data = _data(example_dir, "harbor-bank-pm")
    assert (data["applied_on"], data["source"]) == ("2026-10-12", "referral")


def test_an_impossible_day_applied_is_refused_beside_its_field(example_dir: Path):
    book = Workbook(example_dir)
    form = InterviewForm(book, book.get("harbor-bank-pm"), NOW, autosave_seconds=None)
    form.applied_on.widget.value = "2026-02-30"
    assert form.save() is False
    assert form.applied_on.message
    assert _data(example_dir, "harbor-bank-pm")["applied_on"] == "2026-10-14"
