"""What one round's report shows, built from the model and the checklist rules.

`RoundReport` turns an opportunity and one of its rounds into tables (pandas), charts (matplotlib)
and a machine-readable summary. The report notebook (`notebooks/report.ipynb`) only calls these.
Every piece of the person's text is HTML-escaped here, so a note containing `<script>` stays text.

The second half holds the HTML helpers used by batch runs: exporting an executed notebook to a
self-contained page (no code, images embedded, no script fetched from anywhere), and the index page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import statistics
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from followup.clock import parse_now
from followup.errors import NotFound
from followup.model import Interview, Opportunity, SalaryRange
from followup.rules import Checklist, State, Step, StepKind, checklist
from followup.store import Workbook, resolve_data_dir

#: The MIME type of the summary a report notebook displays; batch runs read it back with nbformat.
SUMMARY_MIME = "application/vnd.followup.report+json"
#: Bumped when the summary's fields change, so old records are recognised.
SUMMARY_VERSION = 1

ANSWER_SCORES: tuple[str, ...] = ("example_compelling", "key_point_clear")
ANSWER_SCORE_LABELS: dict[str, str] = {
    "example_compelling": "Example compelling",
    "key_point_clear": "Key point clear",
}


def _day(moment: datetime | None, zone: Any = None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone) if zone else moment
    return f"{local:%a %d %b %Y}"


def _moment(moment: datetime | None, zone: Any = None) -> str:
    """'Thu 19 Nov 2026 16:00 GMT'; a midnight deadline reads 'end of Wed 18 Nov 2026'."""
    if moment is None:
        return ""
    local = moment.astimezone(zone) if zone else moment
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return f"end of {local - timedelta(days=1):%a %d %b %Y}"
    name = local.tzname() or ""
    return f"{local:%a %d %b %Y %H:%M} {name}".strip()


def _mean(values: Iterable[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 2) if present else None


def money(value: float | None, currency: str = "") -> str:
    """'64,000 EUR' (empty for a missing figure)."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{text} {currency}".strip()


def salary_position(salary: SalaryRange | None) -> str:
    """Where the person's target sits against the employer's posted range, in plain words."""
    if salary is None or salary.target is None:
        return "No target set yet."
    low, high = salary.posted_minimum, salary.posted_maximum
    if low is None and high is None:
        return "No posted range recorded: ask the recruiter for the budgeted range."
    if high is not None and salary.target > high:
        return "Your target is above the posted range: be ready to explain the gap."
    if low is not None and salary.target < low:
        return "Your target is below the posted range: you can aim higher."
    if low is not None and high is not None:
        share = (salary.target - low) / (high - low) if high > low else 1.0
        return f"Your target sits {share:.0%} of the way up the posted range."
    return "Your target is within what was posted."


def table_html(frame: pd.DataFrame, *, empty: str = "Nothing recorded yet.") -> str:
    """A DataFrame as an HTML table with every cell and header escaped (no index)."""
    if frame.empty:
        return f"<p class='followup-empty'>{html.escape(empty)}</p>"
    from pandas.io.formats.style import Styler

    # A name made from the content, not pandas' random one: the same data, the same page.
    name = hashlib.sha256(frame.to_json(date_format="iso").encode()).hexdigest()[:10]
    styler = Styler(frame, uuid=name, cell_ids=False)
    styler = styler.format(escape="html", na_rep="").format_index(escape="html", axis=1)
    return styler.hide(axis="index").set_table_attributes('class="followup-table"').to_html()


def text_html(text: str, tag: str = "p") -> str:
    """A paragraph of the person's text, escaped, line breaks kept."""
    return f"<{tag}>{html.escape(text).replace(chr(10), '<br>')}</{tag}>"


def list_html(items: Sequence[str], *, empty: str = "") -> str:
    if not items:
        return text_html(empty) if empty else ""
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


