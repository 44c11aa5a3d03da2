"""How an offer measures up, in words: against what you want, the posted range and other offers.

Pure: values in, sentences out. Amounts in different currencies are compared only through the
rates in `settings.yaml` (`home_currency`, `rates`), never added or set side by side as they are.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from followup.compare.ranking import PER_YEAR, Money
from followup.core import formats
from followup.core.model import Opportunity, SalaryRange
from followup.offers.value import BonusBasis, hours_worked

#: Your three numbers, lowest first, as the sentences name them.
LEVELS = (("minimum", "walk-away minimum"), ("target", "target"), ("stretch", "stretch"))


@dataclass(frozen=True)
class Valued:
    """One opportunity's offer with its value frame (see `followup.offers.value.value_frame`)."""

    opportunity: Opportunity
    frame: pd.DataFrame

    @property
    def currency(self) -> str:
        return self.opportunity.offer.currency

    @functools.cached_property
    def first_year(self) -> dict[float, float]:
        """Per scenario, the first year's total (worked out once: every other offer asks)."""
        return scenario_totals(self.frame, first_year=True)

    @functools.cached_property
    def all_years(self) -> dict[float, float]:
        """Per scenario, the total over all the years."""
        return scenario_totals(self.frame, first_year=False)


def worth(scenario: float) -> str:
    """'worth nothing', 'worth the grant', 'worth 3 times the grant'."""
    if scenario == 0:
        return "worth nothing"
    if scenario == 1:
        return "worth the grant"
    return f"worth {scenario:g} times the grant"


def percent_from(amount: float, level: float) -> str:
    """'4%' (how far `amount` is from `level`, rounded), or 'just' when it rounds to 0%."""
    if level == 0:
        return ""
    share = abs(amount - level) / level * 100
    if not math.isfinite(share) or share >= 1000:
        return "more than ten times"  # a level near zero: no percentage says anything useful
    return f"{share:.0f}%" if round(share) >= 1 else "just"


def conversion(money: Money, source: str, target: str) -> float | None:
    """What one unit of `source` is worth in `target`: 1 for the same currency, else through the
    home currency's rates, else None."""
    if source == target:
        return 1.0
    into_home, target_in_home = money.rate(source), money.rate(target)
    if into_home is None or target_in_home is None:
        return None
    return into_home / target_in_home


def wanted(salary: SalaryRange, currency: str, money: Money) -> dict[str, float] | None:
    """Your minimum, target and stretch (those set) per year in `currency`; None when the range
    cannot be put in it (another currency without rates, or pay per hour)."""
    factor = PER_YEAR.get(salary.period)
    rate = conversion(money, salary.currency, currency)
    if factor is None or rate is None:
        return None
    levels = {key: getattr(salary, key) for key, _ in LEVELS}
    converted = {k: v * factor * rate for k, v in levels.items() if v is not None}
    return {k: v for k, v in converted.items() if math.isfinite(v)}


def base_line(base: float, levels: Mapping[str, float], currency: str) -> str:
    """'Base 4% below your target (64,000 EUR), above your walk-away minimum.'"""
    named = [(name, levels[key]) for key, name in LEVELS if key in levels]
    below = [(name, value) for name, value in named if base < value]
    reached = [(name, value) for name, value in named if base >= value]
    shown = formats.money(base, currency)
    if not reached:
        name, value = below[0]
        return (
            f"Base {shown}: {percent_from(base, value)} below your {name} "
            f"({formats.money(value, currency)})."
        )
    name, value = reached[-1]
    at = "equal to" if base == value else f"{percent_from(base, value)} above"
    if not below:
        return f"Base {shown}: {at} your {name} ({formats.money(value, currency)})."
    next_name, next_value = below[0]
    return (
        f"Base {shown}: {percent_from(base, next_value)} below your {next_name} "
        f"({formats.money(next_value, currency)}), {at} your {name}."
    )


def posted_line(base: float, salary: SalaryRange, rate: float | None, currency: str) -> str | None:
    """Where the base sits against the employer's posted range, or None without one."""
    low, high = salary.posted_minimum, salary.posted_maximum
    factor = PER_YEAR.get(salary.period)
    if (low is None and high is None) or rate is None or factor is None:
        return None
    low = low * factor * rate if low is not None else None
    high = high * factor * rate if high is not None else None
    if not all(math.isfinite(v) for v in (low, high) if v is not None):
        return None
    if low is not None and base < low:
        return f"Base below the posted range, which starts at {formats.money(low, currency)}."
    if high is not None and base > high:
        return f"Base above the posted range, which ends at {formats.money(high, currency)}."
    shown = " to ".join(formats.money(v, currency) for v in (low, high) if v is not None)
    return f"Base within the posted range ({shown})."


def reach(amounts: Mapping[float, float], level: float) -> tuple[bool, str]:
    """Whether the totals reach `level`, and in which scenarios: (True, 'whatever the equity is
    worth'), (True, 'only if the equity is worth the grant') or (False, 'even if the equity is
    worth 3 times the grant'). The totals rise with the scenario, so the lowest scenario that
    reaches `level` says it all."""
    scenarios = sorted(amounts)
    reaching = [s for s in scenarios if amounts[s] >= level]
    if not reaching:
        return False, f"even if the equity is {worth(scenarios[-1])}"
    if reaching[0] == scenarios[0]:
        if scenarios[0] == 0:
            return True, "whatever the equity is worth"
        return True, f"even if the equity is {worth(scenarios[0])}"
    return True, f"only if the equity is {worth(reaching[0])}"


