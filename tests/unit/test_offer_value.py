"""What an offer is worth year by year: known numbers, and properties that hold for any offer."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from followup.core.errors import UsageError
from followup.core.model import Grant, Offer, Opportunity, Vesting
from followup.offers import value

GRANT = 200_000


def offer(**fields) -> Offer:
    return Offer.model_validate({"currency": "EUR", **fields})


def yearly(frame, column: str, scenario: float = 1.0) -> list[float]:
    rows = frame[frame["scenario"] == scenario].sort_values("year")
    return [float(x) for x in rows[column]]


def test_a_four_year_grant_with_a_one_year_cliff_vesting_quarterly_gives_a_quarter_each_year():
    four_years = offer(
        equity=[{"value": GRANT, "vesting": {"years": 4, "cliff_months": 12, "every_months": 3}}]
    )
    assert yearly(value.value_frame(four_years), "equity") == [50_000] * 4


def test_nothing_vests_before_the_cliff_date_then_the_cliffs_share_at_once():
    vesting = Vesting(years=4, cliff_months=12, every_months=3)
    assert value.vested_by(vesting, 11.99) == 0
    assert value.vested_by(vesting, 12) == Fraction(1, 4)
    assert value.vested_by(vesting, 14) == Fraction(1, 4)
    assert value.vested_by(vesting, 15) == Fraction(5, 16)


def test_a_yearly_schedule_vests_its_percentages_of_the_grant():
    backloaded = offer(equity=[{"value": GRANT, "vesting": {"schedule": [5, 15, 40, 40]}}])
    assert yearly(value.value_frame(backloaded), "equity") == [10_000, 30_000, 80_000, 80_000]


def test_schedule_years_ending_before_a_late_cliff_wait_for_the_cliff():
    vesting = Vesting(schedule=[25, 25, 25, 25], cliff_months=24)
    assert value.yearly_shares(vesting, 4) == [0, Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]


def test_an_option_whose_strike_is_above_the_price_is_worth_nothing():
    under_water = offer(equity=[{"kind": "options", "shares": 1000, "price": 10, "strike": 12}])
    assert yearly(value.value_frame(under_water), "equity") == [0, 0, 0, 0]


def test_an_option_is_worth_its_vested_shares_times_price_in_the_scenario_less_strike():
    options = offer(equity=[{"kind": "options", "shares": 4000, "price": 10, "strike": 12}])
    frame = value.value_frame(options, scenarios=(1, 3))
    assert yearly(frame, "equity", 3) == [1000 * (30 - 12)] * 4


def test_a_sign_on_counts_in_year_one_only():
    signed = offer(base=60_000, sign_on={"amount": 10_000, "clawback_months": 12})
    frame = value.value_frame(signed)
    assert yearly(frame, "sign_on") == [10_000, 0, 0, 0]
    assert yearly(frame, "total") == [70_000, 60_000, 60_000, 60_000]


def test_the_bonus_counts_at_target_or_only_when_guaranteed_if_asked():
    hoped = offer(base=100_000, bonus={"target_percent": 15})
    assert yearly(value.value_frame(hoped), "bonus") == [15_000] * 4
    only_sure = value.value_frame(hoped, bonus=value.BonusBasis.GUARANTEED)
    assert yearly(only_sure, "bonus") == [0] * 4
    sure = offer(base=100_000, bonus={"amount": 5000, "guaranteed": True})
    assert yearly(value.value_frame(sure, bonus=value.BonusBasis.GUARANTEED), "bonus") == [5000] * 4


def test_refreshers_start_in_year_two_and_vest_over_the_first_grants_years():
    refreshed = offer(equity=[{"value": 120_000, "vesting": {"years": 3}}], refresh_per_year=30_000)
    assert value.refresh_shares(refreshed, 4) == [0, 10_000, 20_000, 30_000]


def test_benefits_are_the_pension_share_of_base_and_their_yearly_value():
    looked_after = offer(base=50_000, benefits={"retirement_percent": 6, "yearly_value": 1200})
    assert yearly(value.value_frame(looked_after), "benefits") == [4200] * 4


def test_pay_per_hour_counts_the_weeks_less_the_days_off():
    hours = offer(base=52_180, hours_per_week=40, pto_days=25)
    expected_hours = 40 * (365.25 / 7 - 5)
    assert value.hours_worked(hours) == pytest.approx(expected_hours)
    per_hour = value.value_frame(hours)["per_hour"].iloc[0]
    assert per_hour == pytest.approx(52_180 / expected_hours)
    assert math.isnan(value.value_frame(offer(base=1))["per_hour"].iloc[0])


def test_json_rows_map_each_scenario_to_its_equity_and_total():
    frame = value.value_frame(offer(base=10, equity=[{"value": 40}]), years=1, scenarios=(0, 0.5))
    assert value.rows(frame) == [
        {
            "year": 1,
            "base": 10,
            "bonus": 0,
            "sign_on": 0,
            "equity": {"0": 0, "0.5": 5},
            "benefits": 0,
            "total": {"0": 10, "0.5": 15},
            "per_hour": {"0": None, "0.5": None},
        }
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"schedule": [5, 15, 40, 30]}, "adds up to 90%: expected 100%"),
        ({"years": 2, "cliff_months": 30}, "cliff_months is 30, after the last of its 2 years"),
        ({"years": 3, "schedule": [50, 50]}, "years is 3 but the schedule lists 2 years"),
    ],
)
def test_a_vesting_that_cannot_be_is_refused_naming_the_field(fields, expected):
    with pytest.raises(ValidationError, match=expected):
        Vesting.model_validate(fields)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"currency": "EUR", "base": -1}, "base"),
        ({"currency": "EUR", "base": float("inf")}, "base"),
        ({"currency": "EUR", "sign_on": {"amount": 1.7e308}}, "sign_on.amount"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "EUR", "bonus": {"target_percent": 10, "amount": 5}}, "bonus"),
        ({"currency": "EUR", "equity": [{"kind": "options", "shares": 10}]}, "equity.0"),
        ({"currency": "EUR", "equity": [{"value": 10, "strike": 1}]}, "equity.0"),
        ({"currency": "EUR", "received_on": "2026-12-02", "answer_by": "2026-12-01"}, ""),
    ],
)
def test_a_broken_offer_is_refused_and_the_error_names_where(fields, where):
    with pytest.raises(ValidationError) as raised:
        Opportunity.model_validate({"id": "x", "company": "X", "offer": fields})
    location = ".".join(str(p) for p in raised.value.errors()[0]["loc"])
    assert location.startswith(f"offer.{where}".rstrip("."))


def test_years_and_scenarios_from_the_command_line_are_checked():
    assert value.parse_scenarios("3, 0,1,1") == (0, 1, 3)
    assert value.parse_scenarios(None) == value.DEFAULT_SCENARIOS
    assert value.parse_years("6") == 6
    for bad in ("x", "-1", "nan", ","):
        with pytest.raises(UsageError, match="--equity"):
            value.parse_scenarios(bad)
    for bad in ("0", "11", "four"):
        with pytest.raises(UsageError, match="--years"):
            value.parse_years(bad)


# Properties

vestings = st.one_of(
    st.builds(
        lambda years, cliff, every: Vesting(
            years=years, cliff_months=min(cliff, years * 12), every_months=every
        ),
        st.integers(1, 10),
        st.integers(0, 120),
        st.integers(1, 36),
    ),
    st.lists(st.integers(0, 100), min_size=1, max_size=10)
    .filter(any)
    .map(lambda weights: Vesting(schedule=_percentages(weights))),
)


def _percentages(weights: list[int]) -> list[float]:
    """Whole percentages adding up to exactly 100, shaped like `weights`."""
    total = sum(weights)
    shares = [w * 100 // total for w in weights]
    shares[max(range(len(shares)), key=weights.__getitem__)] += 100 - sum(shares)
    return [float(s) for s in shares]


money = st.floats(0, 1e7, allow_nan=False, allow_infinity=False)


@st.composite
def offers(draw) -> Offer:
    grants = []
    for _ in range(draw(st.integers(0, 3))):
        vesting = draw(vestings)
        if draw(st.booleans()):
            grants.append(Grant(value=draw(money), vesting=vesting))
        else:
            price, strike = draw(money), draw(money)
            shares = draw(st.floats(0, 1e5))
            grants.append(
                Grant(kind="options", shares=shares, price=price, strike=strike, vesting=vesting)
            )
    return Offer(
        currency="EUR",
        base=draw(money),
        bonus=draw(st.none() | st.builds(dict, target_percent=st.floats(0, 100))),
        sign_on=draw(st.none() | st.builds(dict, amount=money)),
        equity=grants,
        refresh_per_year=draw(st.none() | money),
        benefits={"retirement_percent": draw(st.floats(0, 100)), "yearly_value": draw(money)},
        hours_per_week=draw(st.none() | st.floats(1, 80)),
        pto_days=draw(st.none() | st.floats(0, 60)),
    )


@given(vestings)
def test_vesting_never_exceeds_the_grant_and_adds_up_to_it_over_the_whole_schedule(vesting):
    events = value.vesting_events(vesting)
    running = Fraction(0)
    for _, share in events:
        running += share
        assert share > 0 and running <= 1
    assert running == 1
    assert sum(value.yearly_shares(vesting, vesting.total_years)) == 1
    assert sum(value.yearly_shares(vesting, 10)) == 1


@settings(max_examples=60, deadline=None)
@given(offers(), st.integers(1, 10))
def test_each_total_is_the_sum_of_its_parts(an_offer, years):
    frame = value.value_frame(an_offer, years)
    parts = frame[list(value.PARTS)].sum(axis=1)
    assert (frame["total"] - parts).abs().max() <= 1e-6 * max(1.0, frame["total"].abs().max())
    assert len(frame) == years * len(value.DEFAULT_SCENARIOS)


@settings(max_examples=60, deadline=None)
@given(offers())
def test_a_scenario_of_zero_leaves_only_cash(an_offer):
    frame = value.value_frame(an_offer, scenarios=(0,))
    assert (frame["equity"] == 0).all()
    cash = frame[["base", "bonus", "sign_on", "benefits"]].sum(axis=1)
    assert (frame["total"] == cash).all()


@settings(max_examples=60, deadline=None)
@given(offers())
def test_equity_over_the_whole_vesting_is_the_grant_in_the_scenario_of_one(an_offer):
    longest = max((g.vesting.total_years for g in an_offer.equity), default=1)
    frame = value.value_frame(an_offer.model_copy(update={"refresh_per_year": None}), longest)
    vested = frame[frame["scenario"] == 1]["equity"].sum()
    assert vested == pytest.approx(sum(g.worth for g in an_offer.equity), rel=1e-9, abs=1e-6)