@dataclass(frozen=True)
class RoundReport:
    """Everything one round's report shows, as values."""

    opportunity: Opportunity
    interview: Interview
    now: datetime
    checklist: Checklist

    @property
    def zone(self) -> Any:
        return self.interview.zone or self.now.tzinfo

    # Tables

    def answers_frame(self) -> pd.DataFrame:
        """The debrief's answer reviews with their ratings."""
        rows = [
            {
                "Question": a.question,
                "My answer": a.my_answer,
                "Reaction": a.reaction.value if a.reaction else "",
                "Reaction note": a.reaction_note,
                "Example compelling": a.example_compelling,
                "Key point clear": a.key_point_clear,
                "To improve": a.improve,
            }
            for a in self.interview.debrief.answers
            if not a.is_empty()
        ]
        frame = pd.DataFrame(rows, columns=_ANSWER_COLUMNS)
        for column in ("Example compelling", "Key point clear"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def improvements(self) -> list[str]:
        return [a.improve for a in self.interview.debrief.answers if a.improve]

    def research_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"Topic": t.topic, "State": "done" if t.done else "open"}
                for t in self.interview.debrief.research
            ],
            columns=["Topic", "State"],
        )

    def _steps(self, kind: StepKind) -> list[Step]:
        return [s for s in self.checklist.steps if s.kind is kind]

    def thank_you_frame(self) -> pd.DataFrame:
        """Each interviewer of the round and where their thank-you stands."""
        by_person = {
            s.person: s for s in self._steps(StepKind.THANK_YOU) if s.round == self.interview.key
        }
        rows = []
        for person in self.interview.interviewers:
            step = by_person.get(person.name)
            note = person.thank_you
            rows.append(
                {
                    "Interviewer": person.name,
                    "Title": person.title,
                    "Channel": note.channel.value,
                    "Drafted": _moment(note.drafted_at, self.zone),
                    "Sent": _moment(note.sent_at, self.zone),
                    "State": step.state.value if step else "not yet due",
                    "Due": _moment(step.due, self.zone) if step and step.due else "",
                }
            )
        return pd.DataFrame(rows, columns=_THANK_YOU_COLUMNS)

    def reflection_frame(self) -> pd.DataFrame:
        rows = [
            {"Area": area, "Score": rating.score, "Note": rating.note}
            for area, rating in self.opportunity.reflection.ratings().items()
        ]
        frame = pd.DataFrame(rows, columns=["Area", "Score", "Note"])
        frame["Score"] = frame["Score"].astype("Int64")
        return frame

    def salary_frame(self) -> pd.DataFrame:
        salary = self.opportunity.salary_range
        if salary is None:
            return pd.DataFrame(columns=["", "Amount"])
        rows = [
            ("Your minimum", salary.minimum),
            ("Your target", salary.target),
            ("Your stretch", salary.stretch),
            ("Posted minimum", salary.posted_minimum),
            ("Posted maximum", salary.posted_maximum),
        ]
        per = f" / {salary.period.value}"
        return pd.DataFrame(
            [{"": label, "Amount": money(v, salary.currency) + per} for label, v in rows if v],
            columns=["", "Amount"],
        )

    def checklist_frame(self) -> pd.DataFrame:
        """The opportunity's checklist, most urgent first, with due dates in the round's zone."""
        rows = [
            {
                "#": s.number,
                "Step": s.title,
                "State": s.state.value,
                "Due": _moment(s.due, self.zone) if s.due and s.state.open else "",
                "Why": s.why,
            }
            for s in self.checklist.steps
        ]
        frame = pd.DataFrame(rows, columns=["#", "Step", "State", "Due", "Why"])
        frame["#"] = frame["#"].astype("Int64")
        return frame

    # Sections as escaped HTML, for the notebook to display

    def heading_html(self) -> str:
        o, r = self.opportunity, self.interview
        facts = [
            f"Status: {o.status.value}",
            f"Round: {r.name}",
            f"Held: {_moment(r.starts_at, self.zone) or 'date not recorded'}",
        ]
        if r.format:
            facts.append(f"Format: {r.format.value}")
        facts.append(f"As of {_moment(self.now)}")
        return (
            f"<h1>{html.escape(o.title)}</h1>"
            f"<p class='followup-facts'>{html.escape(' · '.join(facts))}</p>"
        )

    def debrief_html(self) -> str:
        debrief = self.interview.debrief
        parts = [table_html(self.answers_frame(), empty="No answers reviewed for this round yet.")]
        if debrief.overall_rating is not None:
            parts.append(text_html(f"Overall rating: {debrief.overall_rating} / 5"))
        if debrief.overall_feeling:
            parts.append(text_html(f"How it felt: {debrief.overall_feeling}"))
        if self.improvements():
            parts.append(text_html("What to improve next time:"))
            parts.append(list_html(self.improvements()))
        if debrief.notes:
            parts.append(text_html(debrief.notes))
        return "".join(parts)

    def research_html(self) -> str:
        return table_html(self.research_frame(), empty="No research topics came up.")

    def thank_you_html(self) -> str:
        return table_html(self.thank_you_frame(), empty="No interviewers recorded for this round.")

    def reflection_html(self) -> str:
        reflection = self.opportunity.reflection
        parts = [table_html(self.reflection_frame())]
        if reflection.what_i_want:
            parts.append(text_html(f"What you want: {reflection.what_i_want}"))
        if reflection.dealbreakers:
            parts.append(text_html("Dealbreakers:"))
            parts.append(list_html(reflection.dealbreakers))
        parts.append("<h3>Salary range</h3>")
        parts.append(table_html(self.salary_frame(), empty="No salary range set yet."))
        parts.append(text_html(salary_position(self.opportunity.salary_range)))
        return "".join(parts)

    def checklist_html(self) -> str:
        return table_html(self.checklist_frame(), empty="Nothing on the checklist.")

    # Charts

    def charts(self) -> list[Any]:
        """One figure with the answer ratings and the reflection, and the salary picture."""
        figures = [f for f in (ratings_chart(self), salary_chart(self)) if f is not None]
        return figures

    # Summary

    def summary(self) -> dict[str, Any]:
        """The machine-readable record of this report, used to build the index."""
        o, r = self.opportunity, self.interview
        answers = [a for a in r.debrief.answers if not a.is_empty()]
        scores = [getattr(a, s) for a in answers for s in ANSWER_SCORES]
        thank_yous = self.thank_you_frame()
        round_steps = [s for s in self.checklist.open_steps if s.round in (None, r.key)]
        first = round_steps[0] if round_steps else None
        salary = o.salary_range
        reflection = [x.score for x in o.reflection.ratings().values()]
        return {
            "version": SUMMARY_VERSION,
            "opportunity": o.id,
            "company": o.company,
            "role": o.role,
            "status": o.status.value,
            "round": r.key,
            "round_name": r.name,
            "starts_at": r.starts_at.isoformat() if r.starts_at else None,
            "now": self.now.isoformat(),
            "answers": len(answers),
            "answer_score": _mean(scores),
            "overall_rating": r.debrief.overall_rating,
            "debrief_recorded": r.debrief.is_recorded(),
            "thank_yous_sent": int((thank_yous["Sent"] != "").sum()),
            "thank_yous_total": len(thank_yous),
            "research_open": len(r.debrief.open_topics()),
            "reflection_score": _mean(reflection),
            "salary": None
            if salary is None
            else {
                "currency": salary.currency,
                "period": salary.period.value,
                "target": salary.target,
                "posted_minimum": salary.posted_minimum,
                "posted_maximum": salary.posted_maximum,
            },
            "overdue": sum(1 for s in self.checklist.steps if s.state is State.OVERDUE),
            "next_step": None
            if first is None
            else {
                "title": first.title,
                "state": first.state.value,
                "due": first.due.isoformat() if first.due else None,
            },
            "kernel_python": sys.executable,
        }

    def publish_summary(self) -> None:
        """Display the summary as an output with its own MIME type (nothing visible in the HTML)."""
        from IPython.display import display

        display({SUMMARY_MIME: self.summary()}, raw=True)


