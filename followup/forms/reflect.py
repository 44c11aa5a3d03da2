"""The reflection form: your own view of the opportunity, and your salary range with live checks."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

import ipywidgets as w

from followup.core import formats
from followup.core.model import REFLECTION_AREAS, Opportunity, Period, Reflection, salary_problems
from followup.forms.editor import AUTOSAVE_SECONDS, Editor
from followup.forms.fields import (
    HINT_COLOUR,
    SCORE_OPTIONS,
    Collector,
    Field,
    choice,
    enum_options,
    lines,
    named,
    number,
    text,
    textarea,
)
from followup.forms.page import (
    esc,
    form_box,
    form_notebook,
    guidance,
    heading,
)
from followup.forms.values import parse_number
from followup.storage.workbook import Stored, Workbook

GUIDE_REFLECTION = (
    "The interview was a chance to judge them too. Rate what you saw, and say why in a few words."
)
GUIDE_SALARY = (
    "Decide your walk-away minimum, your target and your stretch now, before anyone names a number."
)
AREA_LABELS = {
    "people": "People",
    "culture": "Culture",
    "fit": "Fit",
    "growth": "Growth",
    "alignment": "Career alignment",
}
SALARY_NUMBERS = ("minimum", "target", "stretch", "posted_minimum", "posted_maximum")
#: Which number a salary problem is about, by how the core words it ("the minimum (…) is …").
SALARY_SUBJECTS = (
    ("the posted minimum", "posted_minimum"),
    ("the minimum", "minimum"),
    ("the target", "target"),
)


def at_fault(problem: str) -> str:
    """The salary number a problem from `salary_problems` is about."""
    lowered = problem.lower()
    return next((key for prefix, key in SALARY_SUBJECTS if lowered.startswith(prefix)), "minimum")


def _maybe_number(field: Field) -> float | None:
    try:
        return field.read()
    except ValueError:
        return None


def range_checks(
    values: dict[str, float | None], currency: str = ""
) -> tuple[list[str], list[str]]:
    """(problems, remarks) for a salary range being typed: what breaks the order, and where the
    target sits against the employer's posted range."""
    problems = salary_problems(SimpleNamespace(**values))
    remarks: list[str] = []
    lo, mid, hi = values["minimum"], values["target"], values["stretch"]
    pmin, pmax = values["posted_minimum"], values["posted_maximum"]
    unit = f" {currency}" if currency else ""
    if pmin is not None or pmax is not None:
        remarks.append(
            f"Posted range: {formats.number(pmin) or '?'} to {formats.number(pmax) or '?'}{unit}."
        )
        if mid is not None and pmax is not None and mid > pmax:
            remarks.append("Your target is above the posted range: be ready to explain why.")
        elif mid is not None and pmin is not None and mid < pmin:
            remarks.append("Your target is below what they posted: you could aim higher.")
        elif mid is not None:
            remarks.append("Your target sits inside the posted range.")
        if lo is not None and pmax is not None and lo > pmax:
            remarks.append("Even your minimum is above their range: worth raising early.")
    if not problems and None not in (lo, mid, hi):
        remarks.insert(0, "Minimum ≤ target ≤ stretch: in order.")
    return problems, remarks


