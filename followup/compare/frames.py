"""Comparing opportunities as pandas tables: for the notebooks, the HTML page and the JSON export.

A thin face over the pure layer: `ranking` orders the open processes by weighted reflection score,
`comparison` gives each opportunity's columns and the ranking a person reads, `sensitivity` says
how far each weight can move before the top pick changes, and `trends` looks across rounds for
recurring weak spots, repeated questions and open research. This module makes DataFrames of their
rows (typed, so an empty table still has its columns) and renders them as HTML and JSON;
`followup compare`'s text and CSV come from the pure modules without loading pandas.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from followup.compare import rows as _comparison
from followup.compare import sensitivity as _sensitivity
from followup.compare import tables
from followup.compare import trends as _trends
from followup.compare.ranking import DEFAULT_WEIGHTS as DEFAULT_WEIGHTS  # re-exported for callers
from followup.compare.ranking import Money, Ranking, rank, view
from followup.compare.ranking import check_weights as check_weights
from followup.compare.ranking import parse_weights as parse_weights
from followup.compare.ranking import table_html as readable_html
from followup.compare.ranking import weighted_score as weighted_score
from followup.compare.tables import FORMULA_STARTS as FORMULA_STARTS
from followup.compare.tables import neutralise as neutralise
from followup.compare.trends import ANSWER_AREAS as ANSWER_AREAS
from followup.compare.trends import LOW_RATING as LOW_RATING
from followup.compare.trends import Answered as Answered
from followup.compare.trends import answered as answered
from followup.core import formats
from followup.core.errors import UsageError
from followup.core.model import REFLECTION_AREAS, Opportunity, Settings

# Tables


def opportunities_frame(ranked: Ranking) -> pd.DataFrame:
    """One row per opportunity, in ranking order: rank, score, ratings, salary, next action."""
    frame = pd.DataFrame(
        _comparison.opportunity_rows(ranked), columns=_comparison.OPPORTUNITY_COLUMNS
    )
    # Typed even with no rows: an empty object column would select columns, not rows.
    frame["open"] = frame["open"].astype(bool)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")  # full precision: rounding could tie
    for area in REFLECTION_AREAS:
        frame[area] = frame[area].astype("Float64")
    return frame


def rounds_frame(rounds: Answered) -> pd.DataFrame:
    """One row per round: when, how it went, thank-yous and open research."""
    frame = pd.DataFrame(_trends.round_rows(rounds), columns=_trends.ROUND_COLUMNS)
    frame["starts_at"] = pd.to_datetime(frame["starts_at"], utc=True)
    frame["answer_score"] = frame["answer_score"].astype("Float64")
    frame["overall_rating"] = frame["overall_rating"].astype("Int64")
    return frame


def answers_frame(rounds: Answered) -> pd.DataFrame:
    """One row per answer review, across every round of every opportunity."""
    frame = pd.DataFrame(_trends.answer_rows(rounds), columns=_trends.ANSWER_COLUMNS)
    frame["starts_at"] = pd.to_datetime(frame["starts_at"], utc=True)
    for column in ANSWER_AREAS:
        frame[column] = frame[column].astype("Int64")
    return frame


# Ranking


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


def sensitivity(comparison: Comparison) -> pd.DataFrame:
    """For each weight: how far it can move before the top pick changes, and who takes over."""
    found = _sensitivity.sweep(comparison.ranked)
    if not found:
        return pd.DataFrame(columns=_sensitivity.COLUMNS)
    result = pd.DataFrame(found, columns=_sensitivity.COLUMNS)
    for column in ("lowest", "highest"):
        result[column] = result[column].astype("Float64")
    return result


def sensitivity_lines(view: pd.DataFrame) -> list[str]:
    """The sensitivity view in plain words, one line per area."""
    return _sensitivity.lines(_records(view))


# Trends across rounds


@dataclass(frozen=True)
class Trends:
    """What repeats across rounds and companies."""

    ratings_over_time: pd.DataFrame
    weak_spots: pd.DataFrame
    repeated_questions: pd.DataFrame
    open_research: pd.DataFrame


def trends(opportunities: Iterable[Opportunity]) -> Trends:
    """Average ratings over time, lowest-rated areas, repeated questions, open research topics."""
    found = _trends.trend_rows(opportunities)
    over_time = pd.DataFrame(found.ratings_over_time, columns=_trends.RATINGS_OVER_TIME_COLUMNS)
    over_time["starts_at"] = pd.to_datetime(over_time["starts_at"], utc=True)
    over_time["overall_rating"] = over_time["overall_rating"].astype("Int64")
    for column in ("answer_score", "running_answer_score"):
        over_time[column] = over_time[column].astype("Float64")
    return Trends(
        over_time,
        pd.DataFrame(found.weak_spots, columns=_trends.WEAK_SPOT_COLUMNS),
        pd.DataFrame(found.repeated_questions, columns=_trends.REPEATED_QUESTION_COLUMNS),
        pd.DataFrame(found.open_research, columns=_trends.OPEN_RESEARCH_COLUMNS),
    )


# Exports


def ranking_view(comparison: Comparison) -> pd.DataFrame:
    """The ranking's columns a person reads (what the table, CSV and HTML show)."""
    columns = _comparison.ranking_columns(comparison.money)
    frame = pd.DataFrame(_comparison.ranking_rows(comparison.ranked), columns=columns)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    for area in REFLECTION_AREAS:
        frame[area] = frame[area].astype("Int64")
    return frame


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with formula-looking text neutralised (numbers are left as numbers)."""
    return tables.csv_text(list(frame.columns), _values(frame))


def _values(frame: pd.DataFrame) -> list[list[Any]]:
    """The frame's rows as plain values, None where pandas has NaN, NA or NaT."""
    return [[None if _missing(v) else v for v in row] for row in frame.itertuples(index=False)]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in _values(frame)]