_ANSWER_COLUMNS = [
    "Question",
    "My answer",
    "Reaction",
    "Reaction note",
    "Example compelling",
    "Key point clear",
    "To improve",
]
_THANK_YOU_COLUMNS = ["Interviewer", "Title", "Channel", "Drafted", "Sent", "State", "Due"]


def _pick(opportunities: list[Opportunity], opportunity_id: str) -> Opportunity:
    if opportunity_id:
        for o in opportunities:
            if o.id == opportunity_id:
                return o
        known = ", ".join(o.id for o in opportunities) or "none yet"
        raise NotFound(f"no opportunity {opportunity_id!r} (known: {known})")
    with_rounds = [o for o in opportunities if o.rounds]
    if not with_rounds:
        raise NotFound("the workbook has no opportunity with a round yet: add one first")
    return with_rounds[0]


def _latest_round(opportunity: Opportunity, now: datetime) -> Interview:
    held = [r for r in opportunity.rounds if r.starts_at is not None and r.starts_at <= now]
    if held:
        return max(held, key=lambda r: r.starts_at)
    return opportunity.rounds[-1]


def build(opportunity: Opportunity, round_key: str, now: datetime) -> RoundReport:
    """The report of one round (empty `round_key`: the latest round held)."""
    if not opportunity.rounds:
        raise NotFound(f"{opportunity.id}: no rounds recorded yet, so there is nothing to report")
    interview = opportunity.round(round_key) if round_key else _latest_round(opportunity, now)
    return RoundReport(opportunity, interview, now, checklist(opportunity, now))


