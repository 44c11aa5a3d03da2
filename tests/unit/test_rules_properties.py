"""The checklist's promises, for any opportunity and any `now` (Hypothesis properties)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from followup.core.model import Opportunity, Status
from followup.steps import (
    THANK_YOU_WINDOW,
    State,
    StepKind,
    check_in_step,
    checklist,
    held_or_planned,
    next_step,
    thank_you_due,
)
from followup.storage.files import dump_opportunity, parse_opportunity
from strategies import PROPERTIES, earliest_end_of_day, held_rounds, moments, opportunities

#: Steps that ask the person to write to the recruiter.
TO_THE_RECRUITER = {StepKind.TIMELINE, StepKind.FEEDBACK, StepKind.OTHER_ROLES}


@PROPERTIES
@given(opportunities(), moments())
def test_no_step_suggests_contacting_the_recruiter_before_their_date(opportunity, now):
    timeline = opportunity.timeline
    if timeline is None or timeline.decision_by is None:
        return
    if now >= earliest_end_of_day(timeline.decision_by):
        return
    # Their date has not ended anywhere on Earth yet.
    assert check_in_step(opportunity, now) is None
    for step in checklist(opportunity, now).steps:
        if step.kind is StepKind.TIMELINE:
            assert not step.state.actionable or "check in" not in step.title.lower(), step
        if step.kind in TO_THE_RECRUITER and step.due is not None and step.state.actionable:
            assert opportunity.status in (Status.REJECTED, Status.NO_RESPONSE), step


@PROPERTIES
@given(opportunities(), moments())
def test_a_check_in_is_never_due_before_the_recruiters_date_has_ended(opportunity, now):
    step = check_in_step(opportunity, now)
    if step is None or opportunity.timeline is None or opportunity.timeline.decision_by is None:
        return
    assert step.due is not None
    assert step.due >= earliest_end_of_day(opportunity.timeline.decision_by)


@PROPERTIES
@given(opportunities(), moments())
def test_linkedin_is_never_suggested_while_the_process_is_open(opportunity, now):
    linkedin = [s for s in checklist(opportunity, now).steps if s.kind is StepKind.LINKEDIN]
    if opportunity.status.ended:
        return
    for step in linkedin:
        assert step.state is State.BLOCKED, step
        assert not step.state.actionable


@PROPERTIES
@given(st.one_of(held_rounds(), st.tuples(opportunities(), moments())))
def test_every_thank_you_is_due_a_day_of_local_clock_time_after_its_round_ends(case):
    opportunity, now = case
    rounds = {r.key: r for r in held_or_planned(opportunity).rounds}
    for step in checklist(opportunity, now).steps:
        if step.kind is not StepKind.THANK_YOU or step.due is None:
            continue
        interview = rounds[step.round]
        assert step.due == thank_you_due(interview)
        end = interview.ends_at.astimezone(interview.zone)
        due = step.due.astimezone(interview.zone)
        wall = end.replace(tzinfo=None) + THANK_YOU_WINDOW
        elapsed = step.due.astimezone(UTC) - end.astimezone(UTC)
        # Across a clock change the same wall time is 23 or 25 hours on (23.5 at Lord Howe).
        assert abs(elapsed - THANK_YOU_WINDOW) <= timedelta(hours=1)
        if _exists(wall, interview.zone):
            assert due.replace(tzinfo=None) == wall, (end, due)
        else:
            # The clocks jumped over that time: due just after the gap.
            assert timedelta(0) < due.replace(tzinfo=None) - wall <= timedelta(hours=1)


def _exists(wall: datetime, zone: tzinfo) -> bool:
    """True when the clocks in `zone` show `wall` at some moment (not skipped by a change)."""
    there = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return there.replace(tzinfo=None) == wall


@PROPERTIES
@given(opportunities(), moments())
def test_steps_are_listed_most_urgent_first_and_never_for_a_cancelled_round(opportunity, now):
    found = checklist(opportunity, now).steps
    assert [s.sort_key() for s in found] == sorted(s.sort_key() for s in found)
    cancelled = {r.key for r in opportunity.rounds if r.cancelled}
    assert not [s for s in found if s.round in cancelled]


@PROPERTIES
@given(opportunities(), moments(), st.integers(min_value=1, max_value=60))
def test_the_next_step_is_the_checklists_first_open_step(opportunity, now, days):
    wait = timedelta(days=days)
    steps = checklist(opportunity, now, no_response_after=wait).open_steps
    assert next_step(opportunity, now, no_response_after=wait) == (steps[0] if steps else None)


@PROPERTIES
@given(opportunities())
def test_a_saved_opportunity_loads_back_equal(opportunity: Opportunity):
    path = Path("/workbook/opportunities") / f"{opportunity.id}.yaml"
    assert parse_opportunity(dump_opportunity(opportunity), path) == opportunity
