"""What an offer is worth, year by year: pure, an offer in and a pandas DataFrame out.

Year 1 is the first twelve months from the start date. Each year counts the base; the bonus (at
target, or only when guaranteed); the sign-on in year one only; equity as it vests (nothing before
the cliff, then the cliff's share at once, then a share every `every_months`, or the yearly
`schedule`); expected refreshers, each granted at the start of a year from year two and vesting in
equal yearly parts over as many years as the first grant; and benefits (the employer's pension
share of base, and their yearly value). Equity is counted in scenarios: a scenario is what a share
is worth against its price at grant (0: nothing, 1: the grant's price, 3: three times it). An
option is worth its vested shares × max(0, price × scenario − strike). Nothing is added across
currencies here: every amount is in the offer's own currency.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from fractions import Fraction

import pandas as pd

from followup.core.errors import UsageError
from followup.core.model import MAX_VESTING_YEARS, EquityKind, Grant, Offer, Vesting

#: How many years `followup offers` looks at unless told.
DEFAULT_YEARS = 4
#: The equity scenarios unless told: worth nothing, worth the grant, three times the grant.
DEFAULT_SCENARIOS: tuple[float, ...] = (0.0, 1.0, 3.0)
#: Weeks in an average year, and the working days in a week that days off are counted in.
WEEKS_PER_YEAR = 365.25 / 7
WORKDAYS_PER_WEEK = 5
#: The columns of the value frame, in the order a table shows them.
PARTS = ("base", "bonus", "sign_on", "benefits", "equity")


class BonusBasis(StrEnum):
    """Which bonus to count: the target, or only a bonus that is guaranteed."""

    TARGET = "target"
    GUARANTEED = "guaranteed"


def parse_years(text: str | int) -> int:
    """The number of years to look at, 1 to MAX_VESTING_YEARS; UsageError otherwise."""
    try:
        years = int(text)
    except (TypeError, ValueError):
        raise UsageError(f"--years: expected a whole number such as 4, got {text!r}") from None
    if not 1 <= years <= MAX_VESTING_YEARS:
        raise UsageError(f"--years: expected 1 to {MAX_VESTING_YEARS}, got {years}")
    return years


def parse_scenarios(text: str | None) -> tuple[float, ...]:
    """'0,1,3' -> (0.0, 1.0, 3.0): sorted, each once; UsageError names what is wrong."""
    if text is None or not text.strip():
        return DEFAULT_SCENARIOS
    found: set[float] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise UsageError(
                f"--equity: expected numbers such as 0,1,3 (times the grant's worth), got {part!r}"
            ) from None
        if not math.isfinite(value) or not 0 <= value <= 1000:
            raise UsageError(f"--equity: expected each from 0 to 1000, got {part!r}")
        found.add(value)
    if not found:
        raise UsageError("--equity: expected at least one number, such as 0,1,3")
    return tuple(sorted(found))


def scenario_name(scenario: float) -> str:
    """'0', '1', '0.5', '3': how a scenario is named in JSON keys and column headers."""
    return str(int(scenario)) if float(scenario).is_integer() else f"{scenario:g}"


# Vesting


def vesting_events(vesting: Vesting) -> list[tuple[int, Fraction]]:
    """When a grant vests and how much: (month after the start, share of the grant), in order.

    With a schedule, each year's share vests at its year's end, and shares of years that end
    before the cliff wait for the cliff. Otherwise the cliff's share vests at once at the cliff,
    then a share every `every_months` (the last step ends with the last month). The shares add up
    to exactly one.
    """
    total = vesting.total_years * 12
    cliff = vesting.cliff_months
    if vesting.schedule is not None:
        percents = [Fraction(str(p)) for p in vesting.schedule]
        whole = sum(percents)
        yearly = [(12 * (i + 1), p / whole) for i, p in enumerate(percents)]
        waiting = sum((share for month, share in yearly if month < cliff), Fraction(0))
        events = [(cliff, waiting)] if waiting else []
        events += [(month, share) for month, share in yearly if month >= cliff]
        return [(m, s) for m, s in events if s]
    months = {m for m in range(vesting.every_months, total, vesting.every_months) if m > cliff}
    months.add(total)
    if cliff:
        months.add(cliff)
    events, previous = [], 0
    for month in sorted(months):
        events.append((month, Fraction(month - previous, total)))
        previous = month
    return events


def vested_by(vesting: Vesting, month: float) -> Fraction:
    """The share of the grant vested by `month` months after the start (0 before the cliff)."""
    return sum((share for m, share in vesting_events(vesting) if m <= month), Fraction(0))


def yearly_shares(vesting: Vesting, years: int) -> list[Fraction]:
    """The share of the grant vesting in each of `years` years (year k: months 12(k-1) to 12k)."""
    shares = [Fraction(0)] * years
    for month, share in vesting_events(vesting):
        year = max(1, math.ceil(month / 12))
        if year <= years:
            shares[year - 1] += share
    return shares


def grant_value(grant: Grant, share: float, scenario: float) -> float:
    """What `share` of `grant` is worth when a share is worth `scenario` times its grant price."""
    if grant.kind is EquityKind.OPTIONS:
        gain = max(0.0, (grant.price or 0.0) * scenario - (grant.strike or 0.0))
        return (grant.shares or 0.0) * share * gain
    return grant.worth * share * scenario


def refresh_shares(offer: Offer, years: int) -> list[float]:
    """The refreshers' grant worth vesting each year: one grant a year from year two, each vesting
    in equal yearly parts over the first grant's years (4 without a grant)."""
    refresh = offer.refresh_per_year or 0.0
    if not refresh:
        return [0.0] * years
    spread = offer.equity[0].vesting.total_years if offer.equity else 4
    vesting = [0.0] * years
    for granted in range(2, years + 1):
        for year in range(granted, min(years, granted + spread - 1) + 1):
            vesting[year - 1] += refresh / spread
    return vesting


