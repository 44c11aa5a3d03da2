"""Every application with its dates and stage history: a CSV, or a printable page (a record of
one's search, for a benefits office or oneself).

CSV cells that a spreadsheet would run as a formula are neutralised (`followup.compare.tables`).
Dates are ISO 8601 unless a strftime pattern is given (such as '%d.%m.%Y').
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from followup.compare import tables
from followup.core.errors import UsageError
from followup.core.model import Opportunity
from followup.core.stages import current_stage, held_rounds, history, round_day
from followup.search.stats import applied_day, start_day

COLUMNS: tuple[str, ...] = (
    "company",
    "role",
    "source",
    "location",
    "link",
    "applied_on",
    "stage",
    "status",
    "rounds",
    "first_round_on",
    "last_round_on",
    "outcome_on",
    "stage_history",
)


def check_date_format(pattern: str | None) -> str | None:
    """`pattern` when it writes a date (and stays on one line), else a UsageError."""
    if pattern is None:
        return None
    try:
        shown = date(2026, 1, 31).strftime(pattern)
    except ValueError as exc:
        raise UsageError(f"--date-format {pattern!r}: {exc}") from None
    if "%" not in pattern or not shown.strip() or "\n" in shown or "\r" in shown:
        raise UsageError(
            f"--date-format {pattern!r}: expected a date pattern such as %d.%m.%Y or %m/%d/%Y"
        )
    return pattern


def written(day: date | None, pattern: str | None = None) -> str:
    """A day as the person writes dates: ISO 8601 by default, else `pattern`."""
    if day is None:
        return ""
    return day.strftime(pattern) if pattern else day.isoformat()


def _sort_key(o: Opportunity) -> tuple:
    start = start_day(o)
    return (start is None, start or date.min, o.company.casefold(), o.id)


def rows(opportunities: Iterable[Opportunity], pattern: str | None = None) -> list[list[Any]]:
    """One row per application, oldest first, in COLUMNS' order."""
    found = []
    for o in sorted(opportunities, key=_sort_key):
        days = sorted(d for d in map(round_day, held_rounds(o)) if d is not None)
        stage = current_stage(o)
        steps = "; ".join(
            f"{c.stage.value} {written(c.day, pattern) or '(day not recorded)'}" for c in history(o)
        )
        found.append(
            [
                o.company,
                o.role,
                o.source.value if o.source else "",
                o.location,
                o.link or "",
                written(applied_day(o), pattern),
                stage.value if stage else "",
                o.status.value,
                len(held_rounds(o)),
                written(days[0] if days else None, pattern),
                written(days[-1] if days else None, pattern),
                written(o.outcome_on, pattern),
                steps,
            ]
        )
    return found


def to_csv(opportunities: Iterable[Opportunity], pattern: str | None = None) -> str:
    """Every application as CSV, safe to open in a spreadsheet."""
    return tables.csv_text(COLUMNS, rows(opportunities, pattern))


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; }
@media print { body { margin: 0; font-size: 10pt; } a { color: inherit; text-decoration: none; } }
"""


def to_html(
    opportunities: Sequence[Opportunity],
    today: date,
    pattern: str | None = None,
    your_name: str = "",
) -> str:
    """A printable page of every application with its stage history."""
    who = f" by {your_name}" if your_name else ""
    title = f"Job applications{who}, as of {written(today, pattern)}"
    count = len(opportunities)
    shown = [c.replace("_", " ") for c in COLUMNS]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}{tables.TABLE_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{count} application{'s' if count != 1 else ''}, oldest first, each with the stages "
        "it went through and the day it reached each.</p>"
        + tables.html(shown, rows(opportunities, pattern), table_id="applications")
        + "</body></html>\n"
    )
