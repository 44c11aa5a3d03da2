"""`followup stats`' numbers on synthetic workbooks whose answers are worked out by hand."""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta

import pytest

from followup.core.model import Opportunity
from followup.search import page
from followup.search.figures import RULE_OF_THUMB, load_figures
from followup.search.stats import (
    MIN_TO_COMPARE,
    compute,
    decision_times,
    first_answer_times,
    funnel,
    kaplan_meier,
    wilson,
)

TODAY = date(2026, 12, 1)
_count = iter(range(10_000))


def app(applied: date | None = None, *, source: str | None = None, **fields) -> Opportunity:
    n = next(_count)
    return Opportunity.model_validate(
        {"id": f"app-{n}", "company": f"Company {n}", "applied_on": applied, "source": source}
        | fields
    )


def rounds(*days: date) -> list[dict]:
    return [
        {"name": f"R{i}", "starts_at": f"{d.isoformat()}T10:00+01:00"} for i, d in enumerate(days)
    ]


def answered(applied: date, after_days: int, **fields) -> Opportunity:
    """Applied, then a first round `after_days` later (an invitation on the round's day)."""
    return app(applied, rounds=rounds(applied + timedelta(days=after_days)), **fields)


def test_the_funnel_counts_each_application_up_to_the_furthest_step_it_reached():
    day = date(2026, 10, 1)
    workbook = [
        app(day),  # still waiting
        app(day),
        app(day, status="rejected", outcome_on="2026-10-05"),  # a no without an interview
        answered(day, 5),  # one round
        app(day, rounds=rounds(date(2026, 10, 8), date(2026, 10, 15))),  # two rounds
        app(day, rounds=rounds(date(2026, 10, 8)), status="offer", outcome_on="2026-10-20"),
        app(day, rounds=rounds(date(2026, 10, 8)), status="accepted", outcome_on="2026-10-25"),
        app(day, stages=[{"stage": "interviewing", "day": None}]),  # imported "Interviewing"
    ]
    steps = {s.step: s for s in funnel(workbook)}
    assert {k: s.count for k, s in steps.items()} == {
        "applied": 8,
        "first interview": 5,
        "later rounds": 3,
        "offer": 2,
        "accepted": 1,
    }
    assert steps["first interview"].from_previous == pytest.approx(5 / 8)
    assert steps["offer"].from_previous == pytest.approx(2 / 3)
    assert steps["accepted"].from_applied == pytest.approx(1 / 8)


def test_the_median_time_to_an_answer_is_the_kaplan_meier_one_worked_by_hand():
    # Answers after 2, 5 and 7 days; one application waiting for 3 days so far (censored).
    # By hand: S(2) = 3/4; at day 5 two are still at risk, S(5) = 3/4 × 1/2 = 3/8 <= 1/2.
    workbook = [
        answered(date(2026, 11, 1), 2),
        answered(date(2026, 11, 1), 5),
        answered(date(2026, 11, 1), 7),
        app(TODAY - timedelta(days=3)),
    ]
    durations, observed, left_out = first_answer_times(workbook, TODAY)
    assert sorted(zip(durations, observed, strict=True)) == [
        (2, True),
        (3, False),
        (5, True),
        (7, True),
    ]
    assert left_out == 0
    estimate = kaplan_meier("t", "days", durations, observed)
    assert estimate.median == 5
    assert (estimate.answered, estimate.waiting) == (3, 1)


def test_an_application_still_waiting_moves_the_median_as_a_censored_one_should():
    # Had the fourth been answered on day 3, S(3) = 1/2 and the median would be 3, not 5.
    answered_all = kaplan_meier("t", "days", [2, 3, 5, 7], [True, True, True, True])
    one_waiting = kaplan_meier("t", "days", [2, 3, 5, 7], [True, False, True, True])
    assert answered_all.median == 3
    assert one_waiting.median == 5


def test_a_median_never_reached_is_said_in_words_and_is_null_in_json_never_infinite():
    waiting = [app(TODAY - timedelta(days=d)) for d in (3, 10, 20)] + [answered(TODAY, 0)]
    stats = compute(waiting, TODAY)
    assert stats.first_answer.median is None
    assert "not reached yet" in stats.first_answer.median_text()
    shown = page.to_text(stats, [])
    assert "inf" not in shown and "nan" not in shown
    data = json.loads(page.to_json(stats, []))
    assert data["durations"]["time_to_first_answer"]["median"] is None


def test_the_median_interval_comes_from_lifelines_and_brackets_the_median():
    estimate = kaplan_meier("t", "days", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [True] * 10)
    assert estimate.median == 5
    assert estimate.lower is not None and estimate.lower <= 5
    assert estimate.upper is None or estimate.upper >= 5


def test_a_decision_is_timed_from_the_last_round_and_a_round_still_ahead_is_not_waiting():
    decided = app(
        date(2026, 10, 1),
        rounds=rounds(date(2026, 10, 10), date(2026, 10, 20)),
        status="rejected",
        outcome_on="2026-10-27",
    )
    waiting = app(date(2026, 10, 1), rounds=rounds(date(2026, 11, 21)))
    ahead = app(date(2026, 10, 1), rounds=rounds(date(2026, 11, 1), TODAY + timedelta(days=3)))
    withdrawn = app(
        date(2026, 10, 1),
        rounds=rounds(date(2026, 11, 1)),
        status="withdrawn",
        outcome_on="2026-11-04",
    )
    durations, observed, _ = decision_times([decided, waiting, ahead, withdrawn], TODAY)
    assert sorted(zip(durations, observed, strict=True)) == [(3, False), (7, True), (10, False)]