def _missing(value: Any) -> bool:
    if isinstance(value, str | bool):
        return False  # most cells: no need to ask pandas
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


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
    return tables.html(
        list(frame.columns), _values(frame), table_id=table_id, links=links, link_column=link_column
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


# For notebooks: load once, then redraw as the weights change


@dataclass
class Inputs:
    """A workbook read for comparing: its opportunities, `now`, settings and unreadable files."""

    opportunities: list[Opportunity]
    now: datetime
    settings: Settings
    problems: list[str]
    #: The workbook's folder, where the page keeps its weights (settings.yaml).
    root: Path | None = None

    def weights(self) -> dict[str, float]:
        """The weights to start from: those settings.yaml keeps, else every area at 1."""
        try:
            return check_weights(self.settings.weights)
        except UsageError:
            return dict(DEFAULT_WEIGHTS)

    def keep_weights(self, weights: Mapping[str, float]) -> str:
        """Keep the page's weights in settings.yaml, so it opens with them next time; a line
        saying so, or why not (the ranking still shows)."""
        from followup.core.errors import FollowupError
        from followup.storage.workbook import Workbook

        if self.root is None:
            return ""
        chosen = {area: float(w) for area, w in check_weights(weights).items()}
        if chosen == self.weights():
            return ""
        try:
            self.settings = Workbook(self.root).save_setting("weights", chosen)
        except FollowupError as exc:
            return f"Your weights could not be kept: {exc}"
        return "Your weights are kept for next time (in settings.yaml)."


def load(data_dir: str = "", now: str = "") -> Inputs:
    """Read the workbook (blank: $FOLLOWUP_DATA, else ./data) as of `now` (blank: the clock)."""
    from followup.clock import parse_now
    from followup.storage.workbook import Workbook, resolve_data_dir

    book = Workbook(resolve_data_dir(data_dir or None))
    loaded = book.load()
    return Inputs(
        loaded.opportunities,
        parse_now(now, field="now"),
        book.settings(),
        [p.message for p in loaded.problems],
        book.root,
    )


#: The tables' style, with the HTML a notebook shows (it would right-align every cell).
_STYLE = f"<style>{tables.TABLE_CSS}</style>"


def ranking_html(inputs: Inputs, weights: Mapping[str, float], highlight: str = "") -> str:
    """The ranking and the sensitivity lines for these weights, as escaped HTML."""
    try:
        ranked = rank(inputs.opportunities, inputs.now, weights, inputs.settings)
    except UsageError as exc:
        return f"<p>{html.escape(str(exc))}</p>"
    table = view(ranked)
    if highlight:
        for row, one in zip(table.rows, ranked.rows, strict=True):
            if one.opportunity.id == highlight:
                row[1] = replace(row[1], text=f"→ {row[1].text}")
    lines = _sensitivity.lines(_sensitivity.sweep(ranked))
    return "".join(
        [
            _STYLE,
            f"<p>{html.escape(ranked.note)}</p>",
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
    parts = [_STYLE]
    for title, frame, empty in sections:
        parts.append(f"<h3>{html.escape(title)}</h3>")
        if frame.empty:
            parts.append(f"<p class='followup-empty'>{html.escape(empty)}</p>")
        else:
            parts.append(table_html(readable(frame)))
    return "".join(parts)
