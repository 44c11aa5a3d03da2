"""The two values the drafts and the calendar ask of the checklist: check-in due, rejection due."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.core.model import Opportunity, Status
from followup.steps import (
    AFTER_REJECTION_WINDOW,
    CHECK_IN_GRACE,
    NO_DATE_WAIT,
    State,
    StepKind,
    after_rejection_due,
    check_in_step,
    checklist,
)

BERLIN = ZoneInfo("Europe/Berlin")


def opportunity(**fields) -> Opportunity:
    data = {
        "id": "acme",
        "company": "Acme",
        "rounds": [
            {
                "name": "Round 1",
                "starts_at": "2026-11-02T10:00:00+01:00",
                "timezone": "Europe/Berlin",
                "interviewers": [{"name": "Kim Lee", "email": "kim@x.example"}],
            }
        ],
    }
    data.update(fields)
    return Opportunity.model_validate(data)


def test_check_in_is_not_due_on_the_recruiters_date_itself():
    o = opportunity(timeline={"decision_by": "2026-11-16"})
    assert check_in_step(o, datetime(2026, 11, 16, 23, 59, tzinfo=BERLIN)) is None


def test_check_in_is_due_the_day_after_the_recruiters_date():
    o = opportunity(timeline={"decision_by": "2026-11-16"})
    step = check_in_step(o, datetime(2026, 11, 17, 0, 1, tzinfo=BERLIN))
    assert step is not None
    assert step.kind is StepKind.TIMELINE
    assert step.state.actionable
    assert step.due == datetime(2026, 11, 17, tzinfo=BERLIN) + CHECK_IN_GRACE


def test_check_in_step_agrees_with_the_checklist():
    o = opportunity(timeline={"decision_by": "2026-11-16"})
    now = datetime(2026, 11, 26, 18, tzinfo=BERLIN)
    listed = [s for s in checklist(o, now).steps if s.kind is StepKind.TIMELINE]
    assert listed == [check_in_step(o, now)]
    assert listed[0].state is State.OVERDUE


def test_with_no_date_the_check_in_waits_the_default_time():
    o = opportunity(timeline={"given": False})
    end = datetime(2026, 11, 2, 11, tzinfo=BERLIN)
    assert check_in_step(o, end + NO_DATE_WAIT - timedelta(minutes=1)) is None
    assert check_in_step(o, end + NO_DATE_WAIT + timedelta(minutes=1)) is not None


@pytest.mark.parametrize(
    "fields",
    [
        {},  # no timeline recorded: record it first, nothing to chase
        {"timeline": {"decision_by": "2026-11-16"}, "status": "rejected"},
        {"timeline": {"decision_by": "2026-11-16"}, "status": "offer"},
    ],
    ids=["no-timeline", "rejected", "offer"],
)
def test_no_check_in_without_a_timeline_or_once_the_process_moved_on(fields):
    assert check_in_step(opportunity(**fields), datetime(2026, 12, 20, tzinfo=BERLIN)) is None


def test_no_check_in_while_a_round_is_scheduled():
    o = opportunity(timeline={"decision_by": "2026-11-16"})
    later = {"name": "Round 2", "starts_at": "2026-12-01T10:00:00+01:00"}
    o = o.model_copy(update={"rounds": [*o.rounds, o.rounds[0].model_validate(later)]})
    assert check_in_step(o, datetime(2026, 11, 26, tzinfo=BERLIN)) is None


def test_check_in_step_refuses_a_naive_now():
    with pytest.raises(ValueError, match="aware"):
        check_in_step(opportunity(), datetime(2026, 11, 26))


def test_after_rejection_due_is_the_window_after_the_decision_in_the_rounds_zone():
    o = opportunity(status=Status.REJECTED, outcome_on="2026-11-24")
    due = after_rejection_due(o, datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert due == datetime(2026, 11, 25, tzinfo=BERLIN) + AFTER_REJECTION_WINDOW
    assert due.tzinfo == BERLIN
    steps = checklist(o, datetime(2026, 11, 26, tzinfo=BERLIN)).steps
    assert {s.due for s in steps if s.kind is StepKind.FEEDBACK} == {due}


def test_after_rejection_due_is_none_without_a_decision_date():
    o = opportunity(status=Status.REJECTED)
    assert after_rejection_due(o, datetime(2026, 11, 26, tzinfo=BERLIN)) is None
