"""`followup stats` as text, JSON and a page: tables, charts as embedded PNGs, figures cited.

The page is one self-contained HTML file (no network: charts are PNGs inside it). What to do today
(the open steps of the checklist) stays above every chart.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from followup.compare import tables
from followup.core.formats import deadline
from followup.core.model import Opportunity, Settings
from followup.search.figures import Figure, beside
from followup.search.stats import (
    ACTIVITY_KINDS,
    CONFIDENCE,
    MIN_TO_COMPARE,
    Duration,
    SearchStats,
)

#: A step of today's list: (opportunity, step, why, due as text).
TodayRow = tuple[str, str, str, str]

FUNNEL_NOTE = "each application counts at every step up to the furthest it reached"
CENSORING_NOTE = (
    "estimated with Kaplan–Meier: an application still waiting counts for the days it has waited "
    "so far, without being taken as answered (it is censored at today)"
)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def funnel_rows(stats: SearchStats) -> list[list[Any]]:
    return [
        [s.step, s.count, _percent(s.from_previous), _percent(s.from_applied)] for s in stats.funnel
    ]


def source_rows(stats: SearchStats) -> list[list[Any]]:
    rows = []
    for s in stats.sources:
        if s.comparable:
            interval = f"{_percent(s.lower)} to {_percent(s.upper)}"
            rows.append([s.source, s.applications, s.interviews, _percent(s.rate), interval])
        else:
            rows.append([s.source, s.applications, s.interviews, "too few to compare", ""])
    return rows


def stage_rows(stats: SearchStats) -> list[list[Any]]:
    return [
        [s.stage, s.finished, s.median_finished, s.ongoing, s.median_ongoing]
        for s in stats.stage_days
    ]


def activity_rows(stats: SearchStats) -> list[list[Any]]:
    return [[week.isoformat(), *(c[k] for k in ACTIVITY_KINDS)] for week, c in stats.activity]


FUNNEL_COLUMNS = ("step", "applications", "of the step before", "of all applied")
SOURCE_COLUMNS = (
    "source",
    "applications",
    "first interviews",
    "rate",
    f"{CONFIDENCE:.0%} interval",
)
STAGE_COLUMNS = (
    "stage",
    "stays finished",
    "median days (finished)",
    "still in it",
    "median days so far",
)
ACTIVITY_COLUMNS = ("week of", *ACTIVITY_KINDS)


def duration_line(d: Duration) -> str:
    """A waiting time in one line: its median and interval, and who was counted how."""
    if not d.applications:
        return f"{d.what}: {d.median_text()}" + (
            f"; {d.left_out} left out (a day not recorded)" if d.left_out else ""
        )
    parts = [f"{d.what}: median {d.median_text()}"]
    if d.interval_text():
        parts[0] += f" ({d.interval_text()})"
    parts.append(f"{d.answered} answered, {d.waiting} still waiting or ended without an answer")
    if d.left_out:
        parts.append(f"{d.left_out} left out (a day not recorded)")
    return "; ".join(parts)


def _sentence(text: str) -> str:
    """`text` with a capital first letter (str.capitalize would lower 'Kaplan–Meier')."""
    return text[:1].upper() + text[1:]


def _title(stats: SearchStats) -> str:
    since = f" since {stats.since.isoformat()}" if stats.since else ""
    return (
        f"Your search{since}: {stats.applications} application"
        f"{'s' if stats.applications != 1 else ''} (today {stats.today.isoformat()})"
    )


def to_text(stats: SearchStats, figures: Sequence[Figure]) -> str:
    """The numbers for a terminal."""
    out = [_title(stats), ""]
    if stats.left_out_by_since:
        out += [f"({stats.left_out_by_since} started earlier or undated, not counted)", ""]
    out += [f"Funnel ({FUNNEL_NOTE})", tables.text(FUNNEL_COLUMNS, funnel_rows(stats)), ""]
    out.append(f"Waiting times, {CENSORING_NOTE}:")
    for d in (stats.first_answer, stats.decision):
        out.append("  " + duration_line(d))
        out += [f"    for comparison: {f.line()}" for f in beside(list(figures), d.name)]
    out += [
        "",
        f"First interviews by source (a rate from {MIN_TO_COMPARE} applications on)",
        tables.text(SOURCE_COLUMNS, source_rows(stats)),
        "",
        "Days in each stage",
        tables.text(STAGE_COLUMNS, stage_rows(stats)),
        "",
        "Activity per week",
        tables.text(ACTIVITY_COLUMNS, activity_rows(stats)),
    ]
    return "\n".join(out) + "\n"


def to_json(stats: SearchStats, figures: Sequence[Figure]) -> str:
    """The documented JSON: funnel, conversion, durations (median and interval), sources…"""
    data = stats.to_dict()
    data["figures"] = [
        {
            "key": f.key,
            "value": f.value,
            "unit": f.unit,
            "what": f.what,
            "source": f.source,
            "year": f.year,
        }
        for f in figures
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def today_steps(
    opportunities: Sequence[Opportunity], now: datetime, settings: Settings | None = None
) -> list[TodayRow]:
    """What to do today: each open step of every checklist, as `followup status` lists them
    (most urgent first), and the search-wide step when it asks something."""
    from followup.clock import policy_for
    from followup.steps import State, overview

    policy = policy_for(settings, now)
    view = overview(opportunities, now, policy)
    rows = [
        (c.opportunity.title, s.title, s.why, deadline(s.due, policy.zone) if s.due else "")
        for c in view.checklists
        for s in c.open_steps
        if s.state is not State.BLOCKED  # LinkedIn while the process is open: not for today
    ]
    if view.keep_searching.state.open:
        rows.append(("Your search", view.keep_searching.title, view.keep_searching.why, ""))
    return rows


# Charts


def _figure(width: float = 7.0, height: float = 3.0) -> Any:
    from matplotlib.figure import Figure as MplFigure

    return MplFigure(figsize=(width, height), dpi=100, layout="constrained")


def png_html(figure: Any, description: str) -> str:
    """A figure as an embedded PNG, its description as alt text and caption."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(description)
    return (
        f'<figure class="followup-chart"><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"<figcaption>{alt}</figcaption></figure>"
    )