def load(
    data_dir: str = "", opportunity_id: str = "", round: str = "", now: str = ""
) -> RoundReport:
    """The report for the notebook's parameters; empty values pick sensible defaults."""
    book = Workbook(resolve_data_dir(data_dir or None))
    moment = parse_now(now, field="now")
    if opportunity_id:
        opportunity = book.get(opportunity_id).opportunity
    else:
        opportunity = _pick(book.load().opportunities, "")
    return build(opportunity, round, moment)


# Charts (matplotlib, no display: figures are returned for the notebook to show)


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=90, layout="constrained")


def ratings_chart(report: RoundReport) -> Any | None:
    """Bars of this round's answer ratings and of the opportunity's reflection (1-5)."""
    answers = [a for a in report.interview.debrief.answers if not a.is_empty()]
    reflection = report.opportunity.reflection.ratings()
    rated_answers = [a for a in answers if any(getattr(a, s) for s in ANSWER_SCORES)]
    rated_areas = {k: v.score for k, v in reflection.items() if v.score is not None}
    if not rated_answers and not rated_areas:
        return None
    figure = _figure(8, 3)
    left, right = figure.subplots(1, 2)
    if rated_answers:
        labels = [f"Q{i}" for i in range(1, len(rated_answers) + 1)]
        width = 0.38
        for offset, score in ((-width / 2, "example_compelling"), (width / 2, "key_point_clear")):
            values = [getattr(a, score) or 0 for a in rated_answers]
            xs = [i + offset for i in range(len(values))]
            left.bar(xs, values, width, label=ANSWER_SCORE_LABELS[score])
        left.set_xticks(range(len(labels)), labels)
        left.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False
        )
    else:
        left.text(0.5, 3, "No rated answers", ha="center")
    left.set_ylim(0, 5.2)
    left.set_title("Your answers (1-5)", fontsize=10)
    areas = list(reflection)
    right.barh(areas, [rated_areas.get(a, 0) for a in areas], color="#4c72b0")
    right.set_xlim(0, 5.2)
    right.invert_yaxis()
    right.set_title("Your reflection (1-5)", fontsize=10)
    return figure