class ReflectForm(Editor):
    """Ratings and notes for each area, what you want, dealbreakers, and the salary range."""

    title = "Reflect"

    def __init__(
        self,
        workbook: Workbook,
        stored: Stored,
        now: datetime,
        *,
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        super().__init__(workbook, stored, now, autosave_seconds=autosave_seconds)
        self.scores: dict[str, Field] = {}
        self.area_notes: dict[str, Field] = {}
        rows: list[w.Widget] = []
        for area in REFLECTION_AREAS:
            self.scores[area] = choice(AREA_LABELS[area], SCORE_OPTIONS, width="10em")
            self.area_notes[area] = named(
                text("", placeholder="why, in a few words", width="26em"),
                f"Why, for {AREA_LABELS[area].lower()}",
            )
            description = Reflection.model_fields[area].description or ""
            rows.append(
                w.HBox(
                    [
                        self.scores[area].box,
                        self.area_notes[area].box,
                        w.HTML(f"<span style='color:{HINT_COLOUR}'>{esc(description)}</span>"),
                    ],
                    layout=w.Layout(align_items="center"),
                )
            )
            self.watch(self.scores[area], self.area_notes[area])
        self.what_i_want = textarea("What I want", placeholder="From this role, in your words")
        self.dealbreakers = lines("Dealbreakers", placeholder="One per line")
        self.watch(self.what_i_want, self.dealbreakers)

        self.currency = text("Currency", placeholder="e.g. EUR", width="6em")
        self.period = choice("Per", enum_options(Period), empty=None, width="8em")
        self.money = {
            "minimum": number("Walk-away minimum", placeholder="e.g. 58000"),
            "target": number("Target", placeholder="e.g. 64000"),
            "stretch": number("Stretch", placeholder="e.g. 70000"),
            "posted_minimum": number("Posted from", placeholder="e.g. 55000"),
            "posted_maximum": number("Posted up to", placeholder="e.g. 68000"),
        }
        self.salary_notes = textarea("Notes", placeholder="Bonus, equity, benefits…")
        self.watch(self.currency, self.period, *self.money.values(), self.salary_notes)
        self.remarks = w.HTML("")
        self.remarks.add_class("followup-salary-analysis")

        yours = w.VBox(
            [
                w.HTML("<b>Your range</b>"),
                self.money["minimum"].box,
                self.money["target"].box,
                self.money["stretch"].box,
            ]
        )
        theirs = w.VBox(
            [
                w.HTML("<b>The employer's posted range</b>"),
                self.money["posted_minimum"].box,
                self.money["posted_maximum"].box,
                self.remarks,
            ],
            layout=w.Layout(margin="0 0 0 2em"),
        )
        self.tabs = w.Tab(
            children=[
                w.VBox(
                    [guidance(GUIDE_REFLECTION), *rows, self.what_i_want.box, self.dealbreakers.box]
                ),
                w.VBox(
                    [
                        guidance(GUIDE_SALARY),
                        w.HBox([self.currency.box, self.period.box]),
                        w.HBox([yours, theirs]),
                        self.salary_notes.box,
                    ]
                ),
            ],
            titles=("Reflection", "Salary range"),
        )
        self.widget = form_box(
            [heading(f"Reflect · {stored.opportunity.title}"), self.tabs, self.save_bar]
        )
        self.load(stored.opportunity)

    def fill(self, opportunity: Opportunity) -> None:
        reflection = opportunity.reflection
        for area, rating in reflection.ratings().items():
            self.scores[area].write(rating.score)
            self.area_notes[area].write(rating.note)
        self.what_i_want.write(reflection.what_i_want)
        self.dealbreakers.write(reflection.dealbreakers)
        salary = opportunity.salary_range
        self.currency.write(salary.currency if salary else "")
        self.period.write(salary.period if salary else Period.YEAR)
        for key, field in self.money.items():
            field.write(getattr(salary, key) if salary else None)
        self.salary_notes.write(salary.notes if salary else "")

    def salary_touched(self) -> bool:
        return bool(
            self.currency.widget.value.strip()
            or self.salary_notes.widget.value.strip()
            or any(f.widget.value.strip() for f in self.money.values())
        )

    def collect(self, data: dict[str, Any], collector: Collector) -> None:
        for area in REFLECTION_AREAS:
            collector.put(data, ("reflection", area, "score"), self.scores[area])
            collector.put(data, ("reflection", area, "note"), self.area_notes[area])
        collector.put(data, ("reflection", "what_i_want"), self.what_i_want)
        collector.put(data, ("reflection", "dealbreakers"), self.dealbreakers)
        if not self.salary_touched():
            data["salary_range"] = None
            return
        salary = data.get("salary_range") or {}
        data["salary_range"] = salary
        collector.put(data, ("salary_range", "currency"), self.currency)
        collector.put(data, ("salary_range", "period"), self.period)
        for key, field in self.money.items():
            collector.put(data, ("salary_range", key), field)
        collector.put(data, ("salary_range", "notes"), self.salary_notes)
        values = {key: field.peek() for key, field in self.money.items()}
        problems, _ = range_checks(values)
        fault = at_fault(problems[0]) if problems else "minimum"
        collector.fields[("salary_range",)] = self.money[fault]

    def after_change(self) -> None:
        """The live checks: each problem beside the number at fault; the comparison with the
        posted range only while every number is valid."""
        values: dict[str, float | None] = {}
        found: dict[str, list[str]] = {key: [] for key in self.money}
        for key, field in self.money.items():
            try:
                values[key] = parse_number(field.widget.value)
            except ValueError as exc:
                values[key] = None
                found[key].append(str(exc))
        problems, remarks = range_checks(values, self.currency.widget.value.strip().upper())
        for problem in problems:
            found[at_fault(problem)].append(problem)
        for key, field in self.money.items():
            if found[key]:
                field.show_error("; ".join(found[key]))
            elif field not in self.bad:
                field.clear_error()
        valid = not any(found.values())
        shown = remarks if valid else []
        self.remarks.value = "".join(f"<div style='color:#1b5e20'>{esc(r)}</div>" for r in shown)

    def section(self, opportunity: Opportunity) -> Any:
        return opportunity.salary_range or opportunity.reflection


def summary_html(opportunity: Opportunity) -> str:
    """A read-only view of the reflection and salary range, for headless runs."""
    reflection = opportunity.reflection
    rows = "".join(
        f"<tr><td>{AREA_LABELS[area]}</td><td>{rating.score or '—'}</td>"
        f"<td>{esc(rating.note)}</td></tr>"
        for area, rating in reflection.ratings().items()
    )
    parts = [
        f"<h3>Reflect · {esc(opportunity.title)}</h3>",
        f"<table><tr><th>Area</th><th>Score</th><th>Note</th></tr>{rows}</table>",
    ]
    if reflection.what_i_want:
        parts.append(f"<p><b>What I want:</b> {esc(reflection.what_i_want)}</p>")
    if reflection.dealbreakers:
        parts.append(
            "<p><b>Dealbreakers:</b> " + ", ".join(esc(d) for d in reflection.dealbreakers) + "</p>"
        )
    salary = opportunity.salary_range
    if salary is None:
        parts.append("<p><i>No salary range yet.</i></p>")
    else:
        values = {k: getattr(salary, k) for k in SALARY_NUMBERS}
        _, remarks = range_checks(values, salary.currency)
        parts.append(
            f"<p><b>Salary range</b> ({esc(salary.currency)} per {salary.period.value}): "
            f"minimum {formats.number(salary.minimum) or '—'}, "
            f"target {formats.number(salary.target) or '—'}, "
            f"stretch {formats.number(salary.stretch) or '—'}. {esc(' '.join(remarks))}</p>"
        )
    return "\n".join(parts)


def notebook(
    data_dir: str = "",
    opportunity_id: str = "",
    now: str = "",
    *,
    interactive: bool = True,
    autosave_seconds: float | None = AUTOSAVE_SECONDS,
) -> Any:
    """What 03_reflect.ipynb shows: the form, or a read-only summary when headless."""
    return form_notebook(
        data_dir,
        opportunity_id,
        now,
        key="reflect",
        make_form=ReflectForm,
        summary=lambda o, moment, book: summary_html(o),
        interactive=interactive,
        autosave_seconds=autosave_seconds,
    )
