"""What one round's report shows, built from the model and the checklist rules.

`RoundReport` turns an opportunity and one of its rounds into tables (pandas), charts (matplotlib)
and a machine-readable summary. The report notebook (`notebooks/report.ipynb`) only calls these.
Every piece of the person's text is HTML-escaped here, so a note containing `<script>` stays text.

Dates, times, numbers and money read as `followup.core.formats` writes them, everywhere. The pages
around the reports (HTML export, the index) are in `followup.reports.pages`, which needs no pandas.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from followup.clock import parse_now, policy_for
from followup.core import formats
from followup.core.errors import NotFound
from followup.core.model import Channel, Interview, Opportunity, SalaryRange, Settings
from followup.offers.tables import offer_body_html, view_of
from followup.reports.pages import SUMMARY_MIME
from followup.steps import Checklist, State, Step, StepKind, checklist, step_type
from followup.storage.workbook import Workbook, resolve_data_dir

#: Bumped when the summary's fields change, so old records are recognised.
SUMMARY_VERSION = 2

ANSWER_SCORES: tuple[str, ...] = ("example_compelling", "key_point_clear")
ANSWER_SCORE_LABELS: dict[str, str] = {
    "example_compelling": "Example compelling",
    "key_point_clear": "Key point clear",
}


def _mean(values: Iterable[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 2) if present else None


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
    #: The workbook's settings: the rates an offer in another currency is compared through.
    settings: Settings | None = None

    @property
    def zone(self) -> Any:
        """The person's zone: every time in the report is shown in it (with the round's own hour
        beside it when that differs), and named once in the heading."""
        return self.checklist.policy.zone or self.interview.zone or self.now.tzinfo

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
            for a in self.interview.debrief.reviewed_answers()
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

    def _drafted(self) -> set[str]:
        """Who of this round has a thank-you drafted and waiting, as `followup drafts` shows."""
        from followup.drafts.compose import drafts_for

        return {
            d.person or d.to_name
            for d in drafts_for(self.opportunity, self.now)
            if d.round == self.interview.key
        }

    def thank_you_frame(self) -> pd.DataFrame:
        """Each interviewer of the round and where their thank-you stands."""
        by_person = {
            s.person: s for s in self._steps(StepKind.THANK_YOU) if s.round == self.interview.key
        }
        drafted = self._drafted()
        rows = []
        for person in self.interview.interviewers:
            step = by_person.get(person.name)
            note = person.thank_you
            if note.sent_at is not None:
                draft = ""
            elif person.name in drafted:
                draft = "ready to send"
            else:
                draft = formats.day(note.drafted_at, self.zone)
            if note.channel is Channel.CARD:
                channel = "card"
            else:
                channel = "email" if person.email else "email (no address yet)"
            rows.append(
                {
                    "Interviewer": person.name,
                    "Title": person.title,
                    "Channel": channel,
                    "Drafted": draft,
                    "Sent": formats.when(note.sent_at, self.zone),
                    "State": step.state.value if step else "not yet due",
                    "Due": formats.deadline(step.due, self.zone) if step and step.due else "",
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
        return pd.DataFrame(
            [
                {"": label, "Amount": formats.money(v, salary.currency, salary.period)}
                for label, v in rows
                if v is not None
            ],
            columns=["", "Amount"],
        )

    def checklist_frame(self) -> pd.DataFrame:
        """The opportunity's checklist in the checklist's own order and numbers (1 thank-you …
        8 don't give up), most urgent first within a step, due dates in the person's zone; each
        step's own words for the report (`StepType.report_line`)."""
        steps = sorted(self.checklist.steps, key=lambda s: s.number)  # stable: urgency kept
        rows = [
            {
                "#": s.number,
                "Step": s.title,
                "State": s.state.value,
                "Due": formats.deadline(s.due, self.zone) if s.due and s.state.open else "",
                "Why": step_type(s.kind).report_line(s, self.zone),
            }
            for s in steps
        ]
        frame = pd.DataFrame(rows, columns=["#", "Step", "State", "Due", "Why"])
        frame["#"] = frame["#"].astype("Int64")
        return frame

    # Sections as escaped HTML, for the notebook to display

    def heading_html(self) -> str:
        """Which round of which opportunity, and when: the first thing a reader needs."""
        o, r = self.opportunity, self.interview
        held = formats.when(r.starts_at, self.zone)
        when = f"held {held}" if r.starts_at and r.starts_at <= self.now else f"on {held}"
        facts = [f"{r.name}, {when}" if held else f"{r.name} (date not recorded)"]
        if r.format and r.format.value.casefold() != r.name.casefold():
            facts.append(r.format.value)
        facts.append(f"status: {o.status.value}")
        facts.append(f"report as of {formats.when(self.now, self.zone)}")
        facts.append(f"times in {formats.zone_label(self.zone, self.now)}")
        return (
            f"<h1>{html.escape(o.title)} · {html.escape(r.name)}</h1>"
            f"<p class='followup-facts'>{html.escape(' · '.join(facts))}</p>"
        )

    def debrief_html(self) -> str:
        debrief = self.interview.debrief
        empty = "No answers reviewed for this round yet: note them in its debrief."
        parts = [table_html(self.answers_frame(), empty=empty)]
        if debrief.overall_rating is not None:
            parts.append(text_html(f"Overall rating: {debrief.overall_rating} out of 5"))
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
        frame = self.thank_you_frame()
        html_table = table_html(frame, empty="No interviewers recorded for this round.")
        if (frame["Drafted"] == "ready to send").any():
            html_table += text_html(
                "The drafts ready to send are on the Follow up page of the app, or printed by "
                f"followup drafts {self.opportunity.id}."
            )
        return html_table

    def reflection_html(self) -> str:
        reflection = self.opportunity.reflection
        frame = self.reflection_frame()
        if frame["Score"].notna().any() or (frame["Note"] != "").any():
            parts = [table_html(frame)]
        else:
            parts = [text_html("Not rated yet: rate people, culture, fit, growth and alignment.")]
        if reflection.what_i_want:
            parts.append(text_html(f"What you want: {reflection.what_i_want}"))
        if reflection.dealbreakers:
            parts.append(text_html("Dealbreakers:"))
            parts.append(list_html(reflection.dealbreakers))
        parts.append("<h3>Salary range</h3>")
        salary = self.opportunity.salary_range
        if salary is None or self.salary_frame().empty:
            parts.append(text_html("No salary range set yet: set one when you reflect on it."))
        else:
            parts.append(table_html(self.salary_frame()))
            parts.append(text_html(salary_position(salary)))
        return "".join(parts)

    def offer_html(self) -> str:
        """The offer, when there is one: its chart, its table by year and the verdict against
        your range, as the Offer page shows them; nothing at all when there is no offer."""
        view = view_of(self.opportunity.id, [self.opportunity], self.settings)
        if view is None:
            return ""
        return (
            "<h2>The offer, year by year</h2>"
            f"{text_html(f'Amounts in {view.valued.currency}, each year from the start date.')}"
            f"{offer_body_html(view)}"
        )

    def checklist_html(self) -> str:
        return table_html(self.checklist_frame(), empty="Nothing on the checklist.")

    # Charts

    def charts(self) -> list[Chart]:
        """The charts that have something to show: answers, reflection, salary (maybe none)."""
        made = (answers_chart(self), reflection_chart(self), salary_chart(self))
        return [c for c in made if c is not None]

    # Summary

    def summary(self) -> dict[str, Any]:
        """The machine-readable record of this report, used to build the index."""
        o, r = self.opportunity, self.interview
        answers = r.debrief.reviewed_answers()
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
                "due_text": formats.deadline(first.due, self.zone),
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


def build(
    opportunity: Opportunity, round_key: str, now: datetime, settings: Settings | None = None
) -> RoundReport:
    """The report of one round (empty `round_key`: the latest round held), its checklist after
    the workbook's settings (how long silence lasts before 'no response' is suggested)."""
    if not opportunity.rounds:
        raise NotFound(f"{opportunity.id}: no rounds recorded yet, so there is nothing to report")
    interview = opportunity.round(round_key) if round_key else _latest_round(opportunity, now)
    steps = checklist(opportunity, now, policy_for(settings, now))
    return RoundReport(opportunity, interview, now, steps, settings)


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
    settings, _ = book.settings_or_defaults()  # `followup validate` and the index name a problem
    return build(opportunity, round, moment, settings)


# Charts (matplotlib, no display: figures are returned for the notebook to show)

#: Chart text in points: readable on screen and on paper.
FONT_SIZE = 10
#: Question labels longer than this are shortened with an ellipsis.
LABEL_LENGTH = 38


@dataclass(frozen=True)
class Chart:
    """A figure with the sentence that describes it (the image's alt text and caption)."""

    figure: Any
    description: str


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    """`text` on one line, cut at a word with an ellipsis when longer than `length`."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] if " " in text[: length - 1] else text[: length - 1]
    return cut.rstrip(",;:.") + "…"


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=96, layout="constrained")


def _style(axes: Any, title: str) -> None:
    axes.set_title(title, fontsize=FONT_SIZE + 1, loc="left")
    axes.tick_params(labelsize=FONT_SIZE)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def answers_chart(report: RoundReport) -> Chart | None:
    """This round's rated answers, one row per question, both ratings side by side (1-5)."""
    rated = [
        a
        for a in report.interview.debrief.answers
        if not a.is_empty() and any(getattr(a, s) is not None for s in ANSWER_SCORES)
    ]
    if not rated:
        return None
    figure = _figure(8, 0.9 + 0.55 * len(rated))
    axes = figure.subplots()
    height = 0.38
    colors = {"example_compelling": "#4c72b0", "key_point_clear": "#dd8452"}
    for offset, score in ((-height / 2, "example_compelling"), (height / 2, "key_point_clear")):
        values = [getattr(a, score) or 0 for a in rated]
        ys = [i + offset for i in range(len(rated))]
        axes.barh(ys, values, height, label=ANSWER_SCORE_LABELS[score], color=colors[score])
    axes.set_yticks(range(len(rated)), [shorten(a.question) for a in rated])
    axes.invert_yaxis()
    axes.set_xlim(0, 5)
    axes.set_xticks(range(6))
    _style(axes, "How your answers landed (1-5)")
    figure.legend(loc="outside lower center", ncol=2, fontsize=FONT_SIZE, frameon=False)
    described = "; ".join(
        f"{shorten(a.question)}: example {a.example_compelling or 'not rated'}, "
        f"key point {a.key_point_clear or 'not rated'}"
        for a in rated
    )
    return Chart(figure, f"Your answers, rated 1 to 5. {described}.")


def reflection_chart(report: RoundReport) -> Chart | None:
    """The opportunity's rated reflection areas (1-5); unrated areas are left out."""
    rated = {
        area: rating.score
        for area, rating in report.opportunity.reflection.ratings().items()
        if rating.score is not None
    }
    if not rated:
        return None
    figure = _figure(8, 0.9 + 0.4 * len(rated))
    axes = figure.subplots()
    labels = [area.replace("_", " ").capitalize() for area in rated]
    axes.barh(labels, list(rated.values()), color="#55a868", height=0.6)
    axes.invert_yaxis()
    axes.set_xlim(0, 5)
    axes.set_xticks(range(6))
    _style(axes, "Your reflection on the opportunity (1-5)")
    described = ", ".join(
        f"{label} {score}" for label, score in zip(labels, rated.values(), strict=True)
    )
    return Chart(figure, f"Your reflection, rated 1 to 5: {described}.")


def salary_chart(report: RoundReport) -> Chart | None:
    """The posted range as a band, with your minimum, target and stretch marked on it."""
    salary = report.opportunity.salary_range
    if salary is None or not salary.is_recorded():
        return None
    figure = _figure(8, 1.9)
    axes = figure.subplots()
    low, high = salary.posted_minimum, salary.posted_maximum
    if low is not None and high is not None:
        axes.axvspan(low, high, color="#dde8f3", label="Posted range")
    marks = []
    for value, label, color in (
        (salary.minimum, "Your minimum", "#c44e52"),
        (salary.target, "Your target", "#55a868"),
        (salary.stretch, "Your stretch", "#8172b2"),
    ):
        if value is not None:
            axes.axvline(value, color=color, linewidth=2.5, label=label)
            marks.append(f"{label.lower()} {formats.money(value, salary.currency)}")
    axes.set_yticks([])
    _style(axes, f"Salary ({salary.currency}, {salary.period.value}ly)")
    axes.xaxis.set_major_formatter(lambda x, _: formats.number(x))
    figure.legend(loc="outside lower center", ncol=4, fontsize=FONT_SIZE, frameon=False)
    posted = "no posted range"
    if low is not None and high is not None:
        posted = f"posted range {formats.money(low, salary.currency)} to "
        posted += formats.money(high, salary.currency)
    return Chart(figure, f"Salary: {posted}; {', '.join(marks)}.")


def figure_png(figure: Any) -> bytes:
    """A figure as PNG bytes (for display without pyplot's global state)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def chart_html(chart: Chart) -> str:
    """A chart as an embedded PNG with its description as alt text and caption."""
    data = base64.b64encode(figure_png(chart.figure)).decode("ascii")
    alt = html.escape(chart.description)
    return (
        f'<figure class="followup-chart"><img src="data:image/png;base64,{data}" alt="{alt}">'
        "</figure>"
    )


def show_charts(report: RoundReport) -> None:
    """Display the report's charts (notebook helper); a line instead when there is nothing."""
    from IPython.display import HTML, display

    charts = report.charts()
    if not charts:
        display(HTML(text_html("Nothing to chart yet: rate your answers or the opportunity.")))
    for chart in charts:
        display(HTML(chart_html(chart)))
