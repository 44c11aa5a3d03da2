"""The comparison as rows of plain values, and the text and CSV `followup compare` prints.

Two tables come out of a `ranking.Ranking`: every opportunity with all its columns (rank, score,
ratings, salary, next action), and the ranking's columns a person reads (what the terminal, the
CSV and the HTML page show). Salaries are put in one currency only where the workbook gives
exchange rates; otherwise the note says they are mixed. Pure Python: `followup compare` starts
and finishes without pandas, and `compare.py` makes its DataFrames from these same rows.
"""

from __future__ import annotations

from typing import Any

from followup.compare import sensitivity, tables
from followup.compare.ranking import Money, Ranking
from followup.compare.trends import (
    OPEN_RESEARCH_COLUMNS,
    REPEATED_QUESTION_COLUMNS,
    WEAK_SPOT_COLUMNS,
    TrendRows,
)
from followup.core import formats
from followup.core.model import REFLECTION_AREAS, SalaryRange
from followup.steps import Step

Row = dict[str, Any]

SALARY_COLUMNS = [
    "currency",
    "period",
    "target",
    "posted_minimum",
    "posted_maximum",
    "posted_max_vs_target_pct",
    "target_home",
    "posted_maximum_home",
]
OPPORTUNITY_COLUMNS = [
    "rank",
    "id",
    "company",
    "role",
    "status",
    "score",
    "open",
    "rounds",
    *REFLECTION_AREAS,
    *SALARY_COLUMNS,
    "next_action",
    "next_state",
    "next_due",
    "rated",
]


def salary_columns(salary: SalaryRange | None, money: Money) -> Row:
    """The salary's columns: as recorded, the posted maximum against the target, and per year in
    the home currency where there is a rate."""
    if salary is None:
        return dict.fromkeys(SALARY_COLUMNS)
    return {
        "currency": salary.currency,
        "period": salary.period.value,
        "target": salary.target,
        "posted_minimum": salary.posted_minimum,
        "posted_maximum": salary.posted_maximum,
        "posted_max_vs_target_pct": posted_gap(salary),
        "target_home": money.per_year(salary.target, salary),
        "posted_maximum_home": money.per_year(salary.posted_maximum, salary),
    }


def posted_gap(salary: SalaryRange) -> float | None:
    """How far the posted maximum lies above your target, in percent of the target."""
    target, high = salary.target, salary.posted_maximum
    if target is not None and high is not None and target > 0:
        return round((high - target) / target * 100, 1)
    return None


def opportunity_rows(ranked: Ranking) -> list[Row]:
    """One row per opportunity, in ranking order: rank, score, ratings, salary, next action."""
    rows = []
    for r in ranked.rows:
        o = r.opportunity
        ratings = r.area_scores
        step = r.next_step
        rows.append(
            {
                "rank": r.place,
                "id": o.id,
                "company": o.company,
                "role": o.role,
                "status": o.status.value,
                "score": r.score,
                "open": r.open,
                "rounds": len(o.rounds),
                **{area: ratings[area] for area in REFLECTION_AREAS},
                **salary_columns(o.salary_range, ranked.money),
                "next_action": _next_action(step),
                "next_state": step.state.value if step else "",
                "next_due": step.due.isoformat(timespec="minutes") if step and step.due else "",
                "rated": r.rated,
            }
        )
    return rows


def _next_action(step: Step | None) -> str:
    return step.title if step else "nothing to do"


def ranking_columns(money: Money) -> list[str]:
    """The ranking's columns a person reads; with a home currency, the target converted to it."""
    home = [f"target_{money.home}_year"] if money.home else []
    return [
        "rank",
        "company",
        "role",
        "status",
        "score",
        "rated",
        *REFLECTION_AREAS,
        "currency",
        "target",
        "posted_range",
        *home,
        "posted_max_vs_target_%",
        "next_action",
        "next_state",
        "id",
    ]


def ranking_rows(ranked: Ranking) -> list[Row]:
    """The ranking as a person reads it (keys: `ranking_columns`): the columns of
    `opportunity_rows` they need, the score to 3 decimals and the posted range in one cell."""
    money = ranked.money
    home = f"target_{money.home}_year" if money.home else ""
    rows = []
    for r in ranked.rows:
        o = r.opportunity
        ratings = r.area_scores
        salary = o.salary_range
        step = r.next_step
        row = {
            "rank": r.place,
            "company": o.company,
            "role": o.role,
            "status": o.status.value,
            "score": None if r.score is None else formats.rounded(r.score, 3),
            "rated": r.rated,
            **{area: ratings[area] for area in REFLECTION_AREAS},
            "currency": salary.currency if salary else None,
            "target": salary.target if salary else None,
            "posted_range": _range(salary.posted_minimum, salary.posted_maximum) if salary else "",
            "posted_max_vs_target_%": posted_gap(salary) if salary else None,
            "next_action": _next_action(step),
            "next_state": step.state.value if step else "",
            "id": o.id,
        }
        if home:
            row[home] = money.per_year(salary.target, salary) if salary else None
        rows.append(row)
    return rows


def _range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    return "–".join("" if v is None else f"{v:,.0f}" for v in (low, high))


def ranking_csv(ranked: Ranking) -> str:
    """The readable ranking as CSV (`followup compare --format csv`)."""
    columns = ranking_columns(ranked.money)
    return tables.csv_text(columns, ([row[c] for c in columns] for row in ranking_rows(ranked)))


def text_report(ranked: Ranking, sweep: list[Row], trend: TrendRows) -> str:
    """Everything `followup compare` shows in a terminal: the ranking, how sure its top pick is
    (`sensitivity.sweep`) and what repeats across rounds (`trends.trend_rows`)."""
    weights = ", ".join(f"{a}={w:g}" for a, w in ranked.weights.items())
    hidden = {"id", *REFLECTION_AREAS}
    columns = [c for c in ranking_columns(ranked.money) if c not in hidden]

    def table(columns: list[str], rows: list[Row]) -> str:
        return tables.text(columns, ([row[c] for c in columns] for row in rows))

    parts = [
        f"Ranked by your reflection, weighted {weights} (closed processes last, unranked).",
        table(columns, ranking_rows(ranked)),
        ranked.note,
        "How sure is the top pick?",
        "\n".join(f"  {line}" for line in sensitivity.lines(sweep)),
        "Recurring weak spots (lowest average first):",
        table(WEAK_SPOT_COLUMNS, trend.weak_spots),
        "Questions asked at more than one company:",
        table(REPEATED_QUESTION_COLUMNS, trend.repeated_questions),
        "Research topics still open:",
        table(OPEN_RESEARCH_COLUMNS, trend.open_research),
    ]
    return "\n\n".join(parts) + "\n"
