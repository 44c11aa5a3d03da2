"""The interview form: create or pick an opportunity, then record a round and the people met."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from followup.core import formats
from followup.core.errors import FollowupError
from followup.core.model import Format, Interview, Opportunity, Source, slugify
from followup.forms.editor import AUTOSAVE_SECONDS, Editor, explain
from followup.forms.fields import (
    Collector,
    Field,
    Loc,
    checkbox,
    choice,
    clock,
    day,
    enum_options,
    link,
    optional_text,
    text,
    textarea,
    whole,
    zone,
)
from followup.forms.invite_drop import InviteDrop
from followup.forms.page import (
    Address,
    Confirm,
    Page,
    esc,
    form_box,
    guarded,
    guidance,
    heading,
    message_box,
    notebook_now,
    open_workbook,
    remember,
    remembered,
    status_html,
    summaries,
)
from followup.forms.rows import RowList
from followup.forms.trash import TrashShelf
from followup.forms.values import combine_local, local_zone_name, utc_offset, zone_in
from followup.steps import thank_you_due
from followup.storage.workbook import Stored, Workbook

NEW = "__new__"
NEW_ROUND = -1

GUIDE_OPPORTUNITY = "The role, and the recruiter who is your contact for news."
GUIDE_ROUND = "When it takes place (or took place), in its own time zone: the reminders follow it."
GUIDE_PEOPLE = (
    "Everyone you met. Ask for a card or an email address, and jot down something personal "
    "from the talk: it makes the thank-you note yours."
)
GUIDE_NEXT = (
    "What the recruiter said happens next, and by when. If nothing was said, tick the box: "
    "your thank-you note will ask."
)


def _interviewer_fields() -> dict[str, Field]:
    return {
        "name": text("Name", placeholder="As they write it"),
        "title": text("Title", placeholder="e.g. Head of Analytics"),
        "email": optional_text("Email", placeholder="name@company.com"),
        "linkedin": optional_text("LinkedIn", placeholder="https://www.linkedin.com/in/…"),
        "card_collected": checkbox("Card collected"),
        "personal_note": text(
            "Something personal",
            placeholder="e.g. your team's move to dbt",
            hint="The note reads “I'm still thinking about …”: name the topic you shared.",
            width="30em",
        ),
    }


def _people_round_html(round_text: str) -> str:
    return (
        f"<span style='color:#555'>The people you met in <b>{esc(round_text)}</b> "
        "(pick another round on the Round tab).</span>"
    )


def _has_person(item: dict[str, Any]) -> bool:
    keys = ("name", "title", "email", "linkedin", "personal_note")
    return bool(any(str(item.get(k) or "").strip() for k in keys) or item.get("card_collected"))


def _round_options(opportunity: Opportunity) -> list[tuple[str, int]]:
    options = []
    for index, interview in enumerate(opportunity.rounds):
        when = (
            f" · {formats.day(interview.starts_at, interview.zone)}" if interview.starts_at else ""
        )
        options.append((f"{interview.name}{when}", index))
    options.append(("+ Add a new round…", NEW_ROUND))
    return options


def _pick_round_index(opportunity: Opportunity, key: str, now: datetime) -> int:
    if key:
        for index, interview in enumerate(opportunity.rounds):
            if key in (interview.key, interview.name, str(index + 1)):
                return index
        return NEW_ROUND
    if not opportunity.rounds:
        return NEW_ROUND
    started = [
        i
        for i, r in enumerate(opportunity.rounds)
        if r.starts_at is not None and r.starts_at <= now
    ]
    return started[-1] if started else len(opportunity.rounds) - 1


class InterviewForm(Editor):
    """The opportunity's details, one round (existing or new), its interviewers, and next steps."""

    title = "Interview"

    def __init__(
        self,
        workbook: Workbook,
        stored: Stored,
        now: datetime,
        *,
        round: str = "",
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        super().__init__(workbook, stored, now, autosave_seconds=autosave_seconds)
        opportunity = stored.opportunity
        self.new_round_name = round if _pick_round_index(opportunity, round, now) < 0 else ""
        self.round_index = _pick_round_index(opportunity, round, now)

        self.company = text("Company")
        self.role = text("Role")
        self.location = text("Location", placeholder="City, or remote")
        self.link = link("Job posting")
        self.applied_on, self.source = _application_fields()
        self.recruiter = {
            "name": text("Recruiter", placeholder="Their name"),
            "title": text("Their title"),
            "email": optional_text("Their email", placeholder="name@company.com"),
            "phone": text("Their phone"),
        }
        self.watch(self.company, self.role, self.location, self.link, self.applied_on, self.source)
        self.watch(*self.recruiter.values())

        self.round_picker = w.Dropdown(
            description="Round",
            options=_round_options(opportunity),
            value=self.round_index,
            layout=w.Layout(width="30em"),
        )
        self.round_picker.observe(self._round_picked, names="value")
        self.round_name = text("Name of the round", placeholder="Phone screen, Round 2, Onsite…")
        self.day = day("Day")
        self.clock = clock("Starting at")
        self.zone = zone("Time zone", self._default_zone(), at=now)
        self.duration = whole("Minutes", 1, 24 * 60)
        self.format = choice("Format", enum_options(Format))
        self.when_note = w.HTML("")
        #: Which round the People tab lists (the round is picked on the Round tab).
        self.people_round = w.HTML("")
        self.remove_round = Confirm(
            "Remove this round", self._remove_round_question, self.delete_round
        )
        self.trash = Confirm(
            "Move this opportunity to the trash",
            self._trash_question,
            self.move_to_trash,
            yes="Yes, move it to the trash",
        )
        #: Called with the opportunity's id once it is in the trash (the page updates its picker).
        self.on_trashed: Callable[[str], Any] | None = None
        #: Called with the opportunity once it is back from the trash (the page shows it again).
        self.on_restored: Callable[[Stored], Any] | None = None
        #: Once moved to the trash: the opportunity there, with Bring it back.
        self.trash_shelf: TrashShelf | None = None
        self.watch(self.round_name, self.day, self.clock, self.zone, self.duration, self.format)
        self.interviewers = RowList(
            self,
            _interviewer_fields,
            add_label="Add an interviewer",
            empty_note="Nobody yet: add each person you met.",
        )
        self.nothing_said = checkbox("Nothing was said about next steps")
        self.next_step = text("What happens next", placeholder="e.g. a decision on round 2")
        self.decision_by = day("News expected by")
        self.timeline_notes = textarea("Notes")
        self.watch(self.nothing_said, self.next_step, self.decision_by, self.timeline_notes)

        self.tabs = w.Tab(
            children=[
                w.VBox(
                    [
                        guidance(GUIDE_OPPORTUNITY),
                        self.company.box,
                        self.role.box,
                        self.location.box,
                        self.link.box,
                        self.applied_on.box,
                        self.source.box,
                        *(f.box for f in self.recruiter.values()),
                    ]
                ),
                w.VBox(
                    [
                        guidance(GUIDE_ROUND),
                        self.round_picker,
                        self.round_name.box,
                        self.day.box,
                        self.clock.box,
                        self.zone.box,
                        w.HBox([self.duration.box, self.format.box]),
                        self.when_note,
                        self.remove_round.widget,
                    ]
                ),
                w.VBox([guidance(GUIDE_PEOPLE), self.people_round, self.interviewers.widget]),
                w.VBox(
                    [
                        guidance(GUIDE_NEXT),
                        self.nothing_said.box,
                        self.next_step.box,
                        self.decision_by.box,
                        self.timeline_notes.box,
                    ]
                ),
            ],
            titles=("Opportunity", "Round", "People", "Next steps"),
            selected_index=1,
        )
        self.widget = form_box(
            # The trash comes after Save: Tab from the last field reaches Save first.
            [
                heading(f"Interview · {opportunity.title}"),
                self.tabs,
                self.save_bar,
                self.trash.widget,
            ]
        )
        self.load(opportunity)
        self._show_round_actions()

    def _default_zone(self) -> str:
        """The zone of the latest round that has one, else the zone the Location names
        ('Paris, hybrid'), else this machine's."""
        dated = [r for r in self.opportunity.rounds if r.timezone]
        if dated:
            return dated[-1].timezone
        return zone_in(self.opportunity.location) or local_zone_name()

    @property
    def interview(self) -> Interview | None:
        if self.round_index < 0:
            return None
        return self.opportunity.rounds[self.round_index]

    def fill(self, opportunity: Opportunity) -> None:
        self.company.write(opportunity.company)
        self.role.write(opportunity.role)
        self.location.write(opportunity.location)
        self.link.write(opportunity.link)
        self.applied_on.write(opportunity.applied_on)
        self.source.write(opportunity.source)
        recruiter = opportunity.recruiter
        for key, field in self.recruiter.items():
            field.write(getattr(recruiter, key) if recruiter else None)
        self.fill_round(opportunity)
        timeline = opportunity.timeline
        self.nothing_said.write(timeline is not None and not timeline.given)
        self.next_step.write(timeline.next_step if timeline else "")
        self.decision_by.write(timeline.decision_by if timeline else None)
        self.timeline_notes.write(timeline.notes if timeline else "")

    def fill_round(self, opportunity: Opportunity) -> None:
        if self.round_index >= len(opportunity.rounds):  # removed elsewhere
            self.round_index = len(opportunity.rounds) - 1 if opportunity.rounds else NEW_ROUND
        interview = opportunity.rounds[self.round_index] if self.round_index >= 0 else None
        if interview is None:
            self.round_name.write(self.new_round_name)
            self.day.write(None)
            self.clock.write(None)
            self.zone.write(self._default_zone())
            self.duration.write(60)
            self.format.write(None)
            self.interviewers.write([])
            self.people_round.value = _people_round_html("the new round")
            return
        held_on = formats.day(interview.starts_at, interview.zone)
        self.people_round.value = _people_round_html(
            f"{interview.name}, {held_on}" if held_on else interview.name
        )
        self.round_name.write(interview.name)
        start = interview.starts_at
        local = start.astimezone(interview.zone) if start and interview.zone else start
        self.day.write(local.date() if local else None)
        self.clock.write(local.time().replace(tzinfo=None) if local else None)
        self.zone.write(interview.timezone or self._default_zone())
        self.duration.write(interview.duration_minutes)
        self.format.write(interview.format)
        self.interviewers.write(interview.interviewers)

    def _round_dict(self, data: dict[str, Any], collector: Collector) -> tuple[int, bool]:
        """The index of the edited round in data['rounds'] (appending a new one when started)."""
        rounds = data["rounds"]
        if self.round_index >= 0:
            return self.round_index, True
        started = bool(
            self.round_name.widget.value.strip()
            or self.day.widget.value
            or self.clock.widget.value
            or self.format.widget.value
            or any(
                _has_person({k: f.widget.value for k, f in row.items()})
                for row in self.interviewers.rows
            )
        )
        if not started:
            return len(rounds), False
        rounds.append({})
        return len(rounds) - 1, True

    def collect(self, data: dict[str, Any], collector: Collector) -> None:
        collector.put(data, ("company",), self.company)
        collector.put(data, ("role",), self.role)
        collector.put(data, ("location",), self.location)
        collector.put(data, ("link",), self.link)
        collector.put(data, ("applied_on",), self.applied_on)
        collector.put(data, ("source",), self.source)
        recruiter = dict(data.get("recruiter") or {})
        values = {k: f.widget.value for k, f in self.recruiter.items()}
        if recruiter or any(str(v).strip() for v in values.values()):
            data["recruiter"] = recruiter
            for key, field in self.recruiter.items():
                collector.put(data, ("recruiter", key), field)

        index, present = self._round_dict(data, collector)
        if present:
            base = ("rounds", index)
            collector.put(data, (*base, "name"), self.round_name)
            collector.put(data, (*base, "timezone"), self.zone)
            collector.put(data, (*base, "duration_minutes"), self.duration)
            collector.put(data, (*base, "format"), self.format)
            self._collect_start(data["rounds"][index], base, collector)
            self.interviewers.collect(data, (*base, "interviewers"), collector, keep=_has_person)

        timeline = dict(data.get("timeline") or {})
        touched = bool(
            self.nothing_said.widget.value
            or self.next_step.widget.value.strip()
            or self.decision_by.widget.value
            or self.timeline_notes.widget.value.strip()
        )
        if self.nothing_said.widget.value and self.decision_by.widget.value.strip():
            collector.problems.append(
                (self.decision_by, "a date means something was said: untick the box above")
            )
        if timeline or touched:
            data["timeline"] = timeline
            timeline["given"] = not self.nothing_said.widget.value
            collector.fields[("timeline", "given")] = self.nothing_said
            collector.fields[("timeline",)] = self.decision_by
            collector.put(data, ("timeline", "next_step"), self.next_step)
            collector.put(data, ("timeline", "decision_by"), self.decision_by)
            collector.put(data, ("timeline", "notes"), self.timeline_notes)

    def _collect_start(self, interview: dict[str, Any], base: Loc, collector: Collector) -> None:
        """The round's start from its day, time and zone; while one of them cannot be read,
        the stored start is kept and the field is marked."""
        collector.fields[(*base, "starts_at")] = self.day
        values = {}
        for key, field in (("day", self.day), ("clock", self.clock), ("zone", self.zone)):
            try:
                values[key] = field.read()
            except ValueError as exc:
                collector.problems.append((field, str(exc)))
        if len(values) < 3:
            collector.kept.update((self.day, self.clock, self.zone))
            return
        if values["clock"] is not None and values["day"] is None:
            collector.problems.append((self.day, "add the day as well as the time"))
            collector.kept.add(self.clock)
            return
        start = combine_local(values["day"], values["clock"], values["zone"] or "UTC")
        interview["starts_at"] = start

    def after_change(self) -> None:
        zone_name = self.zone.peek()
        unread = [
            f.widget.value.strip()
            for f in (self.day, self.clock)
            if f.widget.value.strip() and f.peek() is None
        ]
        if unread:
            # Half-typed ('14:'): show what is stored, not a guess at what is meant.
            stored = self.interview.starts_at if self.interview is not None else None
            kept = f"Stored: {formats.moment(stored)}." if stored else "Nothing stored yet."
            self.when_note.value = (
                f"<span style='color:#8a5300'>Not saved yet: {html.escape(unread[0])!r} is not "
                f"complete. {kept}</span>"
            )
            return
        start = combine_local(self.day.peek(), self.clock.peek(), zone_name or "UTC")
        if start is None or zone_name is None:
            self.when_note.value = ""
            return
        probe = Interview(
            name="probe",
            starts_at=start,
            timezone=zone_name,
            duration_minutes=self.duration.peek() or 60,
        )
        due = thank_you_due(probe)
        self.when_note.value = (
            f"<span style='color:#555'>Starts {formats.moment(start)} "
            f"({utc_offset(start)}); thank-you notes due by {formats.moment(due)}.</span>"
        )

    def settle(self) -> None:
        if (
            self.round_index < 0
            and len(self.opportunity.rounds) > len(self.round_picker.options) - 1
        ):
            self.round_index = len(self.opportunity.rounds) - 1

    def after_save(self) -> None:
        self.settle()
        self.round_picker.unobserve(self._round_picked, names="value")
        self.round_picker.options = _round_options(self.opportunity)
        self.round_picker.value = self.round_index
        self.round_picker.observe(self._round_picked, names="value")
        self._show_round_actions()

    def section(self, opportunity: Opportunity) -> Any:
        if 0 <= self.round_index < len(opportunity.rounds):
            return opportunity.rounds[self.round_index]
        return opportunity

    def _show_round_actions(self) -> None:
        self.remove_round.widget.layout.display = None if self.round_index >= 0 else "none"

    def _remove_round_question(self) -> str:
        interview = self.interview
        if interview is None:
            return ""
        parts = [formats.plural(len(interview.interviewers), "interviewer")]
        if interview.debrief.is_recorded():
            parts.append("its debrief")
        when = (
            f" ({formats.day(interview.starts_at, interview.zone)})" if interview.starts_at else ""
        )
        return f"Remove the round “{interview.name}”{when} with {' and '.join(parts)}?"

    def delete_round(self) -> bool:
        """Remove the round shown (with its people and debrief); earlier versions stay in the
        history."""
        interview = self.interview
        if interview is None:
            return False
        key, before = interview.key, self.round_index

        def change(opportunity: Opportunity) -> None:
            opportunity.rounds = [r for r in opportunity.rounds if r.key != key]
            self.round_index = len(opportunity.rounds) - 1 if opportunity.rounds else NEW_ROUND

        saved = self.act(change)
        if not saved:
            self.round_index = before
        self._show_round_actions()
        return saved

    def _trash_question(self) -> str:
        opportunity = self.opportunity
        rounds = formats.plural(len(opportunity.rounds), "round")
        return (
            f"Move “{opportunity.title}” ({rounds}) to the trash? You can bring it back from "
            "this page or the dashboard until you empty the trash."
        )

    def move_to_trash(self) -> bool:
        """Move the whole opportunity to the workbook's trash (it can be restored)."""
        with self.lock:
            self.debouncer.cancel()
            try:
                self.workbook.trash(self.opportunity.id)
            except FollowupError as exc:
                self.status.value = status_html(f"Not moved to the trash: {exc}", "error")
                return False
            self.dirty = False
            self.trash_shelf = TrashShelf(
                self.workbook, only=self.opportunity.id, on_restored=self.on_restored
            )
            self.widget.children = [
                message_box(
                    f"“{self.opportunity.title}” is in the trash. Bring it back here, or later "
                    "from the dashboard.",
                    "warn",
                ),
                self.trash_shelf.widget,
            ]
            if self.on_trashed is not None:
                self.on_trashed(self.opportunity.id)
            return True

    def _round_picked(self, change: Any) -> None:
        self.flush()
        self.forget_unsaved()
        self.round_index = change["new"]
        self.new_round_name = ""
        self._filling = True
        try:
            self.fill_round(self.opportunity)
        finally:
            self._filling = False
        self.after_change()
        self._show_round_actions()


class NewOpportunity:
    """A small form to start a new opportunity: company, role and a file-safe id."""

    def __init__(self, workbook: Workbook, on_created: Callable[[Stored], Any]):
        self.workbook = workbook
        self.on_created = on_created
        self.company = text("Company", placeholder="e.g. Northwind Logistics")
        self.role = text("Role", placeholder="e.g. Data Analyst")
        self.location = text("Location", placeholder="City, or remote")
        self.link = link("Job posting")
        self.applied_on, self.source = _application_fields()
        self.id = text("Short name", hint="used for the file name", placeholder="made for you")
        self._id_edited = False
        self.company.widget.observe(self._suggest, names="value")
        self.role.widget.observe(self._suggest, names="value")
        self.id.widget.observe(self._id_typed, names="value")
        self.create_button = w.Button(
            description="Create", icon="plus", button_style="primary", layout=w.Layout(width="auto")
        )
        self.create_button.on_click(lambda _: self.create())
        self.status = w.HTML("")
        self.fields = {
            "company": self.company,
            "role": self.role,
            "location": self.location,
            "link": self.link,
            "applied_on": self.applied_on,
            "source": self.source,
            "id": self.id,
        }
        for field in self.fields.values():
            field.widget.observe(lambda _, f=field: self._filled(f), names="value")
        self.widget = form_box(
            [
                heading("A new opportunity"),
                guidance("Start with the company and the role; the rest can wait."),
                *(f.box for f in self.fields.values()),
                w.HBox([self.create_button, self.status], layout=w.Layout(grid_gap="0.6em")),
            ]
        )

    def _suggest(self, change: Any = None) -> None:
        if self._id_edited:
            return
        base = " ".join(v for v in (self.company.widget.value, self.role.widget.value) if v)
        self._setting = True
        self.id.widget.value = slugify(base, fallback="") if base.strip() else ""
        self._setting = False

    def _id_typed(self, change: Any) -> None:
        if not getattr(self, "_setting", False):
            self._id_edited = True

    def _filled(self, field: Field) -> None:
        """An error goes away as soon as its field is filled in."""
        if field.message and str(field.widget.value).strip():
            field.clear_error()
            if not any(f.message for f in self.fields.values()):
                self.status.value = ""

    def create(self) -> Stored | None:
        """Create the file; problems are shown beside their fields and nothing is written."""
        for field in self.fields.values():
            field.clear_error()
        values = {}
        marked = False
        for key, field in self.fields.items():
            try:
                values[key] = field.read()
            except ValueError as exc:
                field.show_error(str(exc))
                marked = True
        if not str(values.get("role") or "").strip():
            self.role.show_error("this is needed: the role you applied for")
            marked = True
        try:
            opportunity = Opportunity.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                loc = error.get("loc", ())
                field = self.fields.get(str(loc[0])) if loc else None
                (field or self.company).show_error(explain(error))
            marked = True
        if marked:
            self.status.value = status_html("Not created: see the marked fields.", "error")
            return None
        try:
            stored = self.workbook.create(opportunity)
        except FollowupError as exc:
            self.id.show_error(str(exc))
            self.status.value = status_html("Not created.", "error")
            return None
        self.status.value = status_html(f"Created {stored.path.name}.", "ok")
        self.on_created(stored)
        return stored


def _application_fields() -> tuple[Field, Field]:
    """When and how you applied: the stage history and `followup stats` start from them."""
    applied_on = day("Applied on", hint="the day you sent the application")
    source = choice("Came through", enum_options(Source), hint="where you found or got the role")
    return applied_on, source


class InterviewPage:
    """01_interview: a picker with a 'new opportunity' choice above the interview form."""

    def __init__(
        self,
        workbook: Workbook,
        now: datetime,
        *,
        opportunity_id: str = "",
        round: str = "",
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        self.workbook = workbook
        self.now = now
        self.round = round
        self.autosave_seconds = autosave_seconds
        self.editor: InterviewForm | None = None
        self.creator: NewOpportunity | None = None
        #: With an `opportunity_id`, the page of just that one (and no picker of its own).
        self.page: Page | None = None
        if opportunity_id:
            self.page = Page(workbook, self._editor, opportunity_id=opportunity_id, key="interview")
            self.widget = self.page.widget
            self.editor = self.page.editor
            return
        loaded = workbook.load()
        options = [(s.opportunity.title, key) for key, s in loaded.stored.items()]
        options.append(("+ A new opportunity…", NEW))
        last = remembered(workbook)
        value = last if last in loaded.stored else NEW
        # The page named one that is in the trash now: say so, and offer it back.
        gone = last if last and value == NEW else ""
        self.trash = TrashShelf(workbook, only=gone, on_restored=self._restored) if gone else None
        self.picker = w.Dropdown(
            description="Opportunity", options=options, value=value, layout=w.Layout(width="34em")
        )
        self.picker.observe(self._picked, names="value")
        self.body = w.VBox([])
        problems = [
            message_box(f"Skipped a file that could not be read: {p}", "error")
            for p in loaded.problems
        ]
        # A calendar invitation dropped here becomes a round, after a preview (imports.invite).
        self.drop = InviteDrop(workbook, self._imported)
        shelf = [self.trash.widget] if self.trash is not None else []
        self.address = Address()
        self.widget = w.VBox(
            [*problems, *shelf, self.picker, self.drop.widget, self.body, self.address.widget]
        )
        self._show(value)

    def _editor(self, stored: Stored) -> InterviewForm:
        editor = InterviewForm(
            self.workbook,
            stored,
            self.now,
            round=self.round,
            autosave_seconds=self.autosave_seconds,
        )
        editor.on_trashed = self._trashed
        editor.on_restored = self._restored
        return editor

    def _trashed(self, opportunity_id: str) -> None:
        picker = getattr(self, "picker", None)
        if picker is None:
            return
        picker.unobserve(self._picked, names="value")
        picker.options = [o for o in picker.options if o[1] != opportunity_id]
        picker.value = NEW
        picker.observe(self._picked, names="value")
        self.address.show("")
        self.editor = None

    def _restored(self, stored: Stored) -> None:
        """Show an opportunity brought back from the trash, as if just picked."""
        if self.page is not None:
            self.page.open(stored)
            self.editor = self.page.editor
        else:
            self._imported(stored.opportunity.id)
        if self.editor is not None:
            self.editor.status.value = status_html("Brought back from the trash.", "ok")

    def _show(self, value: str) -> None:
        self.address.show("" if value == NEW else value)
        if value == NEW:
            self.editor = None
            self.creator = NewOpportunity(self.workbook, self._created)
            self.body.children = [self.creator.widget]
            return
        remember(self.workbook, value)
        self.editor = self._editor(self.workbook.get(value))
        self.body.children = [self.editor.widget]

    def _picked(self, change: Any) -> None:
        if self.editor is not None:
            self.editor.flush()
        self._show(change["new"])

    def _imported(self, opportunity_id: str) -> None:
        """Show the opportunity an invitation was imported into, read afresh from its file."""
        if self.editor is not None:
            self.editor.flush()
        loaded = self.workbook.load()
        options = [(s.opportunity.title, key) for key, s in loaded.stored.items()]
        self.picker.unobserve(self._picked, names="value")
        self.picker.options = [*options, ("+ A new opportunity…", NEW)]
        self.picker.value = opportunity_id
        self.picker.observe(self._picked, names="value")
        self._show(opportunity_id)

    def _created(self, stored: Stored) -> None:
        options = [o for o in self.picker.options if o[1] != NEW]
        options.append((stored.opportunity.title, stored.opportunity.id))
        options.append(("+ A new opportunity…", NEW))
        # Quietly: new options reset the picker's value, which would build the form twice.
        self.picker.unobserve(self._picked, names="value")
        self.picker.options = options
        self.picker.value = stored.opportunity.id
        self.picker.observe(self._picked, names="value")
        self._show(stored.opportunity.id)
        if self.editor is not None:
            self.editor.status.value = status_html(
                f"Created and saved as {stored.path.name}. Next: the round and the people you met.",
                "ok",
            )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def summary_html(opportunity: Opportunity) -> str:
    """A read-only view of the opportunity, its rounds and the people met."""
    parts = [f"<h3>{esc(opportunity.title)}</h3>"]
    facts = [opportunity.location, opportunity.status.value]
    parts.append(f"<p>{esc(' · '.join(f for f in facts if f))}</p>")
    if opportunity.recruiter:
        r = opportunity.recruiter
        parts.append(f"<p><b>Recruiter:</b> {esc(r.name)} {esc(r.email or '')}</p>")
    for interview in opportunity.rounds:
        start = interview.starts_at
        when = formats.moment(start) if start else "date not recorded"
        fmt = f", {interview.format.value}" if interview.format else ""
        parts.append(f"<h4>{esc(interview.name)}</h4><p>{esc(when)}{esc(fmt)}</p>")
        if interview.interviewers:
            items = "".join(
                f"<li>{esc(p.name)}{', ' + esc(p.title) if p.title else ''}"
                f"{' · card' if p.card_collected else ''}"
                f"{' · mention: ' + esc(p.personal_note) if p.personal_note else ''}</li>"
                for p in interview.interviewers
            )
            parts.append(f"<ul>{items}</ul>")
    timeline = opportunity.timeline
    if timeline is None:
        parts.append("<p><i>Next steps: not recorded yet.</i></p>")
    elif not timeline.given:
        parts.append("<p><b>Next steps:</b> nothing was said.</p>")
    else:
        by = f" (by {formats.day(timeline.decision_by)})" if timeline.decision_by else ""
        parts.append(f"<p><b>Next steps:</b> {esc(timeline.next_step)}{esc(by)}</p>")
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
    """What 01_interview.ipynb shows: the form, or a read-only summary when headless."""

    def build() -> Any:
        book = open_workbook(data_dir)
        moment = notebook_now(now)
        if not interactive:
            return summaries(book, opportunity_id, summary_html)
        return InterviewPage(
            book,
            moment,
            opportunity_id=opportunity_id,
            round=round,
            autosave_seconds=autosave_seconds,
        )

    return guarded(interactive, build)