# Money


def yearly_bonus(offer: Offer, basis: BonusBasis = BonusBasis.TARGET) -> float:
    """The bonus counted each year: at target, or nothing unless it is guaranteed."""
    bonus = offer.bonus
    if bonus is None or (basis is BonusBasis.GUARANTEED and not bonus.guaranteed):
        return 0.0
    if bonus.amount is not None:
        return bonus.amount
    return (offer.base or 0.0) * (bonus.target_percent or 0.0) / 100


def yearly_benefits(offer: Offer) -> float:
    """The employer's pension share of base plus the benefits' yearly value."""
    benefits = offer.benefits
    pension = (offer.base or 0.0) * (benefits.retirement_percent or 0.0) / 100
    return pension + (benefits.yearly_value or 0.0)


def hours_worked(offer: Offer) -> float | None:
    """Hours worked in a year: the usual week, less the days off; None without `hours_per_week`."""
    if offer.hours_per_week is None:
        return None
    weeks = WEEKS_PER_YEAR - (offer.pto_days or 0.0) / WORKDAYS_PER_WEEK
    hours = offer.hours_per_week * weeks
    return hours if hours > 0 else None


def value_frame(
    offer: Offer,
    years: int = DEFAULT_YEARS,
    scenarios: Sequence[float] = DEFAULT_SCENARIOS,
    bonus: BonusBasis = BonusBasis.TARGET,
) -> pd.DataFrame:
    """The offer year by year, one row per year and scenario.

    Columns: year, scenario, base, bonus, sign_on, benefits, equity, total (the sum of the five
    parts) and per_hour (the total over the hours worked, NaN when the hours are not known).
    """
    year_numbers = list(range(1, years + 1))
    cash = pd.DataFrame(
        {
            "year": year_numbers,
            "base": float(offer.base or 0.0),
            "bonus": yearly_bonus(offer, bonus),
            "sign_on": [float(offer.sign_on.amount) if offer.sign_on else 0.0]
            + [0.0] * (years - 1),
            "benefits": yearly_benefits(offer),
        }
    )
    grants = [[float(s) for s in yearly_shares(g.vesting, years)] for g in offer.equity]
    refresh = refresh_shares(offer, years)
    frames = []
    for scenario in scenarios:
        pairs = list(zip(offer.equity, grants, strict=True))
        equity = [
            sum(grant_value(g, shares[i], scenario) for g, shares in pairs) + refresh[i] * scenario
            for i in range(years)
        ]
        frames.append(cash.assign(scenario=float(scenario), equity=equity))
    frame = pd.concat(frames, ignore_index=True)
    frame["total"] = frame[list(PARTS)].sum(axis=1)
    hours = hours_worked(offer)
    frame["per_hour"] = frame["total"] / hours if hours else float("nan")
    columns = ["year", "scenario", *PARTS, "total", "per_hour"]
    return frame[columns].sort_values(["year", "scenario"], ignore_index=True)


def wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per year: the cash parts once, then equity and total for each scenario."""
    cash = frame.groupby("year", sort=True)[["base", "bonus", "sign_on", "benefits"]].first()
    spread = frame.pivot(index="year", columns="scenario", values=["equity", "total"])
    spread.columns = [f"{part} ×{scenario_name(s)}" for part, s in spread.columns]
    return cash.join(spread).reset_index()


def rows(frame: pd.DataFrame) -> list[dict]:
    """The JSON rows: year, base, bonus, sign_on, equity {scenario: value}, benefits,
    total {scenario: value} and per_hour {scenario: value or None}."""
    out = []
    for year, group in frame.groupby("year", sort=True):
        first = group.iloc[0]
        names = [scenario_name(s) for s in group["scenario"]]
        per_hour = [None if pd.isna(v) else round(float(v), 2) for v in group["per_hour"]]
        out.append(
            {
                "year": int(year),
                "base": _amount(first["base"]),
                "bonus": _amount(first["bonus"]),
                "sign_on": _amount(first["sign_on"]),
                "equity": dict(zip(names, map(_amount, group["equity"]), strict=True)),
                "benefits": _amount(first["benefits"]),
                "total": dict(zip(names, map(_amount, group["total"]), strict=True)),
                "per_hour": dict(zip(names, per_hour, strict=True)),
            }
        )
    return out


def _amount(value: float) -> float | int:
    """A whole amount as an int, else rounded to cents."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: the first year's total and the total over all years."""
    grouped = frame.groupby("scenario", sort=True)
    return pd.DataFrame(
        {
            "first_year": grouped.apply(lambda g: g.loc[g["year"].idxmin(), "total"]),
            "all_years": grouped["total"].sum(),
        }
    )