def test_a_withdrawn_application_counts_as_unanswered_up_to_the_day_it_was_withdrawn():
    gone = app(date(2026, 11, 1), status="withdrawn", outcome_on="2026-11-09")
    assert first_answer_times([gone], TODAY)[:2] == ([8.0], [False])


def test_an_application_without_a_day_applied_is_left_out_of_the_waiting_times_and_said_so():
    stats = compute([app(None), answered(date(2026, 11, 1), 4)], TODAY)
    assert stats.first_answer.applications == 1
    assert stats.first_answer.left_out == 1
    assert "1 left out" in page.duration_line(stats.first_answer)


def test_conversion_by_source_gives_a_wilson_interval_only_from_the_minimum_count():
    day = date(2026, 10, 1)
    boards = [answered(day, 4, source="job board")] + [
        app(day, source="job board") for _ in range(MIN_TO_COMPARE - 1)
    ]
    referrals = [answered(day, 3, source="referral") for _ in range(MIN_TO_COMPARE - 1)]
    stats = compute(boards + referrals, TODAY)
    by = {s.source: s for s in stats.sources}
    board = by["job board"]
    assert (board.applications, board.interviews, board.rate) == (MIN_TO_COMPARE, 1, 0.2)
    # Wilson by hand for 1 in 5 at 95%.
    z, n, p = 1.959963984540054, 5, 0.2
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert (board.lower, board.upper) == pytest.approx((centre - half, centre + half))
    referral = by["referral"]
    assert not referral.comparable and referral.rate is None and referral.lower is None
    assert "too few to compare" in page.to_text(stats, [])


def test_wilson_stays_inside_zero_and_one_at_the_edges():
    assert wilson(0, 5)[0] == pytest.approx(0, abs=1e-12)
    assert wilson(5, 5)[1] == pytest.approx(1)


def test_since_counts_only_applications_started_on_or_after_that_day():
    old, new = app(date(2026, 9, 1)), app(date(2026, 11, 1))
    stats = compute([old, new], TODAY, since=date(2026, 10, 1))
    assert stats.applications == 1
    assert stats.left_out_by_since == 1


def test_activity_is_counted_per_week_with_empty_weeks_kept():
    a = answered(date(2026, 11, 2), 14)  # a Monday; the round two weeks later
    weeks = compute([a], TODAY).activity
    assert [w for w, _ in weeks] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert [c["applications"] for _, c in weeks] == [1, 0, 0]
    assert [c["rounds"] for _, c in weeks] == [0, 0, 1]


def test_days_in_each_stage_separate_finished_stays_from_ones_going_on():
    a = app(
        date(2026, 11, 1),
        stages=[
            {"stage": "applied", "day": "2026-11-01"},
            {"stage": "interviewing", "day": "2026-11-11"},
        ],
    )
    rows = {s.stage: s for s in compute([a], TODAY).stage_days}
    assert (rows["applied"].finished, rows["applied"].median_finished) == (1, 10)
    assert (rows["interviewing"].ongoing, rows["interviewing"].median_ongoing) == (1, 20)


def test_the_json_has_the_documented_shape():
    data = json.loads(page.to_json(compute([answered(date(2026, 11, 1), 4)], TODAY), []))
    assert set(data) >= {"funnel", "conversion", "durations", "sources", "activity", "stage_days"}
    assert list(data["funnel"]) == [
        "applied",
        "first interview",
        "later rounds",
        "offer",
        "accepted",
    ]
    for duration in data["durations"].values():
        assert set(duration) >= {"median", "interval", "applications", "answered", "waiting"}
        assert set(duration["interval"]) == {"lower", "upper", "confidence"}


def test_every_published_figure_names_its_source_and_year_or_says_rule_of_thumb():
    figures = load_figures()
    assert figures
    for figure in figures:
        assert figure.source == RULE_OF_THUMB or (figure.year and figure.year > 1990)
        assert figure.cited in figure.line()


def test_the_page_puts_what_to_do_today_above_every_chart():
    stats = compute([answered(date(2026, 11, 1), 4), app(date(2026, 11, 20))], TODAY)
    text = page.to_html(stats, load_figures(), [("Acme", "Send the thank-you", "Within a day", "")])
    assert text.index("What to do today") < text.index("<img")
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", text)  # nothing from another host
    assert "<script" not in text


def test_the_page_escapes_the_persons_text():
    stats = compute([app(date(2026, 11, 1), source="referral")], TODAY)
    text = page.to_html(stats, [], [("<b>Acme</b>", "step", "why", "")])
    assert "<b>Acme</b>" not in text and "&lt;b&gt;Acme&lt;/b&gt;" in text


def test_the_page_explains_censoring_and_links_each_section_from_the_top():
    stats = compute([answered(date(2026, 11, 1), 4)], TODAY)
    text = page.to_html(stats, [], [])
    assert "Estimated with Kaplan–Meier" in text and "censored at today" in text
    for anchor, _ in page.SECTIONS:
        assert text.index(f"href='#{anchor}'") < text.index(f"id='{anchor}'")
