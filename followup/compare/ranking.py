"""Which open process comes first: the weighted ranking, and the table a person reads.

The rule lives here once: open processes ranked by the weighted mean of the reflection areas you
rated (unrated areas are left out, not counted as zero; ties go to the id), then the ended ones,
unranked. Salaries are put in one currency only where `settings.yaml` gives rates. Pure Python
(no pandas): the index page and `followup compare` start fast, and `compare.py` builds its tables,
sensitivity and trends on top of this.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from followup.core import formats
from followup.core.errors import UsageError
from followup.core.model import REFLECTION_AREAS, Opportunity, Period, SalaryRange, Settings
from followup.core.policy import Policy
from followup.steps import Step, next_step

#: The one home of the scoring weights: every reflection area counts the same unless told otherwise.
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(REFLECTION_AREAS, 1.0)
#: The largest weight an area may have: enough to make one area count a hundred times another,
#: small enough that a weighted sum of scores stays an ordinary number (1e308 made it infinite).
MAX_WEIGHT = 100.0
#: How a salary per period becomes a salary per year (hourly pay is not guessed at).
PER_YEAR: dict[Period, int] = {Period.YEAR: 1, Period.MONTH: 12}


# Weights


def parse_weights(text: str | None) -> dict[str, float]:
    """'people=2,growth=3' -> all five weights (the others stay 1). Raises UsageError."""
    weights = dict(DEFAULT_WEIGHTS)
    if not text or not text.strip():
        return weights
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep:
            raise UsageError(f"--weights: expected area=number such as growth=3, got {part!r}")
        if name not in DEFAULT_WEIGHTS:
            raise UsageError(
                f"--weights: unknown area {name!r}; expected one of {', '.join(REFLECTION_AREAS)}"
            )
        try:
            number = float(value)
        except ValueError:
            raise UsageError(
                f"--weights: {name} must be a number such as 2 or 0.5, got {value.strip()!r}"
            ) from None
        if not math.isfinite(number) or not 0 <= number <= MAX_WEIGHT:
            raise UsageError(
                f"--weights: {name} must be a number from 0 to {MAX_WEIGHT:g}, "
                f"got {value.strip()!r}"
            )
        weights[name] = number
    check_weights(weights)
    return weights


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """All five areas, each from 0 to MAX_WEIGHT, not all zero."""
    full = dict(DEFAULT_WEIGHTS)
    for name, value in weights.items():
        if name not in full:
            raise UsageError(
                f"weights: unknown area {name!r}; expected one of {', '.join(REFLECTION_AREAS)}"
            )
        if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            raise UsageError(
                f"weights: {name} must be a number from 0 to {MAX_WEIGHT:g}, got {value!r}"
            )
        full[name] = float(value)
    if not any(full.values()):
        raise UsageError("weights: at least one area needs a weight above zero")
    return full


def weighted_score(scores: Mapping[str, int | None], weights: Mapping[str, float]) -> float | None:
    """The weighted mean of the rated areas (unrated ones are left out, not counted as zero)."""
    total = weight = 0.0
    for area, score in scores.items():
        if score is not None and weights[area] > 0:
            total += weights[area] * score
            weight += weights[area]
    return total / weight if weight else None


# Salary


@dataclass(frozen=True)
class Money:
    """How salaries are put side by side: one home currency, rates into it (1 unit = rate home)."""

    home: str | None = None
    rates: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Money:
        if settings is None:
            return cls()
        return cls(getattr(settings, "home_currency", None), dict(getattr(settings, "rates", {})))

    def rate(self, currency: str) -> float | None:
        if self.home is None:
            return None
        if currency == self.home:
            return 1.0
        return self.rates.get(currency)

    def per_year(self, value: float | None, salary: SalaryRange) -> float | None:
        """`value` in the home currency per year, or None when no rate (or hourly pay)."""
        rate = self.rate(salary.currency)
        factor = PER_YEAR.get(salary.period)
        if value is None or rate is None or factor is None:
            return None
        return value * rate * factor


def currency_note(salaries: Sequence[SalaryRange], money: Money) -> str:
    """One line saying whether the salaries can be compared, and how."""
    if not salaries:
        return "No salary ranges recorded yet."
    currencies = sorted({s.currency for s in salaries})
    unconverted = [
        s for s in salaries if s.target is not None and money.per_year(s.target, s) is None
    ]
    if money.home and not unconverted:
        return f"Salaries are shown per year in {money.home}, using the rates in settings.yaml."
    if len(currencies) == 1 and {s.period for s in salaries} <= {Period.YEAR}:
        return f"All salaries are in {currencies[0]} per year."
    missing = sorted({s.currency for s in unconverted} - {money.home})
    listing = ", ".join(currencies)
    if money.home:
        return (
            f"Salaries are in {listing}; there is no rate for "
            f"{', '.join(missing) or 'hourly pay'}, "
            f"so those are not converted to {money.home}. Compare them with care."
        )
    return (
        f"Salaries are in {listing} and are not converted: add home_currency and rates to "
        "settings.yaml to see them in one currency."
    )


# The ranking


@dataclass(frozen=True)
class Ranked:
    """One opportunity in the ranking: its place (None once the process ended) and score.

    An open process not rated yet comes after the rated ones; `place` is what a person reads:
    no number for it (nor for an ended one)."""

    opportunity: Opportunity
    rank: int | None
    score: float | None
    next_step: Step | None
    #: Each area's score (None: not rated), in REFLECTION_AREAS order.
    area_scores: dict[str, int | None]

    @property
    def rated(self) -> int:
        """How many areas are rated."""
        return sum(1 for s in self.area_scores.values() if s is not None)

    @property
    def open(self) -> bool:
        return not self.opportunity.status.ended

    @property
    def place(self) -> int | None:
        """The number shown beside it: only an open process you have rated has one."""
        return self.rank if self.score is not None else None


@dataclass(frozen=True)
class Ranking:
    """The ranked opportunities, the weights used and what to know about their salaries."""

    rows: list[Ranked]
    weights: dict[str, float]
    money: Money
    note: str

    @property
    def top(self) -> str | None:
        ranked = [r for r in self.rows if r.rank is not None]
        return ranked[0].opportunity.id if ranked else None


def _order_key(row: Ranked) -> tuple:
    return (not row.open, row.score is None, -(row.score or 0.0), row.opportunity.id)


def rank(
    opportunities: Iterable[Opportunity],
    now: datetime,
    weights: Mapping[str, float] | None = None,
    settings: Settings | None = None,
) -> Ranking:
    """Open processes by weighted reflection score (best first, ties by id), then the open ones
    not rated yet, then ended ones. Without `weights`, those `settings.yaml` keeps."""
    weights = check_weights(weights or (settings.weights if settings else {}) or DEFAULT_WEIGHTS)
    money = Money.from_settings(settings)
    policy = Policy.from_settings(settings)
    unordered = []
    for o in opportunities:  # in the workbook's order, as they lie in memory: quicker to visit
        scores = {area: rating.score for area, rating in o.reflection.ratings().items()}
        unordered.append(
            Ranked(
                o,
                None,
                weighted_score(scores, weights),
                next_step(o, now, policy),
                scores,
            )
        )
    rows = [
        Ranked(row.opportunity, position, row.score, row.next_step, row.area_scores)
        if row.open
        else row
        for position, row in enumerate(sorted(unordered, key=_order_key), start=1)
    ]
    salaries = [r.opportunity.salary_range for r in rows if r.opportunity.salary_range]
    return Ranking(rows, dict(weights), money, currency_note(salaries, money))


# The table a person reads


@dataclass(frozen=True)
class Cell:
    """One cell of a readable table: its text, an optional link, and whether it is a number."""

    text: str
    href: str = ""
    number: bool = False


@dataclass(frozen=True)
class Table:
    """Headers and rows of cells, ready for HTML or text."""

    headers: list[str]
    rows: list[list[Cell]]


def _salary_text(salary: SalaryRange | None) -> tuple[str, str]:
    if salary is None:
        return "", ""
    target = formats.money(salary.target, salary.currency, salary.period)
    low, high = salary.posted_minimum, salary.posted_maximum
    if low is None and high is None:
        return target, ""
    if low is not None and high is not None:
        return (
            target,
            f"{formats.number(low)}–{formats.money(high, salary.currency, salary.period)}",
        )
    if low is not None:
        return target, f"from {formats.money(low, salary.currency, salary.period)}"
    return target, f"up to {formats.money(high, salary.currency, salary.period)}"


def _next_text(step: Step | None, opportunity: Opportunity) -> str:
    if step is None:
        return "nothing to do"
    zone = next((r.zone for r in reversed(opportunity.rounds) if r.zone), None)
    due = f", due {formats.deadline(step.due, zone)}" if step.due else ""
    return f"{step.title} ({step.state.value}{due})"


def view(ranking: Ranking, links: Mapping[str, str] | None = None) -> Table:
    """The ranking as a person reads it: words, units and currencies, nothing wider than a page.

    `links` maps an opportunity id to a page about it (the index links each to its report).
    """
    links = links or {}
    home = ranking.money.home
    headers = ["#", "Opportunity", "Status", "Score", "Your target", "Posted range"]
    if home:
        headers.append(f"Target in {home} a year")
    headers.append("Next step")
    rows = []
    for row in ranking.rows:
        o = row.opportunity
        score = (
            f"{formats.number(round(row.score, 1))} of 5 ({formats.plural(row.rated, 'area')})"
            if row.score is not None
            else "not rated yet"
        )
        target, posted = _salary_text(o.salary_range)
        cells = [
            Cell(str(row.place) if row.place is not None else "–", number=True),
            Cell(o.title, href=links.get(o.id, "")),
            Cell(o.status.value if row.open else f"{o.status.value} (ended)"),
            Cell(score),
            Cell(target, number=bool(target)),
            Cell(posted),
        ]
        if home:
            salary = o.salary_range
            converted = ranking.money.per_year(salary.target, salary) if salary else None
            cells.append(Cell(formats.money(converted, home), number=converted is not None))
        cells.append(Cell(_next_text(row.next_step, o)))
        rows.append(cells)
    return Table(headers, rows)


def table_html(table: Table, *, table_id: str = "", empty: str = "Nothing to compare yet.") -> str:
    """A readable table as HTML, every header, cell and link escaped; a sentence when empty."""
    if not table.rows:
        return f"<p class='followup-empty'>{html.escape(empty)}</p>"
    attr = f' id="{html.escape(table_id)}"' if table_id else ""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    body = []
    for row in table.rows:
        cells = []
        for cell in row:
            text = html.escape(cell.text)
            if cell.href:
                text = f'<a href="{html.escape(cell.href)}">{text}</a>'
            cls = ' class="number"' if cell.number else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="followup-table"{attr}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
