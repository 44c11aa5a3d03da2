"""The prep step: open in the days before a round, a calendar entry the evening before."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.cli.render import checklist_text
from followup.core.model import Opportunity, Reminders
from followup.core.policy import Policy
from followup.steps import State, calendar_entries, checklist

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)


def _opportunity(status: str = "active") -> Opportunity:
    return Opportunity.model_validate(
        {
            "id": "lumen",
            "company": "Lumen Health",
            "status": status,
            "rounds": [
                {"name": "Final round", "starts_at": START.isoformat(), "timezone": "Europe/London"}
            ],
        }
    )


def _prep(now: datetime, status: str = "active", policy: Policy | None = None):
    checks = checklist(_opportunity(status), now, policy)
    return checks, checks.of_kind("prep")


def test_three_days_before_the_round_the_prep_sheet_and_practice_are_a_thing_to_do():
    checks, (step,) = _prep(START - timedelta(days=2))
    assert step.state is State.TO_DO and step.due == START
    assert "followup prep lumen --round final-round" in step.why
    assert "followup practice" in checklist_text(checks, START - timedelta(days=2))


def test_before_the_window_it_waits_and_practice_is_not_listed():
    checks, (step,) = _prep(START - timedelta(days=5))
    assert step.state is State.WAITING
    assert "practice" not in checklist_text(checks, START - timedelta(days=5))


def test_once_the_round_started_or_the_process_ended_there_is_nothing_to_prepare():
    assert _prep(START + timedelta(minutes=1))[1] == []
    assert _prep(START - timedelta(days=1), status="rejected")[1] == []


def test_the_calendar_says_prepare_the_evening_before_at_the_time_in_the_settings():
    policy = Policy(reminders=Reminders(prepare_evening_at=time(21, 30)))
    checks, _ = _prep(START - timedelta(days=6), policy=policy)
    (entry,) = [e for e in calendar_entries(checks) if e.step == "prep"]
    assert entry.title == "Prepare for Final round · Lumen Health"
    assert entry.start == datetime(2026, 11, 27, 21, 30, tzinfo=LONDON)
    assert entry.alarm == entry.start
    assert "followup prep lumen --round final-round" in entry.description


@given(st.integers(min_value=-10 * 24 * 60, max_value=10 * 24 * 60))
def test_the_step_is_open_exactly_while_the_round_is_ahead(minutes):
    now = START + timedelta(minutes=minutes)
    steps = _prep(now)[1]
    assert bool(steps) == (now < START)
    if steps:
        waiting = now < START - timedelta(days=3)
        assert (steps[0].state is State.WAITING) == waiting


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_the_due_time_is_the_round_s_start_in_any_zone_now_is_given(zone):
    _, (step,) = _prep(START.astimezone(ZoneInfo(zone)) - timedelta(hours=5))
    assert step.due == START and step.state is State.DUE_SOON
