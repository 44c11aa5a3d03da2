"""What repeats across rounds, as plain rows: weak spots, repeated questions, ratings over time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.compare import trends
from followup.core import formats
from followup.core.model import (
    REFLECTION_AREAS,
    AnswerReview,
    Debrief,
    Interview,
    Opportunity,
    Rating,
    Reflection,
    ResearchTopic,
    Status,
)

scores = st.one_of(st.none(), st.integers(1, 5))


def opp(oid: str, ratings: dict[str, int | None] | None = None, **extra) -> Opportunity:
    reflection = Reflection(**{a: Rating(score=s) for a, s in (ratings or {}).items()})
    return Opportunity(id=oid, company=oid.title(), reflection=reflection, **extra)


def answered_round(*answers: tuple[str, int | None, int | None], day: int = 1, **debrief):
    return Interview(
        name=f"Round on the {day}",
        starts_at=datetime(2026, 11, day, 10, tzinfo=timezone(timedelta(hours=1))),
        debrief=Debrief(
            answers=[
                AnswerReview(question=q, example_compelling=e, key_point_clear=k, improve=f"on {q}")
                for q, e, k in answers
            ],
            **debrief,
        ),
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(scores, min_size=5, max_size=5), max_size=6))
def test_an_area_is_a_weak_spot_exactly_when_rated_low_more_than_once(table):
    opportunities = [
        opp(f"o{i}", dict(zip(REFLECTION_AREAS, row, strict=True))) for i, row in enumerate(table)
    ]
    weak = {r["area"]: r for r in trends.trend_rows(opportunities).weak_spots}
    for k, area in enumerate(REFLECTION_AREAS):
        given_scores = [row[k] for row in table if row[k] is not None]
        low = sum(1 for s in given_scores if s <= trends.LOW_RATING)
        assert (area in weak) == (low > 1)
        if area in weak:
            assert weak[area]["rated_low"] == low
            assert weak[area]["average"] == round(sum(given_scores) / len(given_scores), 2)
    averages = [(r["average"], r["area"]) for r in weak.values()]
    assert list(weak) == [area for _, area in sorted(averages)]  # lowest average first


def test_a_weak_answer_names_the_first_lowest_rated_question_and_what_to_improve():
    opportunities = [
        opp("a", rounds=[answered_round(("Why us?", 2, 4), ("Conflict?", 1, 5), day=3)]),
        opp("b", rounds=[answered_round(("Failure?", 1, None), day=1)]),
    ]
    weak = trends.trend_rows(opportunities).weak_spots
    assert [r["area"] for r in weak] == ["Examples compelling"]  # key points: never low twice
    assert weak[0]["kind"] == "your answers"
    assert weak[0]["lowest_rated"] == "Conflict?" and weak[0]["to_improve"] == "on Conflict?"
    assert weak[0]["ratings"] == 3 and weak[0]["average"] == round(4 / 3, 2)


def test_questions_match_without_case_punctuation_or_extra_spaces_across_companies():
    assert trends.normalise_question("  Why THIS role?!  ") == "why this role"
    opportunities = [
        opp("acme", rounds=[answered_round(("Why this role?", 3, 3))]),
        opp("bolt", rounds=[answered_round(("why this   role", 4, 4), ("Salary?", 3, 3))]),
        opp("crane", rounds=[answered_round(("Salary?", 3, 3), ("Salary!", 3, 3))]),
        opp("dune", rounds=[answered_round(("Why this role", 2, 2))]),
    ]
    repeated = trends.trend_rows(opportunities).repeated_questions
    assert repeated == [
        {"question": "Salary?", "times": 3, "companies": "Bolt, Crane"},
        {"question": "Why this role?", "times": 3, "companies": "Acme, Bolt, Dune"},
    ]


def test_ratings_over_time_run_in_time_order_whatever_the_zone():
    tokyo = Interview(
        name="Early in Tokyo",
        starts_at=datetime(2026, 11, 2, 8, tzinfo=timezone(timedelta(hours=9))),  # 23:00 UTC
        debrief=Debrief(answers=[AnswerReview(question="Q", example_compelling=1)]),
    )
    late = answered_round(("Q", 5, 4), day=1)  # 09:00 UTC on the 1st
    undated = Interview(name="No date", debrief=Debrief(overall_rating=3))
    opportunities = [opp("a", rounds=[tokyo, undated]), opp("b", rounds=[late])]
    over_time = trends.trend_rows(opportunities).ratings_over_time
    assert [r["round_name"] for r in over_time] == ["Round on the 1", "Early in Tokyo"]
    assert [r["running_answer_score"] for r in over_time] == [4.5, 2.75]
    without = trends.trend_rows(opportunities, over_time=False)
    assert without.ratings_over_time == []
    assert without == replace(trends.trend_rows(opportunities), ratings_over_time=[])


def test_open_research_of_open_processes_comes_first():
    ended = opp(
        "gone",
        status=Status.REJECTED,
        rounds=[answered_round(research=[ResearchTopic(topic="old")])],
    )
    active = opp(
        "live",
        rounds=[
            answered_round(
                research=[ResearchTopic(topic="dbt"), ResearchTopic(topic="x", done=True)]
            )
        ],
    )
    research = trends.trend_rows([ended, active]).open_research
    assert [(r["topic"], r["process_open"]) for r in research] == [("dbt", True), ("old", False)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(1, 5), st.fractions(1, 5, max_denominator=8).map(float))
    )
)
def test_the_running_mean_agrees_with_pandas_to_the_bit(values):
    expected = pd.Series(values, dtype="Float64").astype(float).expanding().mean().round(2)
    mine = [None if m is None else formats.rounded(m, 2) for m in trends.running_mean(values)]
    assert mine == [None if pd.isna(v) else float(v) for v in expected]


def test_an_empty_workbook_has_no_trends():
    assert trends.trend_rows([]) == trends.TrendRows([], [], [], [])


def test_a_dated_round_without_answers_has_no_running_score_yet():
    quiet = Interview(name="R", starts_at=datetime(2026, 1, 1, tzinfo=UTC))
    over_time = trends.trend_rows([opp("a", rounds=[quiet])]).ratings_over_time
    assert over_time[0]["answer_score"] is None
    assert over_time[0]["running_answer_score"] is None


def test_trends_gathered_on_the_rankings_pass_are_the_trends():
    from followup.compare import ranking

    ended = opp("gone", {"fit": 1}, status=Status.REJECTED, rounds=[answered_round(("Why?", 1, 2))])
    active = opp(
        "live",
        {"fit": 2, "people": 1},
        rounds=[
            answered_round(("why?", 2, None), research=[ResearchTopic(topic="dbt")]),
            answered_round(("Tell me", 5, 1), day=3),
        ],
    )
    gathered = trends.Gathered()
    now = datetime(2026, 11, 20, tzinfo=UTC)
    ranked = ranking.rank(gathered.passing([ended, active]), now)
    assert [r.opportunity.id for r in ranked.rows] == ["live", "gone"]
    for over_time in (True, False):
        expected = trends.trend_rows([ended, active], over_time=over_time)
        assert gathered.rows(over_time=over_time) == expected
    assert gathered.rows().weak_spots and gathered.rows().repeated_questions