def funnel_chart(stats: SearchStats) -> str:
    figure = _figure(7, 2.6)
    axes = figure.add_subplot()
    steps = [s.step for s in stats.funnel][::-1]
    counts = [s.count for s in stats.funnel][::-1]
    axes.barh(steps, counts, color="#4c78a8")
    for y, count in enumerate(counts):
        axes.text(count, y, f" {count}", va="center", fontsize=9)
    axes.set_xlabel("applications")
    axes.spines[["top", "right"]].set_visible(False)
    shown = ", ".join(f"{s.step} {s.count}" for s in stats.funnel)
    return png_html(figure, f"The funnel: {shown}.")


def survival_chart(d: Duration) -> str:
    figure = _figure(7, 2.8)
    axes = figure.add_subplot()
    if d.timeline:
        times = [t for t, _ in d.timeline]
        waiting = [s for _, s in d.timeline]
        axes.step(times, waiting, where="post", color="#4c78a8")
    axes.axhline(0.5, color="#999", linestyle=":", linewidth=1)
    axes.set_ylim(0, 1.05)
    axes.set_xlabel("days")
    axes.set_ylabel("share still waiting")
    axes.spines[["top", "right"]].set_visible(False)
    return png_html(figure, f"Still waiting over time, {d.what}: median {d.median_text()}.")


