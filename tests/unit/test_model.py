"""The data model's invariants: what a valid record is, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from followup.core.model import (
    ENDED_STATUSES,
    AnswerReview,
    Debrief,
    Interview,
    Opportunity,
    Person,
    Reflection,
    SalaryRange,
    Status,
    Timeline,
    is_valid_id,
    salary_problems,
    slugify,
)


def test_a_minimal_opportunity_needs_only_id_and_company():
    opportunity = Opportunity(id="acme", company="Acme")
    assert opportunity.status is Status.ACTIVE
    assert opportunity.rounds == []
    assert opportunity.timeline is None


@pytest.mark.parametrize(
    "bad", ["", "Acme", "acme_x", "../x", "/etc/passwd", "a--b", "-a", "a" * 65]
)
def test_unsafe_ids_are_refused(bad):
    assert not is_valid_id(bad)
    with pytest.raises(ValidationError):
        Opportunity(id=bad, company="Acme")


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Opportunity(id="acme", company="Acme", salary=5)


def test_ended_statuses_are_defined_once_and_an_offer_is_still_open():
    assert {s for s in Status if s.ended} == ENDED_STATUSES
    assert not Status.OFFER.ended
    assert not Status.ACTIVE.ended
    assert Status.REJECTED.ended and Status.NO_RESPONSE.ended


def test_slugify_keeps_non_ascii_names_readable():
    assert slugify("Jörg's Café, Round 2") == "jorgs-cafe-round-2"
    assert slugify("!!!") == "item"


def test_a_naive_start_is_placed_in_the_named_time_zone():
    interview = Interview(
        name="Onsite", starts_at=datetime(2026, 7, 1, 10), timezone="Europe/Berlin"
    )
    assert interview.starts_at.utcoffset() == timedelta(hours=2)


def test_a_start_without_any_time_zone_is_refused():
    with pytest.raises(ValidationError, match="no time zone"):
        Interview(name="Onsite", starts_at=datetime(2026, 7, 1, 10))


def test_an_unknown_time_zone_is_refused_with_an_example():
    with pytest.raises(ValidationError, match="Europe/Berlin"):
        Interview(name="Onsite", timezone="Mars/Olympus")


def test_an_offset_start_is_shown_in_the_rounds_zone():
    interview = Interview(
        name="Call", starts_at=datetime(2026, 7, 1, 8, tzinfo=UTC), timezone="America/New_York"
    )
    assert interview.starts_at.hour == 4
    assert interview.ends_at - interview.starts_at == timedelta(minutes=60)


def test_rounds_need_distinct_names():
    with pytest.raises(ValidationError, match="two rounds share"):
        Opportunity(
            id="a", company="A", rounds=[Interview(name="Round 1"), Interview(name="round-1")]
        )


def test_round_lookup_by_key_name_or_number():
    opportunity = Opportunity(
        id="a", company="A", rounds=[Interview(name="Phone screen"), Interview(name="Onsite")]
    )
    assert opportunity.round("phone-screen").name == "Phone screen"
    assert opportunity.round("Onsite").name == "Onsite"
    assert opportunity.round("2").name == "Onsite"


def test_email_and_linkedin_are_checked():
    with pytest.raises(ValidationError, match="email address"):
        Person(name="A", email="not an email")
    with pytest.raises(ValidationError, match="https://"):
        Person(name="A", linkedin="linkedin.com/in/a")
    assert Person(name="A", email="").email is None


def test_names_cannot_smuggle_a_newline():
    with pytest.raises(ValidationError):
        Person(name="Eve\nBcc: everyone@example.com")


def test_salary_range_invariants():
    ok = SalaryRange(currency="eur", minimum=50000, target=60000, stretch=70000)
    assert ok.currency == "EUR"
    with pytest.raises(ValidationError, match="minimum"):
        SalaryRange(currency="EUR", minimum=70000, target=60000)
    with pytest.raises(ValidationError, match="target"):
        SalaryRange(currency="EUR", target=80000, stretch=70000)
    with pytest.raises(ValidationError, match="ISO 4217"):
        SalaryRange(currency="EURO")
    with pytest.raises(ValidationError, match="greater than or equal"):
        SalaryRange(currency="USD", minimum=-1)
    with pytest.raises(ValidationError, match="posted"):
        SalaryRange(currency="USD", posted_minimum=10, posted_maximum=5)


def test_salary_problems_reports_every_broken_rule_in_plain_words():
    class Draft:
        minimum, target, stretch, posted_minimum, posted_maximum = 9, 5, 1, None, None

    problems = salary_problems(Draft())
    assert len(problems) == 3
    assert "the minimum (9) is above the target (5)" in problems


def test_a_half_done_debrief_is_valid_and_not_yet_recorded():
    debrief = Debrief(answers=[AnswerReview()], research=[{"topic": "Their API"}])
    assert not debrief.is_recorded()
    assert [t.topic for t in debrief.open_topics()] == ["Their API"]
    debrief.answers[0].question = "Why us?"
    assert debrief.is_recorded()


def test_scores_are_one_to_five():
    with pytest.raises(ValidationError):
        AnswerReview(example_compelling=6)
    with pytest.raises(ValidationError):
        Reflection(people={"score": 0})


def test_a_date_without_a_timeline_is_contradictory():
    with pytest.raises(ValidationError, match="given is false"):
        Timeline(given=False, decision_by="2026-12-01")


def test_interviewers_are_listed_once_across_rounds():
    opportunity = Opportunity(
        id="a",
        company="A",
        rounds=[
            Interview(name="R1", interviewers=[{"name": "Kim"}, {"name": "Lee"}]),
            Interview(name="R2", interviewers=[{"name": "Kim"}]),
        ],
    )
    assert [p.name for p in opportunity.interviewers()] == ["Kim", "Lee"]


def test_two_interviewers_with_the_same_name_are_refused_even_in_a_round_with_no_date():
    people = [{"name": "Kim Lee"}, {"name": "Kim Lee"}]
    with pytest.raises(ValidationError, match="two interviewers in this round are named 'Kim Lee'"):
        Interview(name="Round 1", interviewers=people)
    with pytest.raises(ValidationError, match="named 'Kim Lee'"):
        Interview(name="Round 1", starts_at="2026-11-26T10:00+01:00", interviewers=people)


@pytest.mark.parametrize("figure", [float("inf"), float("-inf"), float("nan")])
@pytest.mark.parametrize("field", ["minimum", "target", "stretch", "posted_minimum"])
def test_salary_figures_must_be_finite(field, figure):
    with pytest.raises(ValidationError, match="finite number"):
        SalaryRange(currency="EUR", **{field: figure})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("outcome_on", "0001-01-01"),
        ("outcome_on", "9999-12-31"),
        ("talent_community_joined_on", "1899-12-31"),
    ],
)
def test_days_at_the_ends_of_the_calendar_are_refused(field, value):
    with pytest.raises(ValidationError, match=f"between the years 1900 and 2200, got {value}"):
        Opportunity(id="acme", company="Acme", **{field: value})


@pytest.mark.parametrize("start", ["0001-01-01T00:00+01:00", "9999-12-31T23:59-12:00"])
def test_a_round_at_the_ends_of_the_calendar_is_refused(start):
    with pytest.raises(ValidationError, match="between the years 1900 and 2200"):
        Interview(name="Round 1", starts_at=start, timezone="Pacific/Kiritimati")


def test_the_years_at_the_bounds_themselves_are_accepted():
    Opportunity(id="acme", company="Acme", outcome_on="1900-01-01")
    Interview(name="Round 1", starts_at="2200-12-31T23:59-12:00", timezone="Pacific/Kiritimati")


@pytest.mark.parametrize("bad", ["acme\n", "acme\r\n", "\nacme", "acme-"])
def test_an_id_check_is_a_full_match(bad):
    assert not is_valid_id(bad)


def test_the_talent_community_link_is_a_web_address():
    link = "https://careers.acme.example/community"
    assert Opportunity(id="a", company="A", talent_community_link=link).talent_community_link
    with pytest.raises(ValidationError, match="starting with https://"):
        Opportunity(id="a", company="A", talent_community_link="javascript:alert(1)")
