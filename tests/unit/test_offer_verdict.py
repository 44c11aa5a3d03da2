"""How an offer measures up, in words: against your three numbers, the posted range and other
offers, never adding amounts in two currencies."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.compare.ranking import Money
from followup.core.model import MAX_OFFER_AMOUNT, Opportunity
from followup.offers import value
from followup.offers.verdict import Valued, base_line, first_year_line, verdict

LEVELS = {"minimum": 58000.0, "target": 64000.0, "stretch": 70000.0}


def valued(offer: dict, salary: dict | None = None, company: str = "North") -> Valued:
    o = Opportunity.model_validate(
        {
            "id": company.lower(),
            "company": company,
            "status": "offer",
            "salary_range": salary,
            "offer": offer,
        }
    )
    return Valued(o, value.value_frame(o.offer))


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (50000, "Base 50,000 EUR: 14% below your walk-away minimum (58,000 EUR)."),
        (61440, "Base 61,440 EUR: 4% below your target (64,000 EUR), 6% above your walk-away"),
        (64000, "Base 64,000 EUR: 9% below your stretch (70,000 EUR), equal to your target."),
        (63990, "Base 63,990 EUR: just below your target (64,000 EUR)"),
        (77000, "Base 77,000 EUR: 10% above your stretch (70,000 EUR)."),
    ],
)
def test_the_base_is_placed_between_your_numbers_in_percent(base, expected):
    assert base_line(base, LEVELS, "EUR").startswith(expected)


def test_the_first_year_names_the_lowest_scenario_that_reaches_each_number():
    first_year = {0.0: 60000.0, 1.0: 71000.0, 3.0: 90000.0}
    assert first_year_line(first_year, LEVELS) == (
        "First-year total: reaches your walk-away minimum whatever the equity is worth; "
        "reaches your target and your stretch only if the equity is worth the grant."
    )
    short = {0.0: 50000.0, 1.0: 52000.0}
    assert first_year_line(short, {"target": 64000.0}) == (
        "First-year total: falls short of your target even if the equity is worth the grant."
    )


def test_a_range_in_another_currency_is_measured_only_through_the_rates():
    offer = {"currency": "USD", "base": 100000}
    salary = {"currency": "EUR", "target": 90000}
    alone = verdict(valued(offer, salary))
    assert alone[0].startswith("Not measured against your range: your range is in EUR")
    rated = verdict(valued(offer, salary), money=Money("EUR", {"USD": 0.9}))
    assert rated[0] == "Base 100,000 USD: equal to your target (100,000 USD)."


def test_offers_are_compared_over_the_years_only_in_one_currency():
    mine = valued({"currency": "EUR", "base": 60000, "equity": [{"value": 40000}]})
    theirs = valued({"currency": "USD", "base": 60000}, company="South")
    lines = verdict(mine, [theirs])
    assert any(line.startswith("Not compared with South's offer") for line in lines)
    lines = verdict(mine, [theirs], Money("EUR", {"USD": 1.05}))
    assert any(
        "worth more than South's offer only if the equity is worth the grant." in line
        for line in lines
    )


def test_no_range_says_how_to_set_one_and_no_hours_says_what_to_add():
    lines = verdict(valued({"currency": "EUR", "base": 1}))
    assert lines[0].startswith("No salary range recorded")
    assert "Add hours_per_week (and pto_days) to see the pay per hour worked." in lines


huge = st.floats(0, 1e308, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(
    base=st.floats(0, MAX_OFFER_AMOUNT),
    grant=st.floats(0, MAX_OFFER_AMOUNT),
    levels=st.lists(huge, min_size=3, max_size=3).map(sorted),
    rate=st.floats(1e-6, 1e11),
)
def test_any_offer_and_range_read_as_real_numbers_never_endless_ones(base, grant, levels, rate):
    low, mid, high = levels
    mine = valued(
        {"currency": "USD", "base": base, "equity": [{"value": grant}], "hours_per_week": 1},
        {"currency": "EUR", "minimum": low, "target": mid, "stretch": high},
    )
    assert all(math.isfinite(x) for x in mine.frame.select_dtypes("number").to_numpy().ravel())
    lines = verdict(mine, [mine], Money("EUR", {"USD": rate}))
    assert not any(re.search(r"\b(inf|nan)\b", line) for line in lines), lines