def activity_chart(stats: SearchStats) -> str:
    figure = _figure(7, 2.2)
    axes = figure.add_subplot()
    grid = [[c[k] for _, c in stats.activity] for k in ACTIVITY_KINDS]
    image = axes.imshow(grid, aspect="auto", cmap="Blues", interpolation="nearest")
    axes.set_yticks(range(len(ACTIVITY_KINDS)), ACTIVITY_KINDS)
    labels = [w.strftime("%d %b") for w, _ in stats.activity]
    step = max(1, len(labels) // 10)
    axes.set_xticks(range(0, len(labels), step), labels[::step], fontsize=8)
    figure.colorbar(image, ax=axes, label="count")
    total = {k: sum(c[k] for _, c in stats.activity) for k in ACTIVITY_KINDS}
    shown = ", ".join(f"{v} {k}" for k, v in total.items())
    return png_html(figure, f"Activity per week over {len(labels)} weeks: {shown}.")


# The page

#: The style of the page's parts, shared by the page and a notebook's output.
_PARTS_CSS = """
.followup-today { border: 2px solid #4c78a8; border-radius: 6px; padding: 0.4em 1em; }
.followup-figure { color: #555; font-size: 0.92em; }
figure.followup-chart { margin: 0.5em 0; } figure.followup-chart img { max-width: 100%; }
figcaption { color: #555; font-size: 0.9em; }
"""
#: The page's own style (a notebook keeps its body's).
_CSS = (
    """
body { font-family: system-ui, sans-serif; max-width: 52em; margin: 1.5em auto; padding: 0 1em;
  color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
"""
    + _PARTS_CSS
)


def today_html(today: Sequence[TodayRow]) -> str:
    """What to do today: the open steps, most urgent first."""
    if not today:
        body = "<p>Nothing open today.</p>"
    else:
        items = "".join(
            f"<li><b>{html.escape(who)}</b>: {html.escape(step)}"
            f"{' (' + html.escape(due) + ')' if due else ''}"
            f"<br><span class='followup-figure'>{html.escape(why)}</span></li>"
            for who, step, why, due in today
        )
        body = f"<ul>{items}</ul>"
    return f"<section class='followup-today' id='today'><h2>What to do today</h2>{body}</section>"


#: The page's sections, for the links under today's steps.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("search-funnel", "Funnel"),
    ("search-waiting", "Waiting times"),
    ("search-sources", "By source"),
    ("search-stages", "Days in each stage"),
    ("search-activity", "Activity per week"),
)


def contents_html() -> str:
    """Links to each section: a long page is walked with the keyboard, not only scrolled."""
    links = " · ".join(f"<a href='#{anchor}'>{name}</a>" for anchor, name in SECTIONS)
    return f"<nav aria-label='Sections of this page'><p>On this page: {links}</p></nav>"


def _figures_html(figures: Sequence[Figure], place: str) -> str:
    return "".join(
        f"<p class='followup-figure'>For comparison: {html.escape(f.line())}</p>"
        for f in beside(list(figures), place)
    )


def to_html(stats: SearchStats, figures: Sequence[Figure], today: Sequence[TodayRow]) -> str:
    """The whole page: today's steps first, then the numbers with their charts."""
    title = html.escape(_title(stats))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>{_CSS}{tables.TABLE_CSS}</style></head><body>"
        f"<h1>{title}</h1>{body_html(stats, figures, today)}</body></html>\n"
    )


def fragment_html(stats: SearchStats, figures: Sequence[Figure], today: Sequence[TodayRow]) -> str:
    """The page's content with its style, for a notebook's output (the app's page)."""
    return f"<style>{_PARTS_CSS}{tables.TABLE_CSS}</style>{body_html(stats, figures, today)}"


def body_html(stats: SearchStats, figures: Sequence[Figure], today: Sequence[TodayRow]) -> str:
    """Today's steps first, then the numbers with their charts."""
    parts = [
        today_html(today),
        contents_html(),
        f"<h2 id='search-funnel'>Funnel</h2><p>{html.escape(_sentence(FUNNEL_NOTE))}.</p>",
        tables.html(FUNNEL_COLUMNS, funnel_rows(stats), table_id="funnel"),
        funnel_chart(stats),
        "<h2 id='search-waiting'>Waiting times</h2>",
        f"<p>{html.escape(_sentence(CENSORING_NOTE))}.</p>",
    ]
    for d in (stats.first_answer, stats.decision):
        parts.append(f"<p id='{d.name}'>{html.escape(_sentence(duration_line(d)))}</p>")
        parts.append(_figures_html(figures, d.name))
        if d.applications:
            parts.append(survival_chart(d))
    parts += [
        "<h2 id='search-sources'>First interviews by source</h2>",
        f"<p>A rate is shown from {MIN_TO_COMPARE} applications on; below that, too few to "
        "compare.</p>",
        tables.html(SOURCE_COLUMNS, source_rows(stats), table_id="sources"),
        "<h2 id='search-stages'>Days in each stage</h2>",
        tables.html(STAGE_COLUMNS, stage_rows(stats), table_id="stage-days"),
        "<h2 id='search-activity'>Activity per week</h2>",
        _figures_html(figures, "activity"),
    ]
    if stats.activity:
        parts.append(activity_chart(stats))
    parts.append(tables.html(ACTIVITY_COLUMNS, activity_rows(stats), table_id="activity"))
    return "".join(parts)
