"""Comparing opportunities: tables of opportunities, rounds and answers, and a weighted ranking.

The ranking orders open processes by a weighted reflection score (people, culture, fit, growth,
alignment), beside the salary range against your target and the next action. Salaries are put in
one currency only where the workbook gives exchange rates (`home_currency` and `rates` in
settings.yaml); otherwise mixed currencies are flagged, never added up. A sensitivity view says how
far each weight can move before the top pick changes, and trends look across rounds for recurring
weak spots.

Exports are safe to open: CSV cells that a spreadsheet would run as a formula are neutralised, and
HTML escapes every bit of the person's text.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from followup import formats
from followup.errors import UsageError
from followup.model import (
    REFLECTION_AREAS,
    AnswerReview,
    Interview,
    Opportunity,
    SalaryRange,
    Settings,
)
from followup.ranking import DEFAULT_WEIGHTS as DEFAULT_WEIGHTS  # re-exported for callers
from followup.ranking import Money, Ranking, rank, view
from followup.ranking import check_weights as check_weights
from followup.ranking import parse_weights as parse_weights
from followup.ranking import table_html as readable_html
from followup.ranking import weighted_score as weighted_score

#: Characters that make a spreadsheet treat a CSV cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A rating at or below this is low; an area is a weak spot once rated low more than once.
LOW_RATING = 2

ANSWER_AREAS: dict[str, str] = {
    "example_compelling": "Examples compelling",
    "key_point_clear": "Key point clear",
}


def _salary_columns(salary: SalaryRange | None, money: Money) -> dict[str, Any]:
    if salary is None:
        return dict.fromkeys(_SALARY_KEYS)
    target, high = salary.target, salary.posted_maximum
    gap = None
    if target is not None and high is not None and target > 0:
        gap = round((high - target) / target * 100, 1)
    return {
        "currency": salary.currency,
        "period": salary.period.value,
        "target": target,
        "posted_minimum": salary.posted_minimum,
        "posted_maximum": high,
        "posted_max_vs_target_pct": gap,
        "target_home": money.per_year(target, salary),
        "posted_maximum_home": money.per_year(high, salary),
    }


_SALARY_KEYS = (
    "currency",
    "period",
    "target",
    "posted_minimum",
    "posted_maximum",
    "posted_max_vs_target_pct",
    "target_home",
    "posted_maximum_home",
)


# Tables


def opportunities_frame(ranked: Ranking) -> pd.DataFrame:
    """One row per opportunity, in ranking order: rank, score, ratings, salary, next action."""
    rows = []
    for r in ranked.rows:
        o = r.opportunity
        ratings = o.reflection.ratings()
        step = r.next_step
        rows.append(
            {
                "rank": r.rank,
                "id": o.id,
                "company": o.company,
                "role": o.role,
                "status": o.status.value,
                "score": r.score,
                "open": r.open,
                "rounds": len(o.rounds),
                **{area: ratings[area].score for area in REFLECTION_AREAS},
                **_salary_columns(o.salary_range, ranked.money),
                "next_action": step.title if step else "nothing to do",
                "next_state": step.state.value if step else "",
                "next_due": step.due.isoformat(timespec="minutes") if step and step.due else "",
                "rated": r.rated,
            }
        )
    frame = pd.DataFrame(rows, columns=_OPPORTUNITY_COLUMNS)
    # Typed even with no rows: an empty object column would select columns, not rows.
    frame["open"] = frame["open"].astype(bool)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")  # full precision: rounding could tie
    for area in REFLECTION_AREAS:
        frame[area] = frame[area].astype("Float64")
    return frame


_OPPORTUNITY_COLUMNS = [
    "rank",
    "id",
    "company",
    "role",
    "status",
    "score",
    "open",
    "rounds",
    *REFLECTION_AREAS,
    *_SALARY_KEYS,
    "next_action",
    "next_state",
    "next_due",
    "rated",
]


Answered = list[tuple[Opportunity, Interview, str, list[AnswerReview]]]


def answered(opportunities: Iterable[Opportunity]) -> Answered:
    """Each round with its key and its reviewed answers, worked out once for all the tables."""
    return [
        (o, r, r.key, [a for a in r.debrief.answers if not a.is_empty()])
        for o in opportunities
        for r in o.rounds
    ]


def rounds_frame(rounds: Answered) -> pd.DataFrame:
    """One row per round: when, how it went, thank-yous and open research."""
    rows = []
    for o, r, key, answers in rounds:
        scores = [getattr(a, k) for a in answers for k in ANSWER_AREAS]
        scores = [s for s in scores if s is not None]
        rows.append(
            {
                "opportunity": o.id,
                "company": o.company,
                "status": o.status.value,
                "round": key,
                "round_name": r.name,
                "starts_at": r.starts_at,  # None or aware: made UTC timestamps below
                "format": r.format.value if r.format else "",
                "interviewers": len(r.interviewers),
                "thank_yous_sent": sum(1 for p in r.interviewers if p.thank_you.sent_at),
                "answers": len(answers),
                "answer_score": sum(scores) / len(scores) if scores else None,
                "overall_rating": r.debrief.overall_rating,
                "research_open": len(r.debrief.open_topics()),
            }
        )
    frame = pd.DataFrame(rows, columns=_ROUND_COLUMNS)
    frame["starts_at"] = pd.to_datetime(frame["starts_at"], utc=True)
    frame["answer_score"] = frame["answer_score"].astype("Float64")
    frame["overall_rating"] = frame["overall_rating"].astype("Int64")
    return frame


_ROUND_COLUMNS = [
    "opportunity",
    "company",
    "status",
    "round",
    "round_name",
    "starts_at",
    "format",
    "interviewers",
    "thank_yous_sent",
    "answers",
    "answer_score",
    "overall_rating",
    "research_open",
]


def answers_frame(rounds: Answered) -> pd.DataFrame:
    """One row per answer review, across every round of every opportunity."""
    rows = []
    for o, r, key, answers in rounds:
        for a in answers:
            rows.append(
                {
                    "opportunity": o.id,
                    "company": o.company,
                    "round": key,
                    "starts_at": r.starts_at,  # None or aware: made UTC timestamps below
                    "question": a.question,
                    "reaction": a.reaction.value if a.reaction else "",
                    "example_compelling": a.example_compelling,
                    "key_point_clear": a.key_point_clear,
                    "improve": a.improve,
                }
            )
    frame = pd.DataFrame(rows, columns=_ANSWER_COLUMNS)
    frame["starts_at"] = pd.to_datetime(frame["starts_at"], utc=True)
    for column in ANSWER_AREAS:
        frame[column] = frame[column].astype("Int64")
    return frame


_ANSWER_COLUMNS = [
    "opportunity",
    "company",
    "round",
    "starts_at",
    "question",
    "reaction",
    "example_compelling",
    "key_point_clear",
    "improve",
]


# Ranking


def _score_matrix(frame: pd.DataFrame) -> np.ndarray:
    return frame[list(REFLECTION_AREAS)].to_numpy(dtype=float, na_value=np.nan)


def scores_for(matrix: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Weighted scores for a matrix of ratings (NaN = unrated); NaN where nothing counts."""
    w = np.asarray(weights, dtype=float)
    rated = ~np.isnan(matrix) & (w > 0)
    total = np.where(rated, np.nan_to_num(matrix) * w, 0.0).sum(axis=1)
    weight = np.where(rated, w, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)


