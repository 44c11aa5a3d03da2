"""The pages around the reports: an executed report notebook as HTML, and the index of them all.

Batch runs export each executed notebook to a self-contained page (no code, images embedded,
nothing fetched from the network, a link back to the index, a print stylesheet) and write
`index.html`. None of this needs pandas or matplotlib: the parent process of a batch run never
imports them for the pages.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from followup.compare.tables import TABLE_CSS
from followup.core import formats

#: The MIME type of the summary a report notebook displays; batch runs read it back with nbformat.
SUMMARY_MIME = "application/vnd.followup.reports.round_report+json"
#: Cells with this tag explain the notebook to someone who opens it; the page leaves them out.
NOTEBOOK_ONLY_TAG = "notebook-only"
#: Where a report page links back to (reports live in `<out>/<opportunity>/<round>.html`).
BACK_TO_INDEX = "../index.html"

#: Shared by report pages and the index: one column that fits the window, and prints whole.
PAGE_CSS = (
    """\
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
  max-width: 70rem; margin: 0 auto; padding: 0 1rem; line-height: 1.45; }
"""
    + TABLE_CSS
    + """\
img { max-width: 100%; height: auto; }
.followup-nav { margin: 1rem 0 0; font-size: 0.95rem; }
.followup-facts, .note { color: #57606a; }
.overdue, .failed { color: #b42318; font-weight: 600; }
.calm { color: #1a7f37; }
figure.followup-chart { margin: 0.5em 0 1.5em; }
figure.followup-chart figcaption { color: #57606a; font-size: 0.9rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .followup-nav { display: none; }
  table.followup-table { width: 100%; page-break-inside: auto; }
  table.followup-table tr, figure.followup-chart { break-inside: avoid; page-break-inside: avoid; }
  table.followup-table thead { display: table-header-group; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""
)

_REPORT_TEMPLATE = (
    """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
"""
    + PAGE_CSS
    + """\
.jp-Cell { padding: 0 !important; }
.jp-OutputArea-output { overflow-x: visible !important; }
@media print { .jp-Cell, .jp-OutputArea-output { overflow: visible !important; } }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{%- if resources.followup_back %}
<nav class="followup-nav"><a href="{{ resources.followup_back | e }}">&larr; All your reports</a>
</nav>
{%- endif %}
{%- endblock body_header -%}
"""
)


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


def notebook_html(nb: Any, title: str = "", back: str = "") -> str:
    """An executed notebook as a self-contained page: no code, no scripts, images embedded.

    `back` is the link to the index shown at the top (left out when empty). The result depends
    only on the notebook's content, so the same report gives the same bytes.
    """
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if NOTEBOOK_ONLY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if SUMMARY_MIME not in o.get("data", {})]
        cells.append(cell)
    for position, cell in enumerate(cells):
        cell.id = f"cell-{position}"  # papermill gives its injected cell a random id
    nb.cells = cells
    if title:
        nb.metadata["title"] = title
    body, _ = _html_exporter().from_notebook_node(nb, resources={"followup_back": back})
    return body


# The index page

_INDEX_TEMPLATE = (
    """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Your interview reports</title>
<style>
"""
    + PAGE_CSS
    + """\
</style>
</head>
<body>
<h1>Your interview reports</h1>
<p class="note">As of {{ now }}. {{ count }}{% if failed %},
<span class="failed">{{ failed }} failed</span>{% endif %}.</p>

<h2>Your pipeline</h2>
<p class="{{ 'calm' if pipeline.done else 'overdue' }}">{{ pipeline.text }}</p>
{%- if pipeline.rows %}
<table id="pipeline" class="followup-table">
<thead><tr><th>Opportunity</th><th>Status</th><th>Next step</th><th>State</th><th>Due</th></tr>
</thead>
<tbody>
{%- for row in pipeline.rows %}
<tr><td>{{ row.title }}</td><td>{{ row.status }}</td><td>{{ row.next }}</td>
<td class="{{ 'overdue' if row.state == 'overdue' else '' }}">{{ row.state }}</td>
<td>{{ row.due }}</td></tr>
{%- endfor %}
</tbody>
</table>
{%- endif %}

<h2>How they compare</h2>
{%- if pipeline.rows %}
<p class="note">{{ comparison.note }}</p>
{%- endif %}
{{ comparison.table }}

{%- if prep %}
<h2>Coming up: prep sheets</h2>
<table id="prep" class="followup-table">
<thead><tr><th>Opportunity</th><th>Round</th><th>When</th><th>To improve</th>
<th>Questions you may get</th><th>Prep sheet</th></tr></thead>
<tbody>
{%- for p in prep %}
<tr><td>{{ p.title }}</td><td>{{ p.round_name }}</td><td>{{ p.when }}</td>
<td>{{ p.to_improve }}</td><td>{{ p.likely }}</td>
<td>{% if p.failed %}<span class="failed">failed</span>:
<a href="{{ p.href }}">the failed notebook</a>{% else %}<a class="prep" href="{{ p.href }}">open
</a>{% endif %}</td></tr>
{%- endfor %}
</tbody>
</table>
{%- endif %}

<h2>Reports</h2>
{%- if not reports %}
<p class="followup-empty">No reports yet: record a round (Record an interview in the app),
then run followup report.</p>
{%- else %}
<table id="reports" class="followup-table">
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
{%- endif %}
</body>
</html>
"""
)


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


def _when(text: str | None, *, with_time: bool = False) -> str:
    if not text:
        return ""
    value = datetime.fromisoformat(text)
    return formats.moment(value) if with_time else formats.day(value)


def index_html(
    entries: Sequence[IndexEntry],
    *,
    now: datetime,
    pipeline: Mapping[str, Any],
    comparison_table: str,
    comparison_note: str,
    prep: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The index page: pipeline, comparison table (pre-escaped HTML), the prep sheets of the
    rounds to come (`prep_batch.index_rows`) and a link to every report."""
    from markupsafe import Markup

    reports = []
    for entry in entries:
        s = entry.summary or {}
        next_step = s.get("next_step") or {}
        score = s.get("answer_score")
        answers = formats.plural(int(s.get("answers", 0)), "answer") if s else ""
        if score is not None:
            answers += f", {formats.number(score)} out of 5 on average"
        reports.append(
            {
                "company": s.get("company") or entry.company or entry.opportunity,
                "role": s.get("role", ""),
                "round_name": s.get("round_name") or entry.round_name or entry.round,
                "held": _when(s.get("starts_at")),
                "answers": answers,
                "thank_yous": _thank_yous(s),
                "research_open": formats.plural(int(s["research_open"]), "topic")
                if s.get("research_open") is not None
                else "",
                "next": _next(next_step) if s else "",
                "href": entry.href,
                "failed": entry.failed,
            }
        )
    failed = sum(1 for e in entries if e.failed)
    return (
        _jinja()
        .from_string(_INDEX_TEMPLATE)
        .render(
            now=formats.moment(now),
            count=formats.plural(len(entries) - failed, "report"),
            reports=reports,
            failed=failed,
            pipeline=pipeline,
            comparison={"table": Markup(comparison_table), "note": comparison_note},
            prep=[_prep_row(p) for p in prep],
        )
    )


def _prep_row(row: Mapping[str, Any]) -> dict[str, Any]:
    summary = row.get("summary") or {}
    start = row.get("starts_at")
    return {
        **row,
        "when": formats.moment(start) if start else "",
        "to_improve": formats.plural(int(summary.get("to_improve", 0)), "answer"),
        "likely": formats.plural(int(summary.get("likely", 0)), "question"),
    }


def _next(step: Mapping[str, Any]) -> str:
    if not step:
        return "nothing open"
    due_text = step.get("due_text") or (
        formats.deadline(datetime.fromisoformat(step["due"])) if step.get("due") else ""
    )
    due = f", due {due_text}" if due_text else ""
    return f"{step['title']} ({step['state']}{due})"


def _thank_yous(summary: Mapping[str, Any]) -> str:
    if not summary:
        return ""
    total = int(summary.get("thank_yous_total", 0))
    if not total:
        return "no interviewers recorded"
    return f"{summary.get('thank_yous_sent', 0)} of {total} sent"


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
                "due": formats.deadline(first.due) if first and first.due else "",
            }
        )
    step = overview.keep_searching
    done = not step.state.open
    text = f"On track: {step.why}" if done else f"{step.title}: {step.why}"
    return {"rows": rows, "text": text, "done": done}


def relative_href(target: Path, base: Path) -> str:
    """A link from a page in `base` to `target`, percent-encoded for a browser."""
    from urllib.parse import quote

    return quote(target.relative_to(base).as_posix())