def first_year_line(first_year: Mapping[float, float], levels: Mapping[str, float]) -> str:
    """'First-year total: reaches your walk-away minimum and your target whatever the equity is
    worth; reaches your stretch only if the equity is worth the grant.' (levels that read the
    same are named together)."""
    groups: dict[tuple[bool, str], list[str]] = {}
    for key, name in LEVELS:
        if key in levels:
            groups.setdefault(reach(first_year, levels[key]), []).append(f"your {name}")
    parts = [
        f"{'reaches' if reached else 'falls short of'} {' and '.join(names)} {when}"
        for (reached, when), names in groups.items()
    ]
    return "First-year total: " + "; ".join(parts) + "."


def scenario_totals(frame: pd.DataFrame, *, first_year: bool) -> dict[float, float]:
    """Per scenario: the first year's total, or the sum over all the years."""
    rows = frame[frame["year"] == frame["year"].min()] if first_year else frame
    return {float(k): float(v) for k, v in rows.groupby("scenario")["total"].sum().items()}


def against_wants(valued: Valued, money: Money) -> list[str]:
    """Base and first-year total against your minimum, target and stretch, and the posted range."""
    opportunity, offer = valued.opportunity, valued.opportunity.offer
    salary = opportunity.salary_range
    if salary is None or not salary.is_recorded():
        return [
            "No salary range recorded: set your walk-away minimum, target and stretch to see "
            "how this offer measures up."
        ]
    levels = wanted(salary, offer.currency, money)
    if levels is None:
        why = (
            "your range is per hour"
            if PER_YEAR.get(salary.period) is None
            else f"your range is in {salary.currency} and the offer in {offer.currency}, with no "
            "rates between them in settings.yaml (home_currency and rates)"
        )
        return [f"Not measured against your range: {why}."]
    if not levels:
        return ["Not measured against your range: its amounts are too large to convert."]
    lines = []
    if offer.base is None:
        lines.append("No base salary recorded in the offer.")
    else:
        lines.append(base_line(offer.base, levels, offer.currency))
        posted = posted_line(
            offer.base, salary, conversion(money, salary.currency, offer.currency), offer.currency
        )
        if posted:
            lines.append(posted)
    lines.append(first_year_line(valued.first_year, levels))
    return lines


def against_others(valued: Valued, others: Sequence[Valued], money: Money) -> list[str]:
    """The whole period's total against each other offer, scenario by scenario, where the two can
    be put in one currency."""
    lines = []
    mine = valued.all_years
    years = int(valued.frame["year"].max())
    for other in others:
        name = other.opportunity.company
        rate = conversion(money, other.currency, valued.currency)
        if rate is None:
            lines.append(
                f"Not compared with {name}'s offer: it is in {other.currency} and this one in "
                f"{valued.currency}; add home_currency and rates to settings.yaml to compare them."
            )
            continue
        theirs = {s: v * rate for s, v in other.all_years.items()}
        shared = sorted(set(mine) & set(theirs))
        more = [s for s in shared if mine[s] > theirs[s]]
        over = f"Over {formats.plural(years, 'year')}"
        if len(more) == len(shared):
            lines.append(f"{over}, worth more than {name}'s offer whatever the equity is worth.")
        elif not more:
            lines.append(f"{over}, worth less than {name}'s offer (or the same) in every scenario.")
        elif more == shared[: len(more)]:
            first_less = shared[len(more)]
            lines.append(
                f"{over}, worth more than {name}'s offer unless the equity is {worth(first_less)}."
            )
        elif more == shared[-len(more) :]:
            lines.append(
                f"{over}, worth more than {name}'s offer only if the equity is {worth(more[0])}."
            )
        else:
            shown = ", ".join(worth(s) for s in more)
            lines.append(f"{over}, worth more than {name}'s offer only with the equity {shown}.")
    return lines


def terms_lines(valued: Valued, bonus: BonusBasis) -> list[str]:
    """What else to weigh: answer date, bonus basis, clawback, pay per hour worked."""
    offer = valued.opportunity.offer
    lines = []
    if offer.answer_by:
        lines.append(f"Answer by {formats.day(offer.answer_by)}.")
    if offer.bonus is not None and not offer.bonus.guaranteed:
        lines.append(
            "The bonus is counted at target, but it is not guaranteed."
            if bonus is BonusBasis.TARGET
            else "The bonus is not guaranteed, so it is left out."
        )
    if offer.sign_on and offer.sign_on.clawback_months:
        lines.append(
            f"The sign-on is paid back if you leave within "
            f"{formats.plural(offer.sign_on.clawback_months, 'month')}."
        )
    hours = hours_worked(offer)
    if hours is None:
        lines.append("Add hours_per_week (and pto_days) to see the pay per hour worked.")
    else:
        first = valued.frame[valued.frame["year"] == valued.frame["year"].min()]
        low = float(first["per_hour"].min())
        leave = (
            f"{formats.number(offer.pto_days)} days off"
            if offer.pto_days is not None
            else "no days off recorded"
        )
        lines.append(
            f"Pay per hour worked in year one: {formats.money(round(low, 2), offer.currency)} "
            f"with the equity at its lowest ({formats.number(offer.hours_per_week)} hours a week, "
            f"{leave})."
        )
    return lines


def verdict(
    valued: Valued,
    others: Sequence[Valued] = (),
    money: Money | None = None,
    bonus: BonusBasis = BonusBasis.TARGET,
) -> list[str]:
    """Every sentence about one offer: against your range, against the other offers, its terms."""
    money = money or Money()
    return [
        *against_wants(valued, money),
        *against_others(valued, others, money),
        *terms_lines(valued, bonus),
    ]