def _order(scores: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """Indices best first: higher score, then id (unscored last), as `ranking.rank` orders."""
    key = np.where(np.isnan(scores), -np.inf, scores)
    return np.lexsort((np.asarray(ids, dtype=object).astype(str), -key))


@dataclass(frozen=True)
class Comparison:
    """The ranking as a table (pandas), with what it was made from."""

    ranking: pd.DataFrame
    weights: dict[str, float]
    note: str
    money: Money
    ranked: Ranking

    @property
    def top(self) -> str | None:
        return self.ranked.top


def compare(
    opportunities: Iterable[Opportunity],
    now: datetime,
    weights: Mapping[str, float] | None = None,
    settings: Settings | None = None,
) -> Comparison:
    """Open processes ranked by weighted reflection score, then the ended ones (unranked)."""
    ranked = rank(opportunities, now, weights, settings)
    frame = opportunities_frame(ranked)
    return Comparison(frame, ranked.weights, ranked.note, ranked.money, ranked)


# Sensitivity


def _top_index(matrix: np.ndarray, weights: np.ndarray, ids: Sequence[str]) -> int:
    return int(_order(scores_for(matrix, weights), ids)[0])


def sensitivity(comparison: Comparison) -> pd.DataFrame:
    """For each weight: how far it can move before the top pick changes, and who takes over.

    Each score is a ratio of two linear functions of one weight, so the points where another
    opportunity draws level with the top pick are roots of a quadratic; each is then checked.
    """
    frame = comparison.ranking[comparison.ranking["open"]]
    columns = ["area", "weight", "top", "lowest", "highest", "below_lowest", "above_highest"]
    if len(frame) < 2:
        return pd.DataFrame(columns=columns)
    ids = list(frame["id"])
    names = dict(zip(frame["id"], frame["company"], strict=True))
    matrix = _score_matrix(frame)
    base = np.array([comparison.weights[a] for a in REFLECTION_AREAS], dtype=float)
    top = _top_index(matrix, base, ids)
    rows = []
    for k, area in enumerate(REFLECTION_AREAS):
        roots = _crossings(matrix, base, k, top)
        w = base[k]

        def top_at(x: float, k: int = k) -> int:
            trial = base.copy()
            trial[k] = x
            return _top_index(matrix, trial, ids)

        # A root at the current weight itself means a tie now: the pick changes at once.
        near = 1e-9 * max(1.0, w)
        below_roots = sorted(r for r in roots if r <= w + near)
        above_roots = sorted(max(r, w) for r in roots if r >= w - near)
        lowest, below = _walk(below_roots, w, top, top_at, down=True)
        highest, above = _walk(above_roots, w, top, top_at, down=False)
        rows.append(
            {
                "area": area,
                "weight": w,
                "top": names[ids[top]],
                "lowest": lowest,
                "highest": highest,
                "below_lowest": names[ids[below]] if below is not None else None,
                "above_highest": names[ids[above]] if above is not None else None,
            }
        )
    result = pd.DataFrame(rows, columns=columns)
    for column in ("lowest", "highest"):
        result[column] = result[column].astype("Float64")
    return result


def _crossings(matrix: np.ndarray, weights: np.ndarray, k: int, top: int) -> list[float]:
    """Weights of area k (>= 0) at which some opportunity's score equals the top pick's."""
    rated = ~np.isnan(matrix)
    others = [j for j in range(matrix.shape[1]) if j != k]
    live = rated[:, others] & (weights[others] > 0)
    values = np.nan_to_num(matrix[:, others])
    a = (values * weights[others] * live).sum(axis=1)  # numerator without area k
    b = (weights[others] * live).sum(axis=1)  # denominator without area k
    c = np.where(rated[:, k], np.nan_to_num(matrix[:, k]), 0.0)
    d = rated[:, k].astype(float)
    # (a_t + x c_t)(b_i + x d_i) = (a_i + x c_i)(b_t + x d_t)
    q2 = c[top] * d - c * d[top]
    q1 = a[top] * d + c[top] * b - a * d[top] - c * b[top]
    q0 = a[top] * b - a * b[top]
    roots: list[float] = []
    for i in range(len(a)):
        if i == top:
            continue
        roots.extend(_real_roots(q2[i], q1[i], q0[i]))
    return sorted({round(r, 9) for r in roots if r >= 0 and math.isfinite(r)})


def _real_roots(q2: float, q1: float, q0: float) -> list[float]:
    eps = 1e-12
    if abs(q2) < eps:
        return [] if abs(q1) < eps else [-q0 / q1]
    disc = q1 * q1 - 4 * q2 * q0
    if disc < 0:
        return []
    root = math.sqrt(disc)
    return [(-q1 - root) / (2 * q2), (-q1 + root) / (2 * q2)]


def _walk(
    roots: list[float], w: float, top: int, top_at: Any, *, down: bool
) -> tuple[float | None, int | None]:
    """The nearest root past which the top pick changes (probing between roots), and the new top.

    Between two neighbouring roots the order cannot change, so one probe per gap is enough.
    """
    if not down:
        for i, edge in enumerate(roots):
            beyond = roots[i + 1] if i + 1 < len(roots) else edge * 2 + 1
            winner = top_at((edge + beyond) / 2)
            if winner != top:
                return edge, winner
        return None, None
    bounds = sorted(roots, reverse=True)
    if not bounds or bounds[-1] > 0:
        bounds.append(0.0)
    for upper, lower in itertools.pairwise(bounds):
        winner = top_at((upper + lower) / 2)
        if winner != top:
            return upper, winner
    if w > 0:
        winner = top_at(0.0)
        if winner != top:
            return 0.0, winner
    return None, None


def sensitivity_lines(view: pd.DataFrame) -> list[str]:
    """The sensitivity view in plain words, one line per area."""
    lines = []
    for row in view.itertuples(index=False):
        head = f"{row.area} (weight {row.weight:g}): {row.top} stays on top"
        low = None if pd.isna(row.lowest) else float(row.lowest)
        high = None if pd.isna(row.highest) else float(row.highest)
        if low is None and high is None:
            lines.append(f"{head} whatever this weight is.")
            continue
        if low is not None and high is not None:
            span = f" between {low:.2f} and {high:.2f}"
        elif high is not None:
            span = f" up to {high:.2f}"
        else:
            span = f" down to {low:.2f}"
        changes = []
        if low is not None:
            where = "at 0" if low == 0 else f"below {low:.2f} (-{row.weight - low:.2f})"
            changes.append(f"{where}, {row.below_lowest} leads")
        if high is not None:
            where = f"above {high:.2f} (+{high - row.weight:.2f})"
            changes.append(f"{where}, {row.above_highest} leads")
        lines.append(f"{head}{span}; {'; '.join(changes)}.")
    return lines


# Trends across rounds


def _normalise_question(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


@dataclass(frozen=True)
class Trends:
    """What repeats across rounds and companies."""

    ratings_over_time: pd.DataFrame
    weak_spots: pd.DataFrame
    repeated_questions: pd.DataFrame
    open_research: pd.DataFrame


def trends(opportunities: Iterable[Opportunity]) -> Trends:
    """Average ratings over time, lowest-rated areas, repeated questions, open research topics."""
    opportunities = list(opportunities)
    reviewed = answered(opportunities)
    rounds = rounds_frame(reviewed)
    answers = answers_frame(reviewed)
    over_time = rounds[rounds["starts_at"].notna()].sort_values("starts_at")
    over_time = over_time[
        ["starts_at", "company", "round_name", "answer_score", "overall_rating"]
    ].reset_index(drop=True)
    over_time["running_answer_score"] = (
        over_time["answer_score"].astype(float).expanding().mean().round(2).astype("Float64")
    )
    return Trends(
        over_time,
        _weak_spots(answers, rounds, opportunities),
        _repeated_questions(answers),
        _open_research(opportunities),
    )


def _weak_spots(
    answers: pd.DataFrame, rounds: pd.DataFrame, opportunities: list[Opportunity]
) -> pd.DataFrame:
    rows = []
    for column, label in ANSWER_AREAS.items():
        values = answers[column].dropna()
        if values.empty:
            continue
        worst = answers.loc[answers[column].fillna(99).astype(int).idxmin()]
        rows.append(
            {
                "kind": "your answers",
                "area": label,
                "average": round(float(values.mean()), 2),
                "ratings": len(values),
                "rated_low": int((values <= LOW_RATING).sum()),
                "lowest_rated": worst["question"],
                "to_improve": worst["improve"],
            }
        )
    overall = rounds["overall_rating"].dropna()
    if not overall.empty:
        rows.append(
            {
                "kind": "your rounds",
                "area": "Overall round rating",
                "average": round(float(overall.mean()), 2),
                "ratings": len(overall),
                "rated_low": int((overall <= LOW_RATING).sum()),
                "lowest_rated": "",
                "to_improve": "",
            }
        )
    ratings = [(o.reflection.ratings(), o.company) for o in opportunities]
    for area in REFLECTION_AREAS:
        scored = [(r[area].score, company) for r, company in ratings if r[area].score is not None]
        if not scored:
            continue
        lowest = min(scored)
        rows.append(
            {
                "kind": "the opportunities",
                "area": area,
                "average": round(sum(s for s, _ in scored) / len(scored), 2),
                "ratings": len(scored),
                "rated_low": sum(1 for s, _ in scored if s <= LOW_RATING),
                "lowest_rated": lowest[1],
                "to_improve": "",
            }
        )
    columns = ["kind", "area", "average", "ratings", "rated_low", "lowest_rated", "to_improve"]
    # A weak spot is an area rated low more than once, not a single bad moment.
    frame = pd.DataFrame([r for r in rows if r["rated_low"] > 1], columns=columns)
    return frame.sort_values(["average", "area"], kind="stable").reset_index(drop=True)


def _repeated_questions(answers: pd.DataFrame) -> pd.DataFrame:
    columns = ["question", "times", "companies"]
    asked = answers[answers["question"].str.len() > 0]
    if asked.empty:
        return pd.DataFrame(columns=columns)
    asked = asked.assign(key=asked["question"].map(_normalise_question))
    rows = []
    for _, group in asked.groupby("key", sort=False):
        companies = sorted(set(group["company"]))
        if len(companies) < 2:
            continue
        rows.append(
            {
                "question": group["question"].iloc[0],
                "times": len(group),
                "companies": ", ".join(companies),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["times", "question"], ascending=[False, True]).reset_index(drop=True)


def _open_research(opportunities: list[Opportunity]) -> pd.DataFrame:
    rows = [
        {
            "company": o.company,
            "status": o.status.value,
            "round": r.name,
            "topic": t.topic,
            "process_open": not o.status.ended,
        }
        for o in opportunities
        for r in o.rounds
        for t in r.debrief.open_topics()
    ]
    columns = ["company", "status", "round", "topic", "process_open"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("process_open", ascending=False, kind="stable").reset_index(drop=True)


# Exports


def ranking_view(comparison: Comparison) -> pd.DataFrame:
    """The ranking's columns a person reads (what the table, CSV and HTML show)."""
    frame = comparison.ranking
    home = comparison.money.home
    view = pd.DataFrame(
        {
            "rank": frame["rank"],
            "company": frame["company"],
            "role": frame["role"],
            "status": frame["status"],
            "score": frame["score"].round(3),
            "rated": frame["rated"],
            **{area: frame[area].astype("Int64") for area in REFLECTION_AREAS},
            "currency": frame["currency"],
            "target": frame["target"],
            "posted_range": [
                _range(lo, hi)
                for lo, hi in zip(frame["posted_minimum"], frame["posted_maximum"], strict=True)
            ],
            "posted_max_vs_target_%": frame["posted_max_vs_target_pct"],
            "next_action": frame["next_action"],
            "next_state": frame["next_state"],
            "id": frame["id"],
        }
    )
    if home:
        view.insert(
            view.columns.get_loc("posted_range") + 1, f"target_{home}_year", frame["target_home"]
        )
    return view


def _range(low: Any, high: Any) -> str:
    def fmt(v: Any) -> str:
        return "" if v is None or pd.isna(v) else f"{v:,.0f}"

    if (low is None or pd.isna(low)) and (high is None or pd.isna(high)):
        return ""
    return f"{fmt(low)}–{fmt(high)}"


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with formula-looking text neutralised (numbers are left as numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return neutralise(value)


def _missing(value: Any) -> bool:
    if isinstance(value, str | bool):
        return False  # most cells: no need to ask pandas
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell(value: Any) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def table_html(
    frame: pd.DataFrame,
    *,
    table_id: str = "",
    links: Mapping[int, str] | None = None,
    link_column: str = "company",
) -> str:
    """An HTML table with every header and cell escaped.

    `links` maps row positions to hrefs for `link_column` (the hrefs are escaped too).
    """
    attr = f' id="{html.escape(table_id)}"' if table_id else ""
    head = "".join(f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in frame.columns)
    linked = list(frame.columns).index(link_column) if link_column in frame.columns else -1
    body = []
    for position, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for i, value in enumerate(row):
            text = html.escape(_cell(value))
            if i == linked and links and position in links:
                text = f'<a href="{html.escape(links[position])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="followup-table"{attr}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def to_json(comparison: Comparison, view: pd.DataFrame, trend: Trends) -> dict[str, Any]:
    """Everything `followup compare` knows, as plain JSON values."""

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        out = []
        for row in frame.to_dict(orient="records"):
            out.append({k: _json_value(v) for k, v in row.items()})
        return out

    return {
        "weights": comparison.weights,
        "note": comparison.note,
        "home_currency": comparison.money.home,
        "ranking": records(ranking_view(comparison)),
        "sensitivity": records(view),
        "trends": {
            "ratings_over_time": records(trend.ratings_over_time),
            "weak_spots": records(trend.weak_spots),
            "repeated_questions": records(trend.repeated_questions),
            "open_research": records(trend.open_research),
        },
    }


def _json_value(value: Any) -> Any:
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>How your opportunities compare</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 75rem; margin: 1.5rem auto; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
th {{ background: #f3f5f7; }}
</style></head><body>
<h1>How your opportunities compare</h1>
{body}
</body></html>
"""


def page_html(comparison: Comparison, view: pd.DataFrame, trend: Trends) -> str:
    """A standalone page: ranking, sensitivity and trends (no scripts, every text escaped)."""
    weights = ", ".join(f"{a}={w:g}" for a, w in comparison.weights.items())
    parts = [
        f"<p>Weights: {html.escape(weights)}. {html.escape(comparison.note)}</p>",
        table_html(ranking_view(comparison), table_id="ranking"),
        "<h2>How sure is the top pick?</h2>",
        "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in sensitivity_lines(view)) + "</ul>",
        "<h2>Average ratings over time</h2>",
        table_html(trend.ratings_over_time),
        "<h2>Recurring weak spots</h2>",
        table_html(trend.weak_spots),
        "<h2>Questions asked at more than one company</h2>",
        table_html(trend.repeated_questions),
        "<h2>Research topics still open</h2>",
        table_html(trend.open_research),
    ]
    return _PAGE.format(body="\n".join(parts))


def table_text(frame: pd.DataFrame) -> str:
    """A frame for a terminal (user text cut to keep lines readable)."""
    if frame.empty:
        return "(nothing yet)"
    columns = [[str(c)] + [_clip(_cell(v)) for v in frame[c].tolist()] for c in frame.columns]
    widths = [max(len(text) for text in column) for column in columns]
    lines = []
    for cells in zip(*columns, strict=True):
        lines.append("  ".join(t.rjust(w) for t, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def text_report(comparison: Comparison, view: pd.DataFrame, trend: Trends) -> str:
    """Everything `followup compare` shows in a terminal."""
    weights = ", ".join(f"{a}={w:g}" for a, w in comparison.weights.items())
    ranking = ranking_view(comparison).drop(columns=["id", *REFLECTION_AREAS])
    parts = [
        f"Ranked by your reflection, weighted {weights} (closed processes last, unranked).",
        table_text(ranking),
        comparison.note,
        "How sure is the top pick?",
        "\n".join(f"  {line}" for line in sensitivity_lines(view))
        or "  Rank at least two open processes to see this.",
        "Recurring weak spots (lowest average first):",
        table_text(trend.weak_spots),
        "Questions asked at more than one company:",
        table_text(trend.repeated_questions),
        "Research topics still open:",
        table_text(trend.open_research),
    ]
    return "\n\n".join(parts) + "\n"


# For notebooks: load once, then redraw as the weights change


@dataclass(frozen=True)
class Inputs:
    """A workbook read for comparing: its opportunities, `now`, settings and unreadable files."""

    opportunities: list[Opportunity]
    now: datetime
    settings: Settings
    problems: list[str]


def load(data_dir: str = "", now: str = "") -> Inputs:
    """Read the workbook (blank: $FOLLOWUP_DATA, else ./data) as of `now` (blank: the clock)."""
    from followup.clock import parse_now
    from followup.store import Workbook, resolve_data_dir

    book = Workbook(resolve_data_dir(data_dir or None))
    loaded = book.load()
    return Inputs(
        loaded.opportunities,
        parse_now(now, field="now"),
        book.settings(),
        [p.message for p in loaded.problems],
    )


def ranking_html(inputs: Inputs, weights: Mapping[str, float], highlight: str = "") -> str:
    """The ranking and the sensitivity lines for these weights, as escaped HTML."""
    try:
        result = compare(inputs.opportunities, inputs.now, weights, inputs.settings)
    except UsageError as exc:
        return f"<p>{html.escape(str(exc))}</p>"
    table = view(result.ranked)
    if highlight:
        for row, ranked in zip(table.rows, result.ranked.rows, strict=True):
            if ranked.opportunity.id == highlight:
                row[1] = replace(row[1], text=f"→ {row[1].text}")
    lines = sensitivity_lines(sensitivity(result)) or ["Rank two open processes to see this."]
    return "".join(
        [
            f"<p>{html.escape(result.note)}</p>",
            readable_html(table, table_id="ranking"),
            "<h3>How sure is the top pick?</h3>",
            "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>",
        ]
    )


#: Headers a person understands, for the trend tables.
_TREND_HEADERS = {
    "starts_at": "When",
    "company": "Company",
    "round_name": "Round",
    "round": "Round",
    "answer_score": "Answers (of 5)",
    "overall_rating": "Round overall (of 5)",
    "running_answer_score": "Answers so far (of 5)",
    "kind": "About",
    "area": "Area",
    "average": "Average (of 5)",
    "ratings": "Ratings",
    "rated_low": "Rated low",
    "lowest_rated": "Lowest rated",
    "to_improve": "To improve",
    "question": "Question",
    "times": "Times asked",
    "companies": "Companies",
    "status": "Status",
    "topic": "Topic",
    "process_open": "Process still open",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A trend table with plain headers, days instead of timestamps and words instead of True."""
    shown = frame.copy()
    for column in shown.columns:
        if column == "starts_at":
            shown[column] = [formats.day(v) if not _missing(v) else "" for v in shown[column]]
        elif shown[column].dtype == bool:
            shown[column] = ["yes" if v else "no" for v in shown[column]]
    return shown.rename(columns=_TREND_HEADERS)


def trends_html(inputs: Inputs) -> str:
    """Ratings over time, weak spots, repeated questions and open research, as escaped HTML.

    A section with nothing in it says so in a sentence instead of drawing an empty table.
    """
    trend = trends(inputs.opportunities)
    sections = [
        ("Average ratings over time", trend.ratings_over_time, "No rounds with a date yet."),
        (
            "Recurring weak spots",
            trend.weak_spots,
            "None: no area was rated low (1 or 2) more than once.",
        ),
        (
            "Questions asked at more than one company",
            trend.repeated_questions,
            "No question came up at two companies yet.",
        ),
        ("Research topics still open", trend.open_research, "No open research topics."),
    ]
    parts = []
    for title, frame, empty in sections:
        parts.append(f"<h3>{html.escape(title)}</h3>")
        if frame.empty:
            parts.append(f"<p class='followup-empty'>{html.escape(empty)}</p>")
        else:
            parts.append(table_html(readable(frame)))
    return "".join(parts)
