"""The offer's steps: record it, counter it while it is below your target, answer it by their
date with two alarms; drafted, scheduled and listed from the same checklist as every step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.calendar.ics import entries_for, event_for
from followup.core.model import Opportunity
from followup.core.policy import Policy
from followup.drafts.compose import drafts_for
from followup.steps import State, act, checklist

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 26, 18, tzinfo=OSLO)
OFFER = {
    "id": "fjord",
    "company": "Fjord",
    "status": "offer",
    "recruiter": {"name": "Ingrid Østby", "email": "ingrid@fjord.example"},
    "salary_range": {"currency": "NOK", "minimum": 700000, "target": 800000},
    "offer": {"currency": "NOK", "base": 780000, "answer_by": "2026-12-03"},
}


def opportunity(**changes) -> Opportunity:
    return Opportunity.model_validate({**OFFER, **changes})


def steps_of(o: Opportunity, now: datetime = NOW) -> dict[str, object]:
    return {s.kind: s for s in checklist(o, now).steps}


def test_an_offer_not_yet_written_down_asks_for_its_details():
    steps = steps_of(opportunity(offer=None))
    assert steps["offer"].state is State.TO_DO and "answer" in steps["offer"].why
    assert "answer_offer" not in steps and "counter_offer" not in steps


def test_a_recorded_offer_is_done_and_its_answer_is_due_at_the_end_of_their_day():
    steps = steps_of(opportunity())
    assert steps["offer"].state is State.DONE
    answer = steps["answer_offer"]
    assert answer.due == datetime(2026, 12, 4, tzinfo=OSLO)
    assert answer.state is State.TO_DO
    late = steps_of(opportunity(), datetime(2026, 12, 4, 1, tzinfo=OSLO))["answer_offer"]
    assert late.state is State.OVERDUE


def test_an_offer_below_your_target_offers_a_counter_until_you_send_it():
    counter = steps_of(opportunity())["counter_offer"]
    assert counter.state is State.TO_DO and "below your target" in counter.why
    sent = act(opportunity(), "counter_offer", "done", NOW)
    assert sent.offer.countered_on == date(2026, 11, 26)
    assert steps_of(sent)["counter_offer"].state is State.DONE
    assert act(sent, "counter_offer", "undo", NOW).offer.countered_on is None


def test_no_counter_when_the_offer_meets_your_target_or_your_range_is_elsewhere():
    met = opportunity(offer={**OFFER["offer"], "base": 800000})
    other_currency = opportunity(salary_range={**OFFER["salary_range"], "currency": "EUR"})
    for o in (met, other_currency, opportunity(salary_range=None)):
        assert "counter_offer" not in steps_of(o)


def test_once_answered_the_offer_asks_nothing_more():
    for status in ("accepted", "declined", "active"):
        steps = steps_of(opportunity(status=status))
        assert not {"offer", "counter_offer", "answer_offer"} & set(steps)


def test_an_open_offer_has_its_answers_and_its_counter_drafted():
    kinds = [str(d.kind) for d in drafts_for(opportunity(), NOW)]
    assert kinds == ["counter-offer", "more-time", "accept-offer", "decline-offer"]
    assert [str(d.kind) for d in drafts_for(opportunity(status="accepted"), NOW)] == []


def test_the_answer_rings_two_days_before_and_that_morning():
    policy = Policy(zone=OSLO)
    (answer,) = [e for e in entries_for(opportunity(), NOW, policy) if e.step == "answer_offer"]
    assert (answer.start, answer.end) == (date(2026, 12, 3), date(2026, 12, 4))
    event = event_for(answer, NOW)
    rings = sorted(a["TRIGGER"].dt for a in event.walk("VALARM"))
    assert rings == [
        datetime(2026, 12, 1, 9, tzinfo=OSLO).astimezone(UTC),
        datetime(2026, 12, 3, 9, tzinfo=OSLO).astimezone(UTC),
    ]
    morning_of = datetime(2026, 12, 3, 10, tzinfo=OSLO)
    assert len(event_for(answer, morning_of).walk("VALARM")) == 0, "no alarm in the past"


@settings(max_examples=80, deadline=None)
@given(
    base=st.integers(0, 2_000_000),
    target=st.none() | st.integers(0, 2_000_000),
    days=st.integers(-20, 20),
    status=st.sampled_from(["offer", "active", "accepted"]),
)
def test_the_counter_step_and_its_draft_come_and_go_together(base, target, days, status):
    salary = {"currency": "NOK", "target": target} if target is not None else None
    o = opportunity(status=status, salary_range=salary, offer={**OFFER["offer"], "base": base})
    now = NOW + timedelta(days=days)  # before, on and after their answer day
    steps = steps_of(o, now)
    counters = [d for d in drafts_for(o, now) if str(d.kind) == "counter-offer"]
    below = status == "offer" and target is not None and base < target
    assert ("counter_offer" in steps) is below
    assert bool(counters) is below
