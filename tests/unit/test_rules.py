"""The follow-up checklist, rule by rule, across time zones, clock changes and statuses."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.core.model import Channel, Interview, Opportunity, Status
from followup.steps import (
    CHECK_IN_GRACE,
    CHECK_IN_INTERVAL,
    DUE_SOON,
    MIN_ACTIVE,
    NO_DATE_WAIT,
    NO_RESPONSE_AFTER,
    Stage,
    State,
    StepKind,
    asks_about_next_steps,
    check_in_step,
    checklist,
    debrief_due,
    feedback_recipients,
    next_step,
    overview,
    stage,
    suggests_no_response,
    thank_you_due,
)
from followup.steps.keep_searching import keep_searching

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = ZoneInfo("UTC")
ONSITE = datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN)


def at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


def make(
    *,
    start: datetime | None = ONSITE,
    zone: str | None = "Europe/Berlin",
    minutes: int = 60,
    interviewers: list[dict] | None = None,
    **fields,
) -> Opportunity:
    interviewers = (
        interviewers
        if interviewers is not None
        else [{"name": "Kim Lee", "email": "kim@x.example"}]
    )
    round_ = Interview(
        name="Round 1",
        starts_at=start,
        timezone=zone,
        duration_minutes=minutes,
        interviewers=interviewers,
    )
    return Opportunity(id="acme", company="Acme", rounds=[round_], **fields)


def steps(opportunity: Opportunity, now: datetime, kind: StepKind) -> list:
    return [s for s in checklist(opportunity, now).steps if s.kind is kind]


def only(opportunity: Opportunity, now: datetime, kind: StepKind):
    found = steps(opportunity, now, kind)
    assert len(found) == 1, found
    return found[0]


# 1. Thank-you notes


def test_thank_you_is_due_the_same_local_time_the_next_day():
    opportunity = make()
    due = thank_you_due(opportunity.rounds[0])
    assert due == at(BERLIN, 2026, 11, 27, 11, 0)
    step = only(opportunity, at(BERLIN, 2026, 11, 26, 12, 0), StepKind.THANK_YOU)
    assert step.state is State.TO_DO
    assert step.due == due
    assert step.person == "Kim Lee"


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(BERLIN, 2026, 11, 26, 22, 59), State.TO_DO),
        (at(BERLIN, 2026, 11, 26, 23, 0), State.DUE_SOON),
        (at(BERLIN, 2026, 11, 27, 11, 0), State.DUE_SOON),
        (at(BERLIN, 2026, 11, 27, 11, 1), State.OVERDUE),
    ],
)
def test_thank_you_becomes_due_soon_then_overdue(now, state):
    assert timedelta(hours=12) == DUE_SOON
    assert only(make(), now, StepKind.THANK_YOU).state is state


def test_the_state_is_the_same_whatever_zone_now_is_given_in():
    opportunity = make()
    moment = at(BERLIN, 2026, 11, 27, 11, 30)
    for zone in (UTC, NEW_YORK, TOKYO):
        assert only(opportunity, moment.astimezone(zone), StepKind.THANK_YOU).state is State.OVERDUE


@pytest.mark.parametrize(
    ("zone", "start", "due"),
    [
        ("America/New_York", (2026, 11, 26, 16, 0), (2026, 11, 27, 17, 0)),
        ("Asia/Tokyo", (2026, 11, 26, 9, 0), (2026, 11, 27, 10, 0)),
        ("Asia/Kolkata", (2026, 11, 26, 9, 30), (2026, 11, 27, 10, 30)),
    ],
)
def test_thank_you_deadline_is_in_the_rounds_own_zone(zone, start, due):
    tz = ZoneInfo(zone)
    opportunity = make(start=datetime(*start, tzinfo=tz), zone=zone)
    assert thank_you_due(opportunity.rounds[0]) == datetime(*due, tzinfo=tz)
    assert thank_you_due(opportunity.rounds[0]).tzinfo is tz


def test_across_spring_forward_the_deadline_keeps_the_local_time():
    # Europe/Berlin moves its clocks forward at 02:00 on Sunday 29 March 2026.
    opportunity = make(start=at(BERLIN, 2026, 3, 28, 10, 0))
    due = thank_you_due(opportunity.rounds[0])
    assert (due.hour, due.minute, due.day) == (11, 0, 29)
    assert due.astimezone(UTC) - opportunity.rounds[0].ends_at.astimezone(UTC) == timedelta(
        hours=23
    )
    assert due.utcoffset() == timedelta(hours=2)


def test_across_fall_back_the_deadline_keeps_the_local_time():
    # New York moves its clocks back at 02:00 on Sunday 1 November 2026.
    opportunity = make(start=at(NEW_YORK, 2026, 10, 31, 10, 0), zone="America/New_York")
    due = thank_you_due(opportunity.rounds[0])
    assert (due.hour, due.day, due.month) == (11, 1, 11)
    assert due.astimezone(UTC) - opportunity.rounds[0].ends_at.astimezone(UTC) == timedelta(
        hours=25
    )
    now_just_before = due - timedelta(minutes=1)
    assert only(opportunity, now_just_before, StepKind.THANK_YOU).state is State.DUE_SOON
    assert only(opportunity, due + timedelta(minutes=1), StepKind.THANK_YOU).state is State.OVERDUE


def test_a_round_during_the_repeated_hour_lasts_its_real_length():
    # 01:30 EDT on 1 November 2026, an hour before the clocks go back.
    start = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    opportunity = make(start=start, zone="America/New_York")
    end = opportunity.rounds[0].ends_at
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=60)
    assert (end.hour, end.minute, end.utcoffset()) == (1, 30, timedelta(hours=-5))
    overdue_at = thank_you_due(opportunity.rounds[0]) + timedelta(minutes=1)
    assert only(opportunity, overdue_at, StepKind.THANK_YOU).state is State.OVERDUE


def test_a_round_with_only_an_offset_uses_that_offset():
    start = datetime.fromisoformat("2026-11-26T10:00:00-03:00")
    opportunity = make(start=start, zone=None)
    assert thank_you_due(opportunity.rounds[0]) == datetime.fromisoformat(
        "2026-11-27T11:00:00-03:00"
    )


def test_the_email_note_is_the_thank_you_and_the_card_an_optional_step_beside_it():
    opportunity = make(
        interviewers=[
            {
                "name": "A",
                "email": "a@x.example",
                "thank_you": {"sent_at": "2026-11-26T15:00+01:00"},
            },
            {"name": "B", "thank_you": {"channel": "card", "sent_at": "2026-11-27T09:00+01:00"}},
            {"name": "C", "email": "c@x.example", "thank_you": {"channel": "card"}},
            {
                "name": "D",
                "email": "d@x.example",
                "thank_you": {"sent_at": "2026-11-26T16:00+01:00", "card_sent_on": "2026-11-27"},
            },
            {"name": "E", "email": "e@x.example", "thank_you": {"card_sent_on": "2026-11-27"}},
        ]
    )
    now = at(BERLIN, 2026, 11, 27, 20)
    notes = {s.person: s for s in steps(opportunity, now, StepKind.THANK_YOU)}
    cards = {s.person: s for s in steps(opportunity, now, StepKind.CARD)}
    assert notes["A"].state is State.DONE and "A" not in cards
    # B has no email address: the card they were sent is all that can be done.
    assert notes["B"].state is State.DONE
    assert notes["B"].why == "Card mailed on Fri 27 Nov 2026 (no email address known)."
    assert cards["B"].state is State.DONE
    # C chose a card too: it is optional, and the email is still owed.
    assert notes["C"].state is State.OVERDUE
    assert cards["C"].state is State.TO_DO and "(optional)" in cards["C"].title
    assert cards["C"].due is None
    assert notes["D"].state is State.DONE and cards["D"].why == "Mailed on Fri 27 Nov 2026."
    # A card does not replace the email.
    assert notes["E"].state is State.OVERDUE
    assert "send the email too" in notes["E"].why


def test_an_interviewer_without_email_is_flagged():
    opportunity = make(interviewers=[{"name": "No Mail"}])
    step = only(opportunity, at(BERLIN, 2026, 11, 26, 12), StepKind.THANK_YOU)
    assert "No email address" in step.why
    assert "business card" in step.why


def test_the_personal_point_is_recalled_in_the_step():
    opportunity = make(
        interviewers=[{"name": "Kim", "email": "k@x.example", "personal_note": "sailing"}]
    )
    assert "'sailing'" in only(opportunity, at(BERLIN, 2026, 11, 26, 12), StepKind.THANK_YOU).why


def test_no_thank_you_is_asked_before_the_round_happens():
    assert steps(make(), at(BERLIN, 2026, 11, 26, 9, 59), StepKind.THANK_YOU) == []


def test_a_round_without_a_date_blocks_its_thank_yous():
    step = only(make(start=None), at(BERLIN, 2026, 11, 26, 12), StepKind.THANK_YOU)
    assert step.state is State.BLOCKED
    assert "when the round took place" in step.why


def test_a_round_without_a_date_asks_nothing_once_the_process_has_ended():
    ended = make(start=None, status=Status.REJECTED)
    assert steps(ended, at(BERLIN, 2026, 11, 26, 12), StepKind.THANK_YOU) == []
    assert next_step(ended, at(BERLIN, 2026, 11, 26, 12)).kind is not StepKind.THANK_YOU


def test_a_round_without_a_date_whose_notes_all_went_out_is_done():
    opportunity = make(start=None)
    person = opportunity.rounds[0].interviewers[0]
    person.thank_you.channel = Channel.EMAIL
    person.thank_you.sent_at = at(BERLIN, 2026, 11, 26, 15)
    step = only(opportunity, at(BERLIN, 2026, 11, 27, 12), StepKind.THANK_YOU)
    assert step.state is State.DONE and step.why == "Every interviewer has been thanked."


# 2. Debrief and research


def test_debrief_is_due_by_the_end_of_the_day():
    opportunity = make()
    assert debrief_due(opportunity.rounds[0]) == at(BERLIN, 2026, 11, 27, 0, 0)
    assert only(opportunity, at(BERLIN, 2026, 11, 26, 12), StepKind.DEBRIEF).state is State.DUE_SOON
    assert (
        only(opportunity, at(BERLIN, 2026, 11, 27, 0, 1), StepKind.DEBRIEF).state is State.OVERDUE
    )


def test_a_round_at_half_past_eleven_at_night():
    late = make(start=at(BERLIN, 2026, 11, 26, 23, 30), minutes=20)
    # Ends 23:50: the day is almost over, so the debrief gets at least four hours.
    assert debrief_due(late.rounds[0]) == at(BERLIN, 2026, 11, 27, 3, 50)
    # The thank-you is due 23:50 the next day.
    assert thank_you_due(late.rounds[0]) == at(BERLIN, 2026, 11, 27, 23, 50)
    running_over = make(start=at(BERLIN, 2026, 11, 26, 23, 30), minutes=60)
    # Ends 00:30 on the 27th: due by the end of the 27th.
    assert debrief_due(running_over.rounds[0]) == at(BERLIN, 2026, 11, 28, 0, 0)
    assert thank_you_due(running_over.rounds[0]) == at(BERLIN, 2026, 11, 28, 0, 30)
    assert not steps(late, at(BERLIN, 2026, 11, 26, 23, 29), StepKind.DEBRIEF)
    assert only(late, at(BERLIN, 2026, 11, 26, 23, 45), StepKind.DEBRIEF).state is State.DUE_SOON


def test_a_recorded_debrief_is_done():
    opportunity = make()
    opportunity.rounds[0].debrief.overall_feeling = "Went well"
    assert only(opportunity, at(BERLIN, 2026, 11, 28), StepKind.DEBRIEF).state is State.DONE


def test_open_research_topics_are_due_before_the_next_round():
    opportunity = make()
    opportunity.rounds[0].debrief.research = [
        {"topic": "Their API"},
        {"topic": "Kafka", "done": True},
    ]
    now = at(BERLIN, 2026, 11, 27, 9)
    step = only(opportunity, now, StepKind.RESEARCH)
    assert step.state is State.TO_DO and step.due is None
    assert "Their API" in step.why and "Kafka" not in step.why
    opportunity.rounds.append(
        Interview(name="Round 2", starts_at=at(BERLIN, 2026, 12, 2, 14), timezone="Europe/Berlin")
    )
    step = only(opportunity, now, StepKind.RESEARCH)
    assert step.due == at(BERLIN, 2026, 12, 2, 14)
    assert step.round == "round-2"
    assert "Before Round 2" in step.why
    opportunity.rounds[0].debrief.research[0].done = True
    assert only(opportunity, now, StepKind.RESEARCH).state is State.DONE


# 3. Reflection and salary range


def test_reflection_and_salary_are_asked_after_a_round():
    now = at(BERLIN, 2026, 11, 27)
    opportunity = make()
    assert only(opportunity, now, StepKind.REFLECTION).state is State.TO_DO
    assert only(opportunity, now, StepKind.SALARY_RANGE).state is State.TO_DO
    opportunity.reflection.culture.score = 4
    opportunity.salary_range = {"currency": "EUR", "target": 60000}
    assert only(opportunity, now, StepKind.REFLECTION).state is State.DONE
    assert only(opportunity, now, StepKind.SALARY_RANGE).state is State.DONE


def test_an_offer_makes_the_salary_range_urgent():
    opportunity = make(status=Status.OFFER)
    step = only(opportunity, at(BERLIN, 2026, 11, 30), StepKind.SALARY_RANGE)
    assert step.state is State.DUE_SOON
    assert "offer" in step.why


# 4. Timeline


def test_with_no_timeline_recorded_the_person_is_asked_to_record_it():
    step = only(make(), at(BERLIN, 2026, 11, 26, 12), StepKind.TIMELINE)
    assert step.state is State.TO_DO
    assert "or that they said nothing" in step.why


def test_no_timeline_given_means_the_note_asks_about_next_steps():
    opportunity = make(timeline={"given": False})
    now = at(BERLIN, 2026, 11, 26, 12)
    assert "ask about next steps" in only(opportunity, now, StepKind.THANK_YOU).why
    step = only(opportunity, now, StepKind.TIMELINE)
    assert step.state is State.WAITING
    assert "asks about next steps" in step.why
    with_date = make(timeline={"decision_by": "2026-12-04"})
    assert "next steps" not in only(with_date, now, StepKind.THANK_YOU).why


def test_with_no_date_a_check_in_comes_after_the_default_wait():
    opportunity = make(timeline={"given": False})
    end = opportunity.rounds[0].ends_at
    assert only(
        opportunity, end + NO_DATE_WAIT - timedelta(minutes=1), StepKind.TIMELINE
    ).state is (State.WAITING)
    step = only(opportunity, end + NO_DATE_WAIT + timedelta(minutes=1), StepKind.TIMELINE)
    assert step.state in (State.TO_DO, State.DUE_SOON)
    assert step.title == "Check in with the recruiter"


def test_never_prompt_contact_before_the_recruiters_date():
    opportunity = make(timeline={"decision_by": "2026-12-04"})
    now = at(BERLIN, 2026, 11, 26, 12)
    while now < at(BERLIN, 2026, 12, 5):
        step = only(opportunity, now, StepKind.TIMELINE)
        assert step.state is State.WAITING, now
        assert "don't reach out before then" in step.why
        now += timedelta(hours=7)
    step = only(opportunity, at(BERLIN, 2026, 12, 5, 0, 1), StepKind.TIMELINE)
    assert step.state is State.TO_DO
    assert step.due == at(BERLIN, 2026, 12, 5) + CHECK_IN_GRACE
    late = only(opportunity, at(BERLIN, 2026, 12, 8, 0, 1), StepKind.TIMELINE)
    assert late.state is State.OVERDUE


def test_the_recruiters_date_ends_in_the_rounds_zone():
    opportunity = make(
        start=at(NEW_YORK, 2026, 11, 20, 10),
        zone="America/New_York",
        timeline={"decision_by": "2026-12-04"},
    )
    # 5 Dec 03:00 in Berlin is still 4 Dec in New York.
    assert only(opportunity, at(BERLIN, 2026, 12, 5, 3), StepKind.TIMELINE).state is State.WAITING


def test_after_a_check_in_wait_again_before_the_next():
    opportunity = make(timeline={"decision_by": "2026-12-04", "checked_in_on": "2026-12-07"})
    step = only(opportunity, at(BERLIN, 2026, 12, 9), StepKind.TIMELINE)
    assert step.state is State.WAITING
    assert "You checked in on" in step.why
    after = at(BERLIN, 2026, 12, 8) + CHECK_IN_INTERVAL
    assert only(opportunity, after, StepKind.TIMELINE).state is not State.WAITING


def test_a_scheduled_next_round_means_no_chasing():
    opportunity = make(timeline={"decision_by": "2026-11-28"})
    opportunity.rounds.append(
        Interview(name="Round 2", starts_at=at(BERLIN, 2026, 12, 10, 9), timezone="Europe/Berlin")
    )
    step = only(opportunity, at(BERLIN, 2026, 12, 1), StepKind.TIMELINE)
    assert step.state is State.WAITING
    assert "scheduled" in step.why


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.ACTIVE])
def test_the_timeline_step_only_applies_to_an_active_process(status):
    opportunity = make(status=status, timeline={"decision_by": "2026-11-28"})
    assert steps(opportunity, at(BERLIN, 2026, 12, 10), StepKind.TIMELINE) == []


# 5. LinkedIn


@pytest.mark.parametrize("status", list(Status))
def test_linkedin_waits_until_the_process_has_ended(status):
    step = only(make(status=status), at(BERLIN, 2026, 12, 10), StepKind.LINKEDIN)
    if status.ended:
        assert step.state is State.TO_DO
        assert "Kim Lee" in step.why
    else:
        assert step.state is State.BLOCKED
        assert "Not yet" in step.why


def test_linkedin_is_done_once_everyone_is_connected():
    opportunity = make(status=Status.ACCEPTED)
    opportunity.rounds[0].interviewers[0].linkedin_connected_on = date(2026, 12, 20)
    assert only(opportunity, at(BERLIN, 2026, 12, 21), StepKind.LINKEDIN).state is State.DONE


# 6 and 8. After a rejection


def test_after_a_rejection_ask_for_feedback_and_other_roles_and_join_the_community():
    opportunity = make(status=Status.REJECTED, outcome_on=date(2026, 12, 1))
    now = at(BERLIN, 2026, 12, 2)
    feedback = only(opportunity, now, StepKind.FEEDBACK)
    assert feedback.state is State.TO_DO
    assert "what you could have done better" in feedback.why
    assert feedback.due == at(BERLIN, 2026, 12, 9)
    assert only(opportunity, now, StepKind.OTHER_ROLES).state is State.TO_DO
    assert only(opportunity, now, StepKind.TALENT_COMMUNITY).state is State.TO_DO
    assert only(opportunity, at(BERLIN, 2026, 12, 9, 1), StepKind.FEEDBACK).state is State.OVERDUE

    opportunity.feedback.asked_on = date(2026, 12, 3)
    opportunity.other_roles.asked_on = date(2026, 12, 3)
    opportunity.talent_community_joined_on = date(2026, 12, 3)
    assert only(opportunity, now, StepKind.FEEDBACK).state is State.WAITING
    assert only(opportunity, now, StepKind.OTHER_ROLES).state is State.DONE
    assert only(opportunity, now, StepKind.TALENT_COMMUNITY).state is State.DONE
    opportunity.feedback.received_on = date(2026, 12, 10)
    assert only(opportunity, now, StepKind.FEEDBACK).state is State.DONE


def test_a_rejection_without_a_date_still_asks_for_feedback():
    step = only(make(status=Status.REJECTED), at(BERLIN, 2026, 12, 2), StepKind.FEEDBACK)
    assert step.state is State.TO_DO and step.due is None


@pytest.mark.parametrize(
    "status", [s for s in Status if s not in (Status.REJECTED, Status.NO_RESPONSE)]
)
def test_feedback_and_other_roles_only_follow_a_rejection_or_no_response(status):
    opportunity = make(status=status)
    now = at(BERLIN, 2026, 12, 2)
    for kind in (StepKind.FEEDBACK, StepKind.OTHER_ROLES, StepKind.TALENT_COMMUNITY):
        assert steps(opportunity, now, kind) == []


def test_after_no_response_ask_about_other_roles_and_join_the_community_but_not_for_feedback():
    opportunity = make(status=Status.NO_RESPONSE, outcome_on=date(2026, 12, 20))
    now = at(BERLIN, 2026, 12, 21)
    assert steps(opportunity, now, StepKind.FEEDBACK) == []
    other = only(opportunity, now, StepKind.OTHER_ROLES)
    assert other.state is State.TO_DO
    assert other.due == at(BERLIN, 2026, 12, 28)
    assert only(opportunity, now, StepKind.TALENT_COMMUNITY).state is State.TO_DO


# 4b. No response: silence after the date and a check-in


def _silent(checked_in_on: date | None = date(2026, 12, 4)) -> Opportunity:
    return make(
        timeline={
            "next_step": "Decision",
            "decision_by": date(2026, 12, 1),
            "checked_in_on": checked_in_on,
        }
    )


def test_no_response_is_suggested_once_a_check_in_has_gone_unanswered_for_the_set_time():
    opportunity = _silent()
    quiet_until = at(BERLIN, 2026, 12, 5) + NO_RESPONSE_AFTER
    assert not suggests_no_response(opportunity, quiet_until - timedelta(minutes=1))
    assert suggests_no_response(opportunity, quiet_until)
    step = only(opportunity, quiet_until, StepKind.NO_RESPONSE)
    assert step.state is State.TO_DO and "no response" in step.title
    assert steps(opportunity, quiet_until, StepKind.TIMELINE) == []  # no check-in beside it
    assert "Fri 04 Dec 2026" in step.why


def test_no_response_waits_for_a_check_in_and_honours_the_setting():
    now = at(BERLIN, 2027, 3, 1)
    assert not suggests_no_response(_silent(checked_in_on=None), now)
    opportunity = _silent()
    assert suggests_no_response(opportunity, at(BERLIN, 2026, 12, 8), after=timedelta(days=3))
    assert not suggests_no_response(opportunity, at(BERLIN, 2026, 12, 7), after=timedelta(days=3))
    soon = checklist(opportunity, at(BERLIN, 2026, 12, 8), no_response_after=timedelta(days=3))
    assert [s.title for s in soon.steps if s.kind in ("timeline", "no_response")] == [
        "No news: mark it 'no response'?"
    ]
    default = only(opportunity, at(BERLIN, 2026, 12, 8), StepKind.TIMELINE)
    assert default.state is State.WAITING and "checked in on Fri 04 Dec 2026" in default.why


def test_no_response_is_never_suggested_before_the_recruiters_date():
    # A check-in sent early (before the date) does not start the silence.
    opportunity = make(
        timeline={"decision_by": date(2026, 12, 20), "checked_in_on": date(2026, 12, 1)}
    )
    for day in (2, 19, 21):
        assert not suggests_no_response(opportunity, at(BERLIN, 2026, 12, day))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": Status.ACTIVE}, Stage.INTERVIEWING),
        ({"status": Status.OFFER}, Stage.OFFER),
        ({"status": Status.ACCEPTED}, Stage.CLOSED),
        ({"status": Status.REJECTED}, Stage.CLOSED),
        ({"status": Status.WITHDRAWN}, Stage.CLOSED),
        ({"status": Status.DECLINED}, Stage.CLOSED),
        ({"status": Status.NO_RESPONSE}, Stage.NO_RESPONSE),
    ],
)
def test_stage_follows_the_status(fields, expected):
    assert stage(make(**fields), at(BERLIN, 2026, 11, 27)) is expected


def test_stage_is_applied_before_any_round_and_no_response_when_suggested():
    applied = Opportunity(id="acme", company="Acme")
    assert stage(applied, at(BERLIN, 2026, 11, 27)) is Stage.APPLIED
    late = at(BERLIN, 2026, 12, 5) + NO_RESPONSE_AFTER
    assert stage(_silent(), late) is Stage.NO_RESPONSE
    assert stage(_silent(), late - timedelta(days=1)) is Stage.INTERVIEWING


# 7. Keep searching


def test_keep_searching_warns_below_the_minimum():
    assert MIN_ACTIVE == 3
    active = [make(), make(status=Status.OFFER)]
    ended = [make(status=Status.REJECTED), make(status=Status.WITHDRAWN)]
    step = keep_searching(active + ended)
    assert step.state is State.TO_DO
    assert "Only 2 open processes" in step.why
    assert keep_searching(active + ended, min_active=2).state is State.DONE
    assert "Only 0 open processes" in keep_searching(ended).why


# Every status, missing data, and ordering


@pytest.mark.parametrize("status", list(Status))
def test_every_status_gives_a_sensible_checklist(status):
    result = checklist(make(status=status), at(BERLIN, 2026, 11, 26, 12))
    assert result.steps == sorted(result.steps, key=lambda s: s.sort_key())
    thank_you = [s for s in result.steps if s.kind is StepKind.THANK_YOU]
    if status.ended:
        assert all(s.state is State.NOT_APPLICABLE for s in thank_you)
    else:
        assert all(s.state.actionable for s in thank_you)
    assert all(s.why for s in result.steps)


def test_an_opportunity_with_no_rounds_asks_for_little():
    result = checklist(Opportunity(id="new", company="New"), at(UTC, 2026, 11, 26))
    assert [s.kind for s in result.steps] == [StepKind.SALARY_RANGE]


def test_now_must_be_time_zone_aware():
    with pytest.raises(ValueError, match="aware"):
        checklist(make(), datetime(2026, 11, 26, 12))


def test_overview_puts_the_most_urgent_opportunity_first():
    calm = make(timeline={"decision_by": "2026-12-20"})
    calm.rounds[0].interviewers[0].thank_you.sent_at = at(BERLIN, 2026, 11, 26, 15)
    calm.rounds[0].debrief.notes = "fine"
    calm = calm.model_copy(update={"id": "calm"})
    urgent = make().model_copy(update={"id": "urgent"})
    view = overview([calm, urgent], at(BERLIN, 2026, 11, 28))
    assert [c.opportunity.id for c in view.checklists] == ["urgent", "calm"]
    assert view.checklists[0].open_steps[0].state is State.OVERDUE
    data = view.to_dict()
    assert data["opportunities"][0]["next"][0]["state"] == "overdue"
    assert data["keep_searching"]["kind"] == "keep_searching"


# The checklist at its edges (issue 11)


def two_rounds(decision_by: str, **fields) -> Opportunity:
    first = {
        "name": "Round 1",
        "starts_at": "2026-11-10T10:00:00+01:00",
        "timezone": "Europe/Berlin",
        "interviewers": [{"name": "Kim Lee", "email": "kim@x.example"}],
    }
    second = {**first, "name": "Round 2", "starts_at": "2026-11-25T10:00:00+01:00"}
    return Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "timeline": {"decision_by": decision_by},
            "rounds": [first, second],
            **fields,
        }
    )


def test_a_round_with_no_interviewers_asks_who_you_met_due_like_a_thank_you():
    opportunity = make(interviewers=[])
    step = only(opportunity, at(BERLIN, 2026, 11, 27, 12), StepKind.THANK_YOU)
    assert step.title == "Record who you met in Round 1, then thank each of them"
    assert step.due == thank_you_due(opportunity.rounds[0]) == at(BERLIN, 2026, 11, 27, 11)
    assert step.state is State.OVERDUE and step.round == "round-1" and step.person is None
    assert steps(opportunity, at(BERLIN, 2026, 11, 26, 9), StepKind.THANK_YOU) == []
    ended = make(interviewers=[], status=Status.REJECTED)
    assert steps(ended, at(BERLIN, 2026, 11, 27, 12), StepKind.THANK_YOU) == []


def test_a_date_overtaken_by_a_later_round_asks_for_the_new_timeline_and_never_to_chase():
    opportunity = two_rounds("2026-11-16")
    for day in (26, 27, 30):
        now = at(BERLIN, 2026, 11, day, 12)
        step = only(opportunity, now, StepKind.TIMELINE)
        assert step.title == "Record the new timeline"
        assert step.state is State.TO_DO and step.due is None
        assert "Mon 16 Nov 2026" in step.why and "Round 2" in step.why
        assert check_in_step(opportunity, now) is None
        assert asks_about_next_steps(opportunity, now)
    thank_you = next(
        s
        for s in steps(opportunity, at(BERLIN, 2026, 11, 26, 9), StepKind.THANK_YOU)
        if s.round == "round-2"
    )
    assert "ask about next steps" in thank_you.why
    # Before Round 2 took place, the date still stood.
    before = at(BERLIN, 2026, 11, 20, 12)
    assert only(opportunity, before, StepKind.TIMELINE).state is State.WAITING
    assert not asks_about_next_steps(opportunity, before)


def test_a_date_on_or_after_the_latest_round_still_stands():
    opportunity = two_rounds("2026-11-25")
    assert not asks_about_next_steps(opportunity, at(BERLIN, 2026, 11, 25, 18))
    assert only(opportunity, at(BERLIN, 2026, 11, 25, 18), StepKind.TIMELINE).state is (
        State.WAITING
    )


@pytest.mark.parametrize(
    ("timeline", "asks", "says"),
    [
        (None, True, "No timeline recorded yet: ask about next steps"),
        ({"given": False}, True, "No timeline was given: ask about next steps"),
        ({"decision_by": "2026-12-04"}, False, None),
    ],
)
def test_no_timeline_recorded_is_the_same_as_nothing_said_for_the_thank_you(timeline, asks, says):
    opportunity = make(timeline=timeline)
    now = at(BERLIN, 2026, 11, 26, 12)
    assert asks_about_next_steps(opportunity, now) is asks
    step = only(opportunity, now, StepKind.THANK_YOU)
    assert (says in step.why) if says else ("next steps" not in step.why)


def test_no_response_gets_the_dont_give_up_steps_but_no_feedback_request():
    opportunity = make(status=Status.NO_RESPONSE, outcome_on="2026-12-20")
    found = {s.kind for s in checklist(opportunity, at(BERLIN, 2026, 12, 21, 12)).steps}
    assert {StepKind.OTHER_ROLES, StepKind.TALENT_COMMUNITY} <= found
    assert StepKind.FEEDBACK not in found and StepKind.TIMELINE not in found


def test_feedback_goes_to_the_recruiter_and_each_interviewer_with_an_email():
    opportunity = Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "status": "rejected",
            "recruiter": {"name": "Rae Cruz"},
            "rounds": [
                {
                    "name": "Round 1",
                    "starts_at": "2026-11-10T10:00:00+01:00",
                    "interviewers": [
                        {"name": "Kim Lee", "email": "kim@x.example"},
                        {"name": "No Mail"},
                    ],
                },
                {
                    "name": "Round 2",
                    "starts_at": "2026-11-12T10:00:00+01:00",
                    "interviewers": [
                        {"name": "Kim Lee", "email": "kim@x.example"},
                        {"name": "Ola Berg", "email": "ola@x.example"},
                    ],
                },
            ],
        }
    )
    people = feedback_recipients(opportunity)
    assert [p.name for p in people] == ["Rae Cruz", "Kim Lee", "Ola Berg"]
    step = only(opportunity, at(BERLIN, 2026, 11, 20, 12), StepKind.FEEDBACK)
    assert step.why.endswith("Drafts for Rae Cruz, Kim Lee, Ola Berg.")
    assert [p.name for p in feedback_recipients(make())] == ["Kim Lee"]


def test_the_talent_community_step_carries_the_link_and_records_the_day_joined():
    link = "https://careers.acme.example/community"
    unknown = only(make(status=Status.REJECTED), ONSITE, StepKind.TALENT_COMMUNITY)
    assert unknown.state is State.TO_DO
    assert "Ask the recruiter where to sign up" in unknown.why
    known = only(
        make(status=Status.REJECTED, talent_community_link=link), ONSITE, StepKind.TALENT_COMMUNITY
    )
    assert f"Sign up at {link}" in known.why
    joined = only(
        make(status=Status.NO_RESPONSE, talent_community_joined_on="2026-12-01"),
        ONSITE,
        StepKind.TALENT_COMMUNITY,
    )
    assert (joined.state, joined.why) == (State.DONE, "Joined on Tue 01 Dec 2026.")


def test_keep_searching_is_silent_after_an_accepted_offer_and_shows_the_way_in_when_empty():
    accepted = keep_searching([make(status=Status.ACCEPTED), make(status=Status.REJECTED)])
    assert accepted.state is State.NOT_APPLICABLE and not accepted.state.open
    assert "accepted the offer from Acme" in accepted.why
    empty = keep_searching([])
    assert empty.state is State.TO_DO
    assert "Only" not in empty.why and "recording an opportunity" in empty.why


@pytest.mark.parametrize(
    ("person", "expected", "refused"),
    [
        ({"name": "A", "card_collected": True}, "take it from their business card", "collect"),
        ({"name": "A"}, "collect their business card", None),
    ],
)
def test_a_person_with_a_collected_card_is_not_told_to_collect_it(person, expected, refused):
    step = only(make(interviewers=[person]), at(BERLIN, 2026, 11, 26, 12), StepKind.THANK_YOU)
    assert expected in step.why
    assert refused is None or refused not in step.why


def test_a_thank_you_due_in_a_spring_forward_gap_falls_just_after_it():
    # Lord Howe moves its clocks from 02:00 to 02:30 on 5 Oct 2025: 02:29 never shows there.
    round_ = Interview(
        name="Round 1",
        starts_at=datetime(2025, 10, 4, 2, 28, tzinfo=ZoneInfo("Australia/Lord_Howe")),
        timezone="Australia/Lord_Howe",
        duration_minutes=1,
    )
    due = thank_you_due(round_)
    assert (due.hour, due.minute) == (2, 59)
    assert due.astimezone(UTC) - round_.ends_at.astimezone(UTC) == timedelta(hours=24)