def salary_chart(report: RoundReport) -> Any | None:
    """The posted range as a band, with your minimum, target and stretch marked on it."""
    salary = report.opportunity.salary_range
    if salary is None or not salary.is_recorded():
        return None
    figure = _figure(8, 1.6)
    axes = figure.subplots()
    low, high = salary.posted_minimum, salary.posted_maximum
    if low is not None and high is not None:
        axes.axvspan(low, high, color="#dde8f3", label="Posted range")
    for value, label, color in (
        (salary.minimum, "Minimum", "#c44e52"),
        (salary.target, "Target", "#55a868"),
        (salary.stretch, "Stretch", "#8172b2"),
    ):
        if value is not None:
            axes.axvline(value, color=color, linewidth=2, label=label)
    axes.set_yticks([])
    axes.set_title(f"Salary ({salary.currency} per {salary.period.value})", fontsize=10)
    figure.legend(loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    axes.xaxis.set_major_formatter("{x:,.0f}")
    return figure


def figure_png(figure: Any) -> bytes:
    """A figure as PNG bytes (for display without pyplot's global state)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def show_charts(report: RoundReport) -> None:
    """Display the report's charts as embedded PNG images (notebook helper)."""
    from IPython.display import Image, display

    figures = report.charts()
    if not figures:
        from IPython.display import HTML

        display(HTML(text_html("Nothing to chart yet: rate your answers or the opportunity.")))
    for figure in figures:
        display(Image(figure_png(figure)))


# Reading summaries back


def read_summary(nb: Any) -> dict[str, Any] | None:
    """The summary a report notebook displayed (an nbformat notebook), or None."""
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SUMMARY_MIME in data:
                value = data[SUMMARY_MIME]
                return json.loads(value) if isinstance(value, str) else dict(value)
    return None


# HTML export of executed notebooks

_REPORT_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
body { max-width: 70rem; margin: 0 auto; }
table.followup-table { border-collapse: collapse; margin: 0.5em 0 1em; }
table.followup-table th, table.followup-table td {
  border: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left !important;
  vertical-align: top;
}
table.followup-table th { background: #f3f5f7; }
</style>
{%- endblock extra_css -%}
"""

_exporter: Any = None
_exporter_lock = threading.Lock()


def _html_exporter() -> Any:
    """One HTMLExporter per process: building it loads templates, which is the slow part."""
    global _exporter
    with _exporter_lock:
        if _exporter is None:
            _exporter = _new_exporter()
    return _exporter


def warm_exporter() -> None:
    """Build the exporter and render an empty page, so the first real export is quick.

    Batch runs call this in a thread while a kernel works (the process is idle then).
    """
    from nbformat.v4 import new_notebook

    _html_exporter().from_notebook_node(new_notebook())


def _new_exporter() -> Any:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file="followup_report.html.j2",
        extra_loaders=[DictLoader({"followup_report.html.j2": _REPORT_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def notebook_html(nb: Any, title: str = "") -> str:
    """An executed notebook as a self-contained page: no code, no scripts, images embedded."""
    import copy

    nb = copy.deepcopy(nb)
    for position, cell in enumerate(nb.cells):
        cell.id = f"cell-{position}"  # papermill gives its injected cell a random id
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if SUMMARY_MIME not in o.get("data", {})]
    if title:
        nb.metadata["title"] = title
    body, _ = _html_exporter().from_notebook_node(nb)
    return body


def png_data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


# The index page

_INDEX_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Your interview reports</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem;
  color: #1f2328; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
.overdue, .failed { color: #b42318; font-weight: 600; }
.note { color: #57606a; }
</style>
</head>
<body>
<h1>Your interview reports</h1>
<p class="note">As of {{ now }}. {{ reports|length }} report(s){% if failed %},
<span class="failed">{{ failed|length }} failed</span>{% endif %}.</p>

<h2>Your pipeline</h2>
<p class="{{ 'note' if pipeline.done else 'overdue' }}">{{ pipeline.text }}</p>
<table id="pipeline">
<thead><tr><th>Opportunity</th><th>Status</th><th>Next</th><th>State</th><th>Due</th></tr></thead>
<tbody>
{%- for row in pipeline.rows %}
<tr><td>{{ row.title }}</td><td>{{ row.status }}</td><td>{{ row.next }}</td>
<td class="{{ 'overdue' if row.state == 'overdue' else '' }}">{{ row.state }}</td>
<td>{{ row.due }}</td></tr>
{%- endfor %}
</tbody>
</table>

<h2>How they compare</h2>
<p class="note">{{ comparison.note }}</p>
{{ comparison.table }}

<h2>Reports</h2>
<table id="reports">
<thead><tr><th>Opportunity</th><th>Round</th><th>Held</th><th>Answers</th><th>Thank-yous</th>
<th>Open research</th><th>Next for this round</th><th>Report</th></tr></thead>
<tbody>
{%- for r in reports %}
<tr><td>{{ r.company }}{% if r.role %} · {{ r.role }}{% endif %}</td><td>{{ r.round_name }}</td>
<td>{{ r.held }}</td><td>{{ r.answers }}</td><td>{{ r.thank_yous }}</td>
<td>{{ r.research_open }}</td><td>{{ r.next }}</td>
<td>{% if r.failed %}<span class="failed">failed</span>:
<a href="{{ r.href }}">the failed notebook</a>{% else %}<a class="report" href="{{ r.href }}">open
</a>{% endif %}</td></tr>
{%- endfor %}
</tbody>
</table>
</body>
</html>
"""


def _jinja() -> Any:
    from jinja2 import Environment

    return Environment(autoescape=True, trim_blocks=False)


@dataclass(frozen=True)
class IndexEntry:
    """One report as the index lists it: its summary, where it is, whether it failed."""

    opportunity: str
    round: str
    href: str
    summary: Mapping[str, Any] | None
    failed: bool = False
    round_name: str = ""
    company: str = ""


def index_html(
    entries: Sequence[IndexEntry],
    *,
    now: datetime,
    pipeline: Mapping[str, Any],
    comparison_table: str,
    comparison_note: str,
) -> str:
    """The index page: pipeline, comparison table (pre-escaped HTML) and a link to every report."""
    from markupsafe import Markup

    reports = []
    for entry in entries:
        s = entry.summary or {}
        next_step = s.get("next_step") or {}
        score = s.get("answer_score")
        reports.append(
            {
                "company": s.get("company") or entry.company or entry.opportunity,
                "role": s.get("role", ""),
                "round_name": s.get("round_name") or entry.round_name or entry.round,
                "held": _day(datetime.fromisoformat(s["starts_at"])) if s.get("starts_at") else "",
                "answers": f"{s.get('answers', 0)}"
                + (f" (avg {score:g}/5)" if score is not None else ""),
                "thank_yous": _thank_yous(s),
                "research_open": s.get("research_open", ""),
                "next": (
                    f"{next_step['title']} ({next_step['state']})" if next_step else "nothing open"
                )
                if s
                else "",
                "href": entry.href,
                "failed": entry.failed,
            }
        )
    return (
        _jinja()
        .from_string(_INDEX_TEMPLATE)
        .render(
            now=_moment(now),
            reports=reports,
            failed=[e for e in entries if e.failed],
            pipeline=pipeline,
            comparison={"table": Markup(comparison_table), "note": comparison_note},
        )
    )


def _thank_yous(summary: Mapping[str, Any]) -> str:
    if not summary:
        return ""
    return f"{summary.get('thank_yous_sent', 0)} of {summary.get('thank_yous_total', 0)} sent"


def pipeline_view(overview: Any) -> dict[str, Any]:
    """The workbook's pipeline (rules.Overview) as rows for the index page."""
    rows = []
    for item in overview.checklists:
        first = item.open_steps[0] if item.open_steps else None
        rows.append(
            {
                "title": item.opportunity.title,
                "status": item.opportunity.status.value,
                "next": first.title if first else "nothing to do",
                "state": first.state.value if first else "",
                "due": _moment(first.due) if first and first.due else "",
            }
        )
    step = overview.keep_searching
    return {"rows": rows, "text": f"{step.title}: {step.why}", "done": step.state is State.DONE}


def relative_href(target: Path, base: Path) -> str:
    """A link from a page in `base` to `target`, percent-encoded for a browser."""
    from urllib.parse import quote

    return quote(target.relative_to(base).as_posix())
