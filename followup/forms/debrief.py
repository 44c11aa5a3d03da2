"""The debrief form: how each answer landed, the overall feeling, research for the next round."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import ipywidgets as w

from followup.clock import policy_for
from followup.core import formats
from followup.core.errors import NotFound
from followup.core.model import Interview, Interviewer, Opportunity, QuestionKind, Reaction
from followup.forms.editor import AUTOSAVE_SECONDS, Editor
from followup.forms.fields import (
    Collector,
    Field,
    checkbox,
    choice,
    enum_options,
    score,
    text,
    textarea,
)
from followup.forms.links import mention
from followup.forms.page import (
    Page,
    esc,
    form_box,
    guarded,
    guidance,
    heading,
    notebook_now,
    open_workbook,
    summaries,
)
from followup.forms.rows import RowList
from followup.steps import debrief_due
from followup.storage.workbook import Stored, Workbook

GUIDE_ANSWERS = (
    "While it is fresh: each question, what you said, how it landed, and what you would sharpen."
)
GUIDE_OVERALL = "A line on how it felt overall helps you compare rounds later."
GUIDE_RESEARCH = "Anything you could not answer well, or want to know before the next round."


def pick_round(opportunity: Opportunity, key: str, now: datetime, *, strict: bool) -> Interview:
    """The round named by `key`; else the latest round that has started, else the last one."""
    if key:
        try:
            return opportunity.round(key)
        except NotFound:
            if strict:
                raise
    started = [r for r in opportunity.rounds if r.starts_at is not None and r.starts_at <= now]
    if started:
        return max(started, key=lambda r: r.starts_at)
    return opportunity.rounds[-1]


def round_label(interview: Interview) -> str:
    when = f" · {formats.day(interview.starts_at, interview.zone)}" if interview.starts_at else ""
    return f"{interview.name}{when}"


ONE_TO_FIVE = [(f"{n}", n) for n in range(1, 6)]


def _asked_by(names: Sequence[str]) -> Field:
    """Who asked the question: one of the round's interviewers (a first name finds its person),
    stored by their full name, so their thank-you note can recall it."""
    widget = w.Combobox(
        options=list(names),
        ensure_option=False,
        placeholder="Pick or type a name",
        layout=w.Layout(width="18em"),
    )
    people = Interview(name="people", interviewers=[Interviewer(name=n) for n in names])

    def to_model(text: str) -> str:
        if not text.strip():
            return ""
        person = people.interviewer_named(text)
        if person is not None:
            return person.name
        if not names:
            raise ValueError("record who you met in this round first (on the Interview page)")
        raise ValueError(f"expected one of this round's interviewers: {', '.join(names)}")

    return Field(
        widget,
        "Asked by",
        to_model=to_model,
        from_model=lambda v: v or "",
        hint="their thank-you note can recall the question",
    )


def _answer_fields(names: Sequence[str] = ()) -> dict[str, Field]:
    return {
        "question": textarea("Question", placeholder="What did they ask?"),
        "kind": choice(
            "Kind of question",
            enum_options(QuestionKind),
            empty="— guess from its words",
            hint="for the question bank and your prep sheets",
        ),
        "asked_by": _asked_by(names),
        "my_answer": textarea("What I said", placeholder="Your answer, in a line or two"),
        "reaction": choice("Their reaction", enum_options(Reaction)),
        "reaction_note": text("What you noticed", placeholder="e.g. nodded, took notes"),
        "example_compelling": choice(
            "Example compelling?", ONE_TO_FIVE, width="6em", hint="1 = not at all · 5 = fully"
        ),
        "key_point_clear": choice(
            "Key point clear?", ONE_TO_FIVE, width="6em", hint="1 = lost · 5 = crystal clear"
        ),
        "improve": textarea("To improve", placeholder="What you would do better next time"),
    }


def _answer_layout(fields: dict[str, Field]) -> list[w.Widget]:
    return [
        fields["question"].box,
        fields["kind"].box,
        fields["asked_by"].box,
        fields["my_answer"].box,
        fields["reaction"].box,
        fields["reaction_note"].box,
        fields["example_compelling"].box,
        fields["key_point_clear"].box,
        fields["improve"].box,
    ]


def _topic_fields() -> dict[str, Field]:
    return {
        "topic": text("Topic", placeholder="e.g. how their data team is organised", width="30em"),
        "done": checkbox("Done"),
    }


def _topic_layout(fields: dict[str, Field]) -> list[w.Widget]:
    return [w.HBox([fields["topic"].box, fields["done"].box])]


def _has_answer(item: dict[str, Any]) -> bool:
    """A row counts once anything is written or chosen in it (blank rows are not saved)."""
    return any(str(v).strip() for v in item.values() if v is not None)


class DebriefForm(Editor):
    """The debrief of one round, with the round chosen from a dropdown."""

    title = "Debrief"

    def _zone(self) -> Any:
        """The person's zone, in which the page shows a time (with the hour there beside it)."""
        return policy_for(self.workbook.settings_or_defaults()[0], self.now).zone

    def __init__(
        self,
        workbook: Workbook,
        stored: Stored,
        now: datetime,
        *,
        round: str = "",
        strict: bool = True,
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        super().__init__(workbook, stored, now, autosave_seconds=autosave_seconds)
        opportunity = stored.opportunity
        if not opportunity.rounds:
            self.round_key = ""
            self.widget = w.HTML(
                "<div style='background:#fff8e1;color:#8a5300;padding:8px 12px;"
                f"border-radius:4px'>{esc(opportunity.title)} has no rounds yet: add one on "
                f"{mention('interview', opportunity.id)}.</div>"
            )
            return
        self.round_key = pick_round(opportunity, round, now, strict=strict).key
        self.round_picker = w.Dropdown(
            description="Round",
            options=[(round_label(r), r.key) for r in opportunity.rounds],
            value=self.round_key,
            layout=w.Layout(width="30em"),
        )
        self.round_picker.observe(self._round_picked, names="value")
        self.due = w.HTML("")
        self.answers = RowList(
            self,
            lambda: _answer_fields(self._interviewer_names()),
            add_label="Add a question",
            layout=_answer_layout,
            empty_note="No questions yet: add the ones you remember.",
        )
        self.feeling = textarea("Overall feeling", placeholder="How did it go, honestly?")
        self.rating = score("Overall rating")
        self.research = RowList(
            self,
            _topic_fields,
            add_label="Add a topic",
            layout=_topic_layout,
            empty_note="No topics yet.",
        )
        self.earlier = w.HTML("")
        self.notes = textarea("Notes", rows=3)
        self.watch(self.feeling, self.rating, self.notes)
        self.tabs = w.Tab(
            children=[
                w.VBox([guidance(GUIDE_ANSWERS), self.answers.widget]),
                w.VBox(
                    [guidance(GUIDE_OVERALL), self.feeling.box, self.rating.box, self.notes.box]
                ),
                w.VBox([guidance(GUIDE_RESEARCH), self.earlier, self.research.widget]),
            ],
            titles=("Answers", "Overall", "Research"),
        )
        self.widget = form_box(
            [
                heading(f"Debrief · {opportunity.title}"),
                self.round_picker,
                self.due,
                self.tabs,
                self.save_bar,
            ]
        )
        self.load(opportunity)

    @property
    def index(self) -> int:
        return next(i for i, r in enumerate(self.opportunity.rounds) if r.key == self.round_key)

    @property
    def interview(self) -> Interview:
        return self.opportunity.rounds[self.index]

    def _interviewer_names(self) -> list[str]:
        stored = getattr(self, "stored", None)
        if stored is None or not self.round_key:
            return []
        try:
            return [p.name for p in self.opportunity.round(self.round_key).interviewers]
        except NotFound:
            return []

    def fill(self, opportunity: Opportunity) -> None:
        if opportunity.rounds and self.round_key not in [r.key for r in opportunity.rounds]:
            # The round was renamed or removed elsewhere: show the one the form would pick.
            self.round_key = pick_round(opportunity, "", self.now, strict=False).key
        options = [(round_label(r), r.key) for r in opportunity.rounds]
        if list(self.round_picker.options) != options:
            self.round_picker.unobserve(self._round_picked, names="value")
            self.round_picker.options = options
            self.round_picker.value = self.round_key
            self.round_picker.observe(self._round_picked, names="value")
        interview = opportunity.round(self.round_key)
        debrief = interview.debrief
        self.answers.write(debrief.answers)
        self.feeling.write(debrief.overall_feeling)
        self.rating.write(debrief.overall_rating)
        self.research.write(debrief.research)
        self.notes.write(debrief.notes)
        self.earlier.value = _earlier_topics(opportunity, interview)
        due = debrief_due(interview)
        self.due.value = (
            f"<span style='color:#555'>Best written by {formats.when(due, self._zone())}.</span>"
            if due and not debrief.is_recorded()
            else ""
        )

    def collect(self, data: dict[str, Any], collector: Collector) -> None:
        base = ("rounds", self.index, "debrief")
        self.answers.collect(data, (*base, "answers"), collector, keep=_has_answer)
        collector.put(data, (*base, "overall_feeling"), self.feeling)
        collector.put(data, (*base, "overall_rating"), self.rating)
        self.research.collect(
            data, (*base, "research"), collector, keep=lambda t: bool(str(t.get("topic", "")))
        )
        collector.put(data, (*base, "notes"), self.notes)

    def section(self, opportunity: Opportunity) -> Any:
        return opportunity.round(self.round_key).debrief

    def _round_picked(self, change: Any) -> None:
        self.flush()
        self.forget_unsaved()
        self.round_key = change["new"]
        self.load(self.opportunity)


def _earlier_topics(opportunity: Opportunity, interview: Interview) -> str:
    lines = []
    for earlier in opportunity.rounds:
        if earlier.key == interview.key:
            break
        for topic in earlier.debrief.open_topics():
            lines.append(f"<li>{esc(topic.topic)} <i>(from {esc(earlier.name)})</i></li>")
    if not lines:
        return ""
    return (
        "<div><b>Still open from earlier rounds</b><ul style='margin:2px 0'>"
        + "".join(lines)
        + "</ul></div>"
    )


def summary_html(opportunity: Opportunity, round_key: str = "") -> str:
    """A read-only view of the debriefs (one round, or all), for headless runs."""
    rounds = [opportunity.round(round_key)] if round_key else opportunity.rounds
    parts = [f"<h3>Debrief · {esc(opportunity.title)}</h3>"]
    if not rounds:
        parts.append("<p>No rounds recorded yet.</p>")
    for interview in rounds:
        debrief = interview.debrief
        parts.append(f"<h4>{esc(round_label(interview))}</h4>")
        if not debrief.is_recorded() and not debrief.research:
            parts.append("<p><i>Not written yet.</i></p>")
            continue
        if debrief.answers:
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td>{esc(v)}</td>"
                    for v in (
                        a.question,
                        a.my_answer,
                        a.reaction.value if a.reaction else "",
                        a.example_compelling or "",
                        a.key_point_clear or "",
                        a.improve,
                    )
                )
                + "</tr>"
                for a in debrief.answers
            )
            parts.append(
                "<table><tr><th>Question</th><th>What I said</th><th>Reaction</th>"
                "<th>Example</th><th>Clear</th><th>To improve</th></tr>" + rows + "</table>"
            )
        if debrief.overall_feeling or debrief.overall_rating:
            rating = f" ({debrief.overall_rating}/5)" if debrief.overall_rating else ""
            parts.append(f"<p><b>Overall:</b> {esc(debrief.overall_feeling)}{rating}</p>")
        if debrief.research:
            items = "".join(
                f"<li>{'✓ ' if t.done else ''}{esc(t.topic)}</li>" for t in debrief.research
            )
            parts.append(f"<p><b>Research</b></p><ul>{items}</ul>")
        if debrief.notes:
            parts.append(f"<p><b>Notes:</b> {html.escape(debrief.notes)}</p>")
    return "\n".join(parts)


def notebook(
    data_dir: str = "",
    opportunity_id: str = "",
    round: str = "",
    now: str = "",
    *,
    interactive: bool = True,
    autosave_seconds: float | None = AUTOSAVE_SECONDS,
) -> Any:
    """What 02_debrief.ipynb shows: the form, or a read-only summary when headless."""

    def build() -> Any:
        book = open_workbook(data_dir)
        moment = notebook_now(now)
        if not interactive:
            key = round if opportunity_id else ""
            return summaries(book, opportunity_id, lambda o: summary_html(o, key))
        return Page(
            book,
            lambda stored: DebriefForm(
                book,
                stored,
                moment,
                round=round,
                strict=bool(opportunity_id),
                autosave_seconds=autosave_seconds,
            ),
            opportunity_id=opportunity_id,
            key="debrief",
        )

    return guarded(interactive, build)
